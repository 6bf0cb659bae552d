package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
	"github.com/peermap/peermap/pipeline"
)

// passageID returns the passage ID of a /passage/... request, as typed
// (full or short form).
func passageID(r *http.Request) string {
	if id := r.PathValue("id"); id != "" {
		return id
	}
	return r.PathValue("doc") + "/" + r.PathValue("n")
}

// findPassage looks the requested passage up, writing a 404 page when there
// is none (and a 500 when the store fails). ok is false when it wrote.
func (s *server) findPassage(w http.ResponseWriter, r *http.Request) (corpus.Passage, bool) {
	id := passageID(r)
	p, err := s.store.FindPassage(id)
	switch {
	case errors.Is(err, corpus.ErrNotFound):
		s.message(w, r, http.StatusNotFound, "No such passage", fmt.Sprintf("The corpus holds no passage %q.", id))
		return p, false
	case err != nil:
		s.fail(w, r, "read passage", err)
		return p, false
	}
	return p, true
}

// passageBody is what the passage template receives.
type passageBody struct {
	P        corpus.Passage
	Doc      *corpus.Document
	Cite     string // text.CiteAt: the citation of the passage, as the CLI prints it
	Segments []segment
	Machine  []annRow
	Human    []annRow
	Prev     *corpus.Passage
	Next     *corpus.Passage
	Form     *codingForm // nil when read-only
	Saved    bool
}

// annRow is one annotation as the passage page shows it.
type annRow struct {
	A        corpus.Annotation
	Name     string // code, or label (family)
	Evidence string
}

// codingForm is the hand-coding form of one passage for one coder.
type codingForm struct {
	Action   string
	Coder    string // who codes; "" asks for a name
	Fixed    bool   // Coder is the signed-in coder: no name field
	Suggest  []formBox
	Dims     []formDim
	Fams     []formFam
	Other    []formBox // codes and labels the coder gave that the vocabulary lacks
	NoVoc    bool      // the vocabulary is empty
	Memo     string
	Coded    bool // the coder has coded this passage
	Progress *pipeline.Queue
}

type formDim struct {
	Dim      string
	Question string
	Boxes    []formBox
}

type formFam struct {
	Family string
	Boxes  []formBox
}

type formBox struct {
	Field    string // "code" or "label"
	Value    string
	Text     string
	Title    string
	Key      string // keyboard shortcut, "" for none
	Checked  bool
	Conf     float64 // suggestions: the machine's confidence
	Evidence string  // suggestions: the text that made the machine suggest it
}

func (s *server) handlePassage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.findPassage(w, r)
	if !ok {
		return
	}
	doc, err := s.store.Document(p.Doc)
	if err != nil {
		s.fail(w, r, "read document", err)
		return
	}
	doc.Text = "" // not needed, and not to be rendered by accident
	anns, err := s.annotations(p)
	if err != nil {
		s.fail(w, r, "read annotations", err)
		return
	}
	b := passageBody{P: p, Doc: doc, Cite: citeAt(doc, p), Saved: r.URL.Query().Get("saved") == "1"}
	b.Segments = segments(p.Text, anns)
	for _, a := range anns {
		row := annRow{A: a, Name: a.Code, Evidence: evidence(p.Text, a)}
		if a.Type == corpus.AnnLabel {
			row.Name = a.Label
			if a.Family != "" && a.Family != a.Label {
				row.Name += " (" + a.Family + ")"
			}
		}
		if a.Human() {
			b.Human = append(b.Human, row)
		} else {
			b.Machine = append(b.Machine, row)
		}
	}
	if p.N > 0 {
		if q, err := s.store.Passage(corpus.NewPassageID(p.Doc, p.N-1)); err == nil {
			b.Prev = &q
		}
	}
	if q, err := s.store.Passage(corpus.NewPassageID(p.Doc, p.N+1)); err == nil {
		b.Next = &q
	}
	if !s.opts.ReadOnly {
		coder, fixed := signedIn(r), true
		if coder == "" {
			coder, fixed = strings.TrimSpace(r.URL.Query().Get("coder")), false
			if coder == "" {
				coder = s.opts.Coder
			}
		}
		b.Form = s.form(p, coder, anns, true)
		b.Form.Fixed = fixed
		if fixed {
			if b.Form.Progress, err = s.ws.Queue(r.Context(), coder, 0); err != nil {
				s.fail(w, r, "count coded passages", err)
				return
			}
		}
	}
	s.render(w, r, http.StatusOK, "passage", "Passage "+p.ID.Short(), "", b)
}

