package qda

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// PlaceOptions control how Place turns codings into human codes.
type PlaceOptions struct {
	// Coder names the coder of codings whose user the project does not
	// name; "" leaves such codings unplaced (reported).
	Coder string
}

// CoderCodes are the human codes one coder gave one passage.
type CoderCodes struct {
	Coder       string
	Passage     corpus.PassageID
	Annotations []corpus.Annotation
}

// A Problem is a coding Place could not turn into a human code.
type Problem struct {
	Source string // source name
	Start  int    // selection, in code points
	End    int
	Code   string // code name, when known
	Text   string // start of the selected text
	Reason string
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s [%d,%d)", p.Source, p.Start, p.End)
	if p.Code != "" {
		s += " " + p.Code
	}
	if p.Text != "" {
		s += fmt.Sprintf(" %q", p.Text)
	}
	return s + ": " + p.Reason
}

// A Placement is the result of Place: the human codes to store, what
// could not be placed, and counts.
type Placement struct {
	Codes    []CoderCodes // sorted by passage, then coder
	Problems []Problem
	Codings  int // codings read
	Placed   int // codings placed
	ByText   int // of which placed by searching their text
	Machine  int // codings of peermap's own machine user, not imported
}

// Place turns the codings of project p into human codes of the store's
// passages. It reads the store and writes nothing (Placement.Store does).
//
// A source is the document whose stable GUID it has (see Export), else
// the document whose text equals its text. When the text is the
// document's (CR LF line breaks read as LF), a selection's code points are
// converted to byte offsets exactly; when the source was edited, or
// matches no document by GUID or text, the selected text is searched in
// the document (or in every document), exactly and then with white space
// collapsed, the occurrence nearest to the selection's position winning.
// A selection is cut at passage boundaries: each passage it covers gets
// the code, with a span (bytes into the passage) unless the selection
// covers the whole passage. Codes are mapped with MapCodes; coders are the
// users named by the codings (else by their selection, source or the
// project's creating user, else opts.Coder). Codings by a "peermap …"
// user (machine annotations peermap exported) are skipped, and so are
// codings of a whole source and of codes that do not map: each such
// coding is listed in Problems, with selections that fall outside any
// passage or whose text is not found.
func Place(ctx context.Context, s *corpus.Store, p *Project, v corpus.Vocabulary, opts PlaceOptions) (*Placement, error) {
	pl := &Placement{}
	m := MapCodes(p.Codes, v)
	names := map[string]string{}
	for _, u := range p.Users {
		names[normGUID(u.GUID)] = u.Name
	}
	notes := map[string]string{}
	for _, n := range p.Notes {
		if t := strings.TrimSpace(cmp.Or(n.Text, n.Content)); t != "" {
			notes[normGUID(n.GUID)] = t
		}
	}
	codeName := map[string]string{}
	var walk func([]Code, string)
	walk = func(cs []Code, at string) {
		for _, c := range cs {
			codeName[normGUID(c.GUID)] = at + c.Name
			walk(c.Children, at+c.Name+" / ")
		}
	}
	walk(p.Codes, "")
	w, err := newWorkspace(ctx, s)
	if err != nil {
		return nil, err
	}
	acc := newAccumulator(v.Version)
	for i := range p.Sources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src := &p.Sources[i]
		for _, c := range src.Codings {
			pl.Codings++
			pl.Problems = append(pl.Problems, Problem{Source: src.Name, Code: codeName[normGUID(c.CodeRef.Target)], Reason: "a coding of the whole source: peermap codes passages"})
		}
		if len(src.Selections) == 0 {
			continue
		}
		sdoc, exact, err := w.match(src)
		if err != nil {
			return nil, err
		}
		idx := newRuneIndex(src.Text, src.CRLFIsOne)
		crlf := newCRLFMap(src.Text)
		for _, sel := range src.Selections {
			prob := func(c *Coding, reason string) {
				pr := Problem{Source: src.Name, Start: sel.Start, End: sel.End, Reason: reason}
				if c != nil {
					pr.Code = codeName[normGUID(c.CodeRef.Target)]
				}
				if b0, ok0 := idx.Byte(sel.Start); ok0 {
					if b1, ok1 := idx.Byte(sel.End); ok1 && b1 >= b0 {
						pr.Text = clip(src.Text[b0:b1], 60)
					}
				}
				pl.Problems = append(pl.Problems, pr)
			}
			// Who coded what, before looking for where.
			type coding struct {
				coder  string
				target Target
				note   string
			}
			var todo []coding
			for _, c := range sel.Codings {
				pl.Codings++
				user := names[normGUID(cmp.Or(c.CreatingUser, sel.CreatingUser, src.CreatingUser, p.CreatingUser))]
				if strings.HasPrefix(user, MachinePrefix) {
					pl.Machine++
					continue
				}
				user = cmp.Or(user, opts.Coder)
				if user == "" {
					prob(&c, "no user is named for this coding: give a coder name")
					continue
				}
				t, ok := m.Target(c.CodeRef.Target)
				if !ok {
					reason := "the code is not in the codebook"
					if _, named := codeName[normGUID(c.CodeRef.Target)]; !named {
						reason = "the coding refers to no code of the project"
					}
					prob(&c, reason)
					continue
				}
				var ns []string
				for _, r := range slices.Concat(c.NoteRefs, sel.NoteRefs) {
					if n := notes[normGUID(r.Target)]; n != "" && !slices.Contains(ns, n) {
						ns = append(ns, n)
					}
				}
				if d := strings.TrimSpace(sel.Description); d != "" && !slices.Contains(ns, d) {
					ns = append(ns, d)
				}
				todo = append(todo, coding{user, t, strings.Join(ns, "\n\n")})
			}
			if len(todo) == 0 {
				continue
			}
			fail := func(reason string) {
				for _, c := range todo {
					pr := Problem{Source: src.Name, Start: sel.Start, End: sel.End, Code: c.target.String(), Reason: reason}
					if b0, ok := idx.Byte(sel.Start); ok {
						if b1, ok := idx.Byte(sel.End); ok && b1 >= b0 {
							pr.Text = clip(src.Text[b0:b1], 60)
						}
					}
					pl.Problems = append(pl.Problems, pr)
				}
			}
			b0, ok0 := idx.Byte(sel.Start)
			b1, ok1 := idx.Byte(sel.End)
			if !ok0 || !ok1 || b1 < b0 {
				fail(fmt.Sprintf("positions outside the source's %d characters", idx.n))
				continue
			}
			var d *doc
			var start, end int
			byText := false
			if sdoc != nil && exact {
				d, start, end = sdoc, crlf.lf(b0), crlf.lf(b1)
			} else {
				want := strings.ReplaceAll(src.Text[b0:b1], "\r\n", "\n")
				near := float64(sel.Start) / float64(max(idx.n, 1))
				var found bool
				d, start, end, found, err = w.find(want, sdoc, near)
				if err != nil {
					return nil, err
				}
				if !found {
					fail("the selected text is not found in any document (edited source?)")
					continue
				}
				byText = true
			}
			start, end = trimSpace(d.text, start, end)
			pieces := d.cut(start, end)
			if len(pieces) == 0 {
				fail("the selection lies outside every passage")
				continue
			}
			for _, c := range todo {
				for _, pc := range pieces {
					acc.add(c.coder, pc, c.target, c.note)
				}
				pl.Placed++
				if byText {
					pl.ByText++
				}
			}
		}
	}
	pl.Codes = acc.result()
	return pl, nil
}

