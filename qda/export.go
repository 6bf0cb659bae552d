package qda

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// MachinePrefix starts the user name under which machine annotations are
// exported ("peermap rules@v1+56383067"), so a team tells them from its
// own codes; codings by such a user are never imported as human codes.
const MachinePrefix = "peermap "

// ExportOptions say what goes into a project. The zero value exports every
// ingested document and every coder's human codes.
type ExportOptions struct {
	Name      string // project name; "" means "peermap"
	Origin    string // the exporting program, e.g. "peermap v1.2"
	Coder     string // only this coder's human codes; "" means every coder
	Machine   bool   // also the machine annotations
	OnlyCoded bool   // only documents that carry an exported code
}

// ExportStats count what Export put in the project and what it left out.
type ExportStats struct {
	Sources    int
	Selections int
	Codings    int
	Notes      int
	Users      int
	Negated    int      // machine codes whose every cue was negated: not exported
	Skipped    []string // annotations that could not be exported, and why
}

// Export builds a REFI-QDA project of the store's ingested documents (not
// the skipped ones): each document is a TextSource whose plain text is its
// Text (name: a short citation, description: its metadata), the codebook
// is Codebook(v), each exported annotation is a Coding of a
// PlainTextSelection, coders are Users, and an annotation's Note is a Note
// referenced by its Coding.
//
// A code annotation marked Negated (the annotator keeps a code whose every
// cue is negated: the code does not apply) is not exported.
//
// A selection covers an annotation's evidence spans (one selection per
// span; spans are byte offsets into the passage) or, when it has none,
// its whole passage. Positions are the spans' byte offsets converted to
// code points of the document text. Selections of the same range by the
// same user share one PlainTextSelection. Every GUID is derived from IDs
// (see GUID), and everything is sorted, so the same workspace gives the
// same project.
func Export(ctx context.Context, s *corpus.Store, v corpus.Vocabulary, opts ExportOptions) (*Project, *ExportStats, error) {
	p := &Project{Name: cmp.Or(opts.Name, "peermap"), Origin: opts.Origin, Codes: Codebook(v)}
	st := &ExportStats{}
	codeOf := targets(v)
	metas, err := s.Documents(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("export project: %w", err)
	}
	users := map[string]bool{}
	for _, m := range metas {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if m.Skip != corpus.NotSkipped {
			continue
		}
		d, err := s.Document(m.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("export project: %w", err)
		}
		ps, err := s.Passages(d.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("export project: %w", err)
		}
		anns, err := s.Annotations(d.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("export project: %w", err)
		}
		src := Source{GUID: GUID("source", string(d.ID)), Name: citation(d), Description: describe(d), Text: d.Text}
		src.PlainTextPath = "internal://" + src.GUID + ".txt"
		idx := newRuneIndex(d.Text, false)
		byID := map[corpus.PassageID]corpus.Passage{}
		for _, ps := range ps {
			byID[ps.ID] = ps
		}
		sels := map[string]*Selection{}
		for _, a := range anns {
			user, ok := exportUser(a, opts)
			if !ok {
				continue
			}
			if a.Type == corpus.AnnCode && a.Negated {
				st.Negated++
				continue
			}
			code, ok := codeOf(a)
			if !ok {
				st.Skipped = append(st.Skipped, fmt.Sprintf("%s: %s %s by %s: not in codebook %s", a.Passage.Short(), a.Type, a.Code+a.Label, a.Annotator, v.Version))
				continue
			}
			pa, ok := byID[a.Passage]
			if !ok {
				st.Skipped = append(st.Skipped, fmt.Sprintf("%s: annotation of a passage the document does not have", a.Passage.Short()))
				continue
			}
			spans := a.Spans
			if len(spans) == 0 {
				spans = []corpus.Span{{Start: 0, End: pa.End - pa.Start}}
			}
			for _, sp := range spans {
				s0, ok0 := idx.Pos(pa.Start + sp.Start)
				s1, ok1 := idx.Pos(pa.Start + sp.End)
				if !ok0 || !ok1 || sp.Start > sp.End || pa.Start+sp.End > pa.End {
					st.Skipped = append(st.Skipped, fmt.Sprintf("%s: %s span [%d,%d) is not a character range of the passage", a.Passage.Short(), code, sp.Start, sp.End))
					continue
				}
				uguid := GUID("user", user)
				users[user] = true
				key := strconv.Itoa(s0) + ":" + strconv.Itoa(s1) + ":" + user
				sel := sels[key]
				if sel == nil {
					sel = &Selection{GUID: GUID("selection", string(d.ID)+":"+key), Start: s0, End: s1, CreatingUser: uguid}
					sels[key] = sel
				}
				cg := GUID("coding", sel.GUID+":"+code)
				if slices.ContainsFunc(sel.Codings, func(c Coding) bool { return c.GUID == cg }) {
					continue
				}
				c := Coding{GUID: cg, CreatingUser: uguid, CodeRef: Ref{code}}
				if a.Note != "" {
					ng := GUID("note", cg)
					c.NoteRefs = []Ref{{ng}}
					p.Notes = append(p.Notes, Source{GUID: ng, Name: "memo", CreatingUser: uguid, Content: a.Note})
				}
				sel.Codings = append(sel.Codings, c)
			}
		}
		if opts.OnlyCoded && len(sels) == 0 {
			continue
		}
		for _, sel := range sels {
			slices.SortFunc(sel.Codings, func(a, b Coding) int { return cmp.Compare(a.GUID, b.GUID) })
			src.Selections = append(src.Selections, *sel)
			st.Codings += len(sel.Codings)
		}
		slices.SortFunc(src.Selections, func(a, b Selection) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.CreatingUser, b.CreatingUser))
		})
		st.Selections += len(src.Selections)
		p.Sources = append(p.Sources, src)
	}
	for u := range users {
		p.Users = append(p.Users, User{GUID: GUID("user", u), Name: u})
	}
	slices.SortFunc(p.Users, func(a, b User) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(p.Notes, func(a, b Source) int { return cmp.Compare(a.GUID, b.GUID) })
	st.Sources, st.Users, st.Notes = len(p.Sources), len(p.Users), len(p.Notes)
	return p, st, nil
}