// citeAt is the one citation format (text.CiteAt) of passage p of doc.
func citeAt(doc *corpus.Document, p corpus.Passage) string {
	return text.CiteAt(text.Work{Authors: doc.Authors, Year: doc.Year, Title: doc.Title, Path: doc.Path}, text.Place(p.Page, p.Section, p.N))
}

// annotations returns the machine annotations and human codes of p.
func (s *server) annotations(p corpus.Passage) ([]corpus.Annotation, error) {
	all, err := s.store.Annotations(p.Doc)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(a corpus.Annotation) bool { return a.Passage != p.ID }), nil
}

// suggestion is what the machine suggests for a passage: a code or label.
type suggestion struct {
	conf     float64
	evidence string
}

// suggestions returns the machine's codes and labels of a passage (not
// negated), keyed "code\x00role.x" / "label\x00peer navigator", with the
// highest confidence of each.
func suggestions(text string, anns []corpus.Annotation) map[string]suggestion {
	out := map[string]suggestion{}
	for _, a := range anns {
		if a.Human() || a.Negated {
			continue
		}
		k := a.Type + "\x00" + a.Code
		if a.Type == corpus.AnnLabel {
			k = a.Type + "\x00" + a.Label
		}
		if old, ok := out[k]; !ok || a.Confidence > old.conf {
			out[k] = suggestion{conf: a.Confidence, evidence: evidence(text, a)}
		}
	}
	return out
}

// form builds the coding form of p for coder: with suggest, the machine's
// suggestions first (ticked once accepted; left unticked, they are
// rejected on saving), then every other code and label of the vocabulary,
// with the coder's own codes ticked and their memo.
func (s *server) form(p corpus.Passage, coder string, anns []corpus.Annotation, suggest bool) *codingForm {
	f := &codingForm{Action: passageURL(p.ID) + "/codes", Coder: coder, NoVoc: len(s.vocab.Dims) == 0 && len(s.vocab.Families) == 0}
	have := make(map[string]bool) // "code\x00role.x" / "label\x00peer navigator"
	if coder != "" {
		var mine []corpus.Annotation
		for _, a := range anns {
			if a.Annotator == "human:"+coder {
				mine = append(mine, a)
			}
		}
		f.Memo = memoOf(mine)
		f.Coded = len(mine) > 0
		for _, a := range mine {
			if a.Negated {
				continue
			}
			switch a.Type {
			case corpus.AnnCode:
				have["code\x00"+a.Code] = true
				if !s.vocab.codes[a.Code] {
					f.Other = append(f.Other, formBox{Field: "code", Value: a.Code, Text: a.Code, Checked: true})
				}
			case corpus.AnnLabel:
				have["label\x00"+a.Label] = true
				if _, ok := s.vocab.labels[a.Label]; !ok {
					f.Other = append(f.Other, formBox{Field: "label", Value: a.Label, Text: a.Label, Checked: true})
				}
			}
		}
	}
	sugg := suggestions(p.Text, anns)
	if !suggest {
		sugg = nil
	}
	take := func(b formBox) bool {
		sg, ok := sugg[b.Field+"\x00"+b.Value]
		if ok {
			b.Conf, b.Evidence = sg.conf, sg.evidence
			f.Suggest = append(f.Suggest, b)
		}
		return ok
	}
	for _, d := range s.vocab.Dims {
		fd := formDim{Dim: d.Dim, Question: d.Question}
		for _, c := range d.Codes {
			text := c.Name
			if text == "" {
				text = c.ID
			}
			title := c.ID
			if c.Definition != "" {
				title += ": " + c.Definition
			}
			b := formBox{Field: "code", Value: c.ID, Text: text, Title: title, Key: s.vocab.keys[c.ID], Checked: have["code\x00"+c.ID]}
			if !take(b) {
				fd.Boxes = append(fd.Boxes, b)
			}
		}
		f.Dims = append(f.Dims, fd)
	}
	for _, g := range s.vocab.Families {
		ff := formFam{Family: g.Family}
		for _, l := range g.Labels {
			b := formBox{Field: "label", Value: l, Text: l, Title: "peer label of the family " + g.Family, Checked: have["label\x00"+l]}
			if !take(b) {
				ff.Boxes = append(ff.Boxes, b)
			}
		}
		f.Fams = append(f.Fams, ff)
	}
	return f
}