// Store writes the placed codes: for each coder and passage, they replace
// what that coder had given the passage. Other coders' codes, and the
// passages the project does not code, are left as they are.
func (pl *Placement) Store(s *corpus.Store) error {
	for _, c := range pl.Codes {
		if err := s.PutHumanCodes(c.Coder, c.Passage, slices.Clone(c.Annotations)); err != nil {
			return err
		}
	}
	return nil
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		return string(r[:n]) + "…"
	}
	return s
}

func trimSpace(s string, start, end int) (int, int) {
	sp, ok := text.Trim(s, start, end)
	if !ok {
		return start, start
	}
	return sp.Start, sp.End
}

// A doc is a document's text and passages, loaded when first needed.
type doc struct {
	id   corpus.DocID
	text string
	ps   []corpus.Passage
	fold *spaceFolded
}

// A piece is the part of a selection inside one passage.
type piece struct {
	p     corpus.Passage
	whole bool
	span  corpus.Span // bytes into the passage
}

// cut returns the parts of [start, end) inside each passage it overlaps.
func (d *doc) cut(start, end int) []piece {
	var out []piece
	for _, p := range d.ps {
		s, e := max(start, p.Start), min(end, p.End)
		if s >= e {
			continue
		}
		ps, pe := trimSpace(d.text, p.Start, p.End)
		if s <= ps && e >= pe {
			out = append(out, piece{p: p, whole: true})
			continue
		}
		out = append(out, piece{p: p, span: corpus.Span{Start: s - p.Start, End: e - p.Start}})
	}
	return out
}