// exportUser returns the user name an annotation is exported under, and
// whether opts export it at all.
func exportUser(a corpus.Annotation, opts ExportOptions) (string, bool) {
	if coder, ok := strings.CutPrefix(a.Annotator, "human:"); ok {
		return coder, opts.Coder == "" || coder == opts.Coder
	}
	return MachinePrefix + a.Annotator, opts.Machine && a.Annotator != ""
}

// targets returns a function giving the GUID of the code an annotation is
// coded with, and false when the codebook has none for it.
func targets(v corpus.Vocabulary) func(corpus.Annotation) (string, bool) {
	codes, fams, labels := map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, c := range v.Codes {
		codes[c.ID] = true
	}
	for _, f := range v.Families {
		fams[f] = true
	}
	for _, l := range v.Labels {
		labels[l.Label] = l.Family
	}
	return func(a corpus.Annotation) (string, bool) {
		switch a.Type {
		case corpus.AnnCode:
			return GUID("code", a.Code), codes[a.Code]
		case corpus.AnnLabel:
			fam := a.Family
			if fam == "" {
				fam = labels[a.Label]
			}
			if !fams[fam] {
				return "", false
			}
			switch {
			case a.Negated:
				return GUID("negated", fam), true
			case a.Label == "" || a.Label == fam || labels[a.Label] != fam:
				return GUID("family", fam), true
			}
			return GUID("label", a.Label), true
		}
		return "", false
	}
}

// describe is a source's description: the document's metadata, one
// "field: value" a line, ending with its peermap ID.
func describe(d *corpus.Document) string {
	var b strings.Builder
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	line("title", d.Title)
	line("authors", strings.Join(d.Authors, "; "))
	if d.Year > 0 {
		line("year", strconv.Itoa(d.Year))
	}
	line("venue", d.Venue)
	line("doi", d.DOI)
	line("pmid", d.PMID)
	line("kind", string(d.Kind))
	line("language", d.Lang)
	line("format", d.Format)
	line("path", d.Path)
	line("peermap id", string(d.ID))
	return strings.TrimSuffix(b.String(), "\n")
}

// citation is a source's name: the one citation format (text.Cite), with
// the title cut to 80 bytes.
func citation(d *corpus.Document) string {
	return text.Cite(text.Work{Authors: d.Authors, Year: d.Year, Title: text.Shorten(d.Title, 80), Path: d.Path})
}