// memoOf returns a coder's memo of a passage: the distinct notes of their
// codes, in order (a memo is stored on the first code; a REFI-QDA import
// may bring one per code).
func memoOf(mine []corpus.Annotation) string {
	var notes []string
	for _, a := range mine {
		if n := strings.TrimSpace(a.Note); n != "" && !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	return strings.Join(notes, "\n\n")
}

// passageForm is the start of every form that writes codes of a passage:
// the server must be writable, the passage must exist, the form must parse
// within maxForm. It answers the request itself when one fails.
func (s *server) passageForm(w http.ResponseWriter, r *http.Request, what string) (corpus.Passage, bool) {
	if s.opts.ReadOnly {
		s.message(w, r, http.StatusForbidden, "Read-only", "This server is read-only: "+what+" is off.")
		return corpus.Passage{}, false
	}
	p, ok := s.findPassage(w, r)
	if !ok {
		return p, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		if tooLarge(err) {
			s.message(w, r, http.StatusRequestEntityTooLarge, "Form too large", "The form was larger than this server takes.")
			return p, false
		}
		s.message(w, r, http.StatusBadRequest, "Bad form", "The form could not be read.")
		return p, false
	}
	return p, true
}

// handleCodes stores the codes and memo a coder gave a passage (replacing
// that coder's earlier ones) and redirects back to the passage page, or
// with then=next to the next passage of the coder's queue.
func (s *server) handleCodes(w http.ResponseWriter, r *http.Request) {
	p, ok := s.passageForm(w, r, "coding")
	if !ok {
		return
	}
	coder, code, why := s.writer(r, r.PostForm.Get("coder"))
	if why != "" {
		s.message(w, r, code, "Cannot save", why)
		return
	}
	in := codeSet{Codes: r.PostForm["code"], Labels: r.PostForm["label"], Memo: r.PostForm.Get("memo")}
	if code, why, err := s.save(r.Context(), coder, p, in); err != nil {
		s.fail(w, r, "store human codes", err)
		return
	} else if why != "" {
		s.message(w, r, code, "Not saved", why)
		return
	}
	if r.PostForm.Get("then") == "next" {
		http.Redirect(w, r, "/queue/next", http.StatusSeeOther)
		return
	}
	q := url.Values{"saved": {"1"}}
	if signedIn(r) == "" {
		q.Set("coder", coder)
	}
	http.Redirect(w, r, passageURL(p.ID)+"?"+q.Encode()+"#coding", http.StatusSeeOther)
}

// writer returns the coder a write of r is for: the signed-in coder (a
// different posted name is refused), else, without accounts, the posted
// name or Options.Coder. On refusal why says why, with status code.
func (s *server) writer(r *http.Request, posted string) (coder string, code int, why string) {
	posted = strings.TrimSpace(posted)
	if c := signedIn(r); c != "" {
		if posted != "" && posted != c {
			return "", http.StatusForbidden, fmt.Sprintf("You are signed in as %s: you can save only your own codes.", c)
		}
		return c, 0, ""
	}
	if s.auth {
		return "", http.StatusUnauthorized, "Sign in first."
	}
	if posted == "" {
		posted = s.opts.Coder
	}
	if err := pipeline.CheckCoder(posted); err != nil {
		return "", http.StatusBadRequest, capital(err.Error()) + "."
	}
	return posted, 0, ""
}