// A workspace gives the documents of the store, loaded lazily.
type workspace struct {
	s      *corpus.Store
	ids    []corpus.DocID
	byGUID map[string]corpus.DocID
	docs   map[corpus.DocID]*doc
	byText map[string]corpus.DocID // built on first need
}

func newWorkspace(ctx context.Context, s *corpus.Store) (*workspace, error) {
	metas, err := s.Documents(ctx)
	if err != nil {
		return nil, err
	}
	w := &workspace{s: s, byGUID: map[string]corpus.DocID{}, docs: map[corpus.DocID]*doc{}}
	for _, m := range metas {
		if m.Skip != corpus.NotSkipped {
			continue
		}
		w.ids = append(w.ids, m.ID)
		w.byGUID[GUID("source", string(m.ID))] = m.ID
	}
	return w, nil
}

func (w *workspace) doc(id corpus.DocID) (*doc, error) {
	if d := w.docs[id]; d != nil {
		return d, nil
	}
	dd, err := w.s.Document(id)
	if err != nil {
		return nil, err
	}
	ps, err := w.s.Passages(id)
	if err != nil {
		return nil, err
	}
	d := &doc{id: id, text: dd.Text, ps: ps}
	w.docs[id] = d
	return d, nil
}

// match returns the document of source src, and whether its text is the
// source's text (CR LF read as LF), so that positions convert exactly.
func (w *workspace) match(src *Source) (*doc, bool, error) {
	text := strings.ReplaceAll(src.Text, "\r\n", "\n")
	if id, ok := w.byGUID[normGUID(src.GUID)]; ok {
		d, err := w.doc(id)
		if err != nil {
			return nil, false, err
		}
		return d, d.text == text, nil
	}
	if w.byText == nil {
		w.byText = map[string]corpus.DocID{}
		for _, id := range w.ids {
			d, err := w.doc(id)
			if err != nil {
				return nil, false, err
			}
			if _, dup := w.byText[d.text]; !dup {
				w.byText[d.text] = id
			}
		}
	}
	if id, ok := w.byText[text]; ok {
		d, err := w.doc(id)
		return d, true, err
	}
	return nil, false, nil
}

// find looks for text in d (or, when d is nil, in every document): an
// exact occurrence, else one with white space collapsed. Of several, the
// one whose relative position is nearest near (0..1) wins; in every
// document, a text found in more than one document is not placed.
func (w *workspace) find(text string, d *doc, near float64) (*doc, int, int, bool, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, 0, 0, false, nil
	}
	if d != nil {
		s, e, ok := d.find(text, near)
		return d, s, e, ok, nil
	}
	var hit *doc
	var hs, he int
	for _, id := range w.ids {
		dd, err := w.doc(id)
		if err != nil {
			return nil, 0, 0, false, err
		}
		if s, e, ok := dd.find(text, near); ok {
			if hit != nil {
				return nil, 0, 0, false, nil // ambiguous
			}
			hit, hs, he = dd, s, e
		}
	}
	return hit, hs, he, hit != nil, nil
}

func (d *doc) find(text string, near float64) (int, int, bool) {
	best := func(hay, needle string) (int, bool) {
		at, found := -1, false
		target := near * float64(len(hay))
		for i := 0; ; {
			j := strings.Index(hay[i:], needle)
			if j < 0 {
				break
			}
			k := i + j
			if !found || abs(float64(k)-target) < abs(float64(at)-target) {
				at, found = k, true
			}
			i = k + 1
		}
		return at, found
	}
	if k, ok := best(d.text, text); ok {
		return k, k + len(text), true
	}
	if d.fold == nil {
		d.fold = foldSpace(d.text)
	}
	needle := foldSpace(text).s
	k, ok := best(d.fold.s, needle)
	if !ok {
		return 0, 0, false
	}
	return d.fold.at[k], d.fold.end(k + len(needle)), true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// spaceFolded is a text with every run of white space as one space, and
// the byte offset in the original of each of its bytes.
type spaceFolded struct {
	s  string
	at []int
}

func foldSpace(t string) *spaceFolded {
	var b strings.Builder
	f := &spaceFolded{}
	inSpace := false
	for i, r := range t {
		if unicode.IsSpace(r) {
			if !inSpace {
				b.WriteByte(' ')
				f.at = append(f.at, i)
			}
			inSpace = true
			continue
		}
		inSpace = false
		n := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, n = utf8.DecodeRuneInString(t[i:])
		}
		b.WriteString(t[i : i+n])
		for j := 0; j < n; j++ {
			f.at = append(f.at, i+j)
		}
	}
	f.s = b.String()
	return f
}

// end maps an end offset k > 0 of the folded text to the original: just
// after the original byte of folded byte k-1 (a needle never ends with a
// space, so that byte is not a collapsed run).
func (f *spaceFolded) end(k int) int {
	if k <= 0 {
		return 0
	}
	return f.at[k-1] + 1
}

// accumulator merges placed codings into one annotation per coder,
// passage and code.
type accumulator struct {
	version string
	by      map[accKey]*accVal
}

type accKey struct {
	coder string
	p     corpus.PassageID
	t     Target
}

type accVal struct {
	whole bool
	spans []corpus.Span
	notes []string
}

func newAccumulator(version string) *accumulator {
	return &accumulator{version: version, by: map[accKey]*accVal{}}
}

func (a *accumulator) add(coder string, pc piece, t Target, note string) {
	k := accKey{coder, pc.p.ID, t}
	v := a.by[k]
	if v == nil {
		v = &accVal{}
		a.by[k] = v
	}
	if pc.whole {
		v.whole = true
	} else {
		v.spans = append(v.spans, pc.span)
	}
	if note != "" && !slices.Contains(v.notes, note) {
		v.notes = append(v.notes, note)
	}
}

func (a *accumulator) result() []CoderCodes {
	type cp struct {
		coder string
		p     corpus.PassageID
	}
	group := map[cp][]corpus.Annotation{}
	for k, v := range a.by {
		ann := corpus.Annotation{Passage: k.p, Type: k.t.Type, Code: k.t.Code, Label: k.t.Label, Family: k.t.Family,
			Negated: k.t.Negated, Annotator: "human:" + k.coder, Codebook: a.version, Confidence: 1, Note: strings.Join(v.notes, "\n\n")}
		if !v.whole {
			slices.SortFunc(v.spans, func(x, y corpus.Span) int { return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.End, y.End)) })
			ann.Spans = slices.Compact(v.spans)
		}
		group[cp{k.coder, k.p}] = append(group[cp{k.coder, k.p}], ann)
	}
	out := make([]CoderCodes, 0, len(group))
	for k, anns := range group {
		corpus.SortAnnotations(anns)
		out = append(out, CoderCodes{Coder: k.coder, Passage: k.p, Annotations: anns})
	}
	slices.SortFunc(out, func(x, y CoderCodes) int {
		return cmp.Or(cmp.Compare(x.Passage, y.Passage), cmp.Compare(x.Coder, y.Coder))
	})
	return out
}
