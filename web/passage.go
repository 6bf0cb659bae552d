package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
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
	Cite     string
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
	Action string
	Coder  string
	Dims   []formDim
	Fams   []formFam
	Other  []formBox // codes and labels the coder gave that the vocabulary lacks
	NoVoc  bool      // the vocabulary is empty
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
	Field   string // "code" or "label"
	Value   string
	Text    string
	Title   string
	Checked bool
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
	b := passageBody{P: p, Doc: doc, Cite: cite(doc.Authors, doc.Year, doc.Title, doc.Path), Saved: r.URL.Query().Get("saved") == "1"}
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
		coder := strings.TrimSpace(r.URL.Query().Get("coder"))
		if coder == "" {
			coder = s.opts.Coder
		}
		b.Form = s.form(p, coder, anns)
	}
	s.render(w, r, http.StatusOK, "passage", "Passage "+p.ID.Short(), "", b)
}

// annotations returns the machine annotations and human codes of p.
func (s *server) annotations(p corpus.Passage) ([]corpus.Annotation, error) {
	all, err := s.store.Annotations(p.Doc)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(a corpus.Annotation) bool { return a.Passage != p.ID }), nil
}

// form builds the coding form of p for coder, with the coder's current
// codes checked.
func (s *server) form(p corpus.Passage, coder string, anns []corpus.Annotation) *codingForm {
	f := &codingForm{Action: passageURL(p.ID) + "/codes", Coder: coder, NoVoc: len(s.vocab.Dims) == 0 && len(s.vocab.Families) == 0}
	have := make(map[string]bool) // "code\x00role.x" / "label\x00peer navigator"
	if coder != "" {
		for _, a := range anns {
			if a.Annotator != "human:"+coder || a.Negated {
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
			fd.Boxes = append(fd.Boxes, formBox{Field: "code", Value: c.ID, Text: text, Title: title, Checked: have["code\x00"+c.ID]})
		}
		f.Dims = append(f.Dims, fd)
	}
	for _, g := range s.vocab.Families {
		ff := formFam{Family: g.Family}
		for _, l := range g.Labels {
			ff.Boxes = append(ff.Boxes, formBox{Field: "label", Value: l, Text: l, Checked: have["label\x00"+l]})
		}
		f.Fams = append(f.Fams, ff)
	}
	return f
}

// maxForm caps the size of a coding form body.
const maxForm = 64 << 10

// handleCodes stores the codes a coder gave a passage (replacing that
// coder's earlier codes of it) and redirects back to the passage page.
func (s *server) handleCodes(w http.ResponseWriter, r *http.Request) {
	if s.opts.ReadOnly {
		s.message(w, r, http.StatusForbidden, "Read-only", "This server is read-only: coding is off.")
		return
	}
	if why := crossOrigin(r); why != "" {
		s.log.Warn("rejected coding request", zap.String("url", r.URL.String()), zap.String("reason", why))
		s.message(w, r, http.StatusForbidden, "Forbidden", "This request did not come from this site's own form ("+why+").")
		return
	}
	p, ok := s.findPassage(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.message(w, r, http.StatusBadRequest, "Bad form", "The form could not be read: "+err.Error())
		return
	}
	coder := strings.TrimSpace(r.PostForm.Get("coder"))
	if coder == "" {
		coder = s.opts.Coder
	}
	if err := checkCoder(coder); err != nil {
		s.message(w, r, http.StatusBadRequest, "Bad coder name", err.Error())
		return
	}
	anns, err := s.annotations(p)
	if err != nil {
		s.fail(w, r, "read annotations", err)
		return
	}
	// Codes and labels the coder already gave stay acceptable even if the
	// vocabulary no longer has them, so saving never drops them silently.
	oldFam := make(map[string]string)
	oldCode := make(map[string]bool)
	for _, a := range anns {
		if a.Annotator == "human:"+coder {
			switch a.Type {
			case corpus.AnnCode:
				oldCode[a.Code] = true
			case corpus.AnnLabel:
				oldFam[a.Label] = a.Family
			}
		}
	}
	out := []corpus.Annotation{}
	codes := slices.Clone(r.PostForm["code"])
	slices.Sort(codes)
	for _, c := range slices.Compact(codes) {
		if !s.vocab.codes[c] && !oldCode[c] {
			s.message(w, r, http.StatusBadRequest, "Unknown code", fmt.Sprintf("The codebook has no code %q.", c))
			return
		}
		out = append(out, corpus.Annotation{Type: corpus.AnnCode, Code: c, Confidence: 1})
	}
	labels := slices.Clone(r.PostForm["label"])
	slices.Sort(labels)
	for _, l := range slices.Compact(labels) {
		fam, ok := s.vocab.labels[l]
		if !ok {
			if fam, ok = oldFam[l]; !ok {
				s.message(w, r, http.StatusBadRequest, "Unknown label", fmt.Sprintf("The codebook has no peer label %q.", l))
				return
			}
		}
		out = append(out, corpus.Annotation{Type: corpus.AnnLabel, Label: l, Family: fam, Confidence: 1})
	}
	if err := s.store.PutHumanCodes(coder, p.ID, out); err != nil {
		s.fail(w, r, "store human codes", err)
		return
	}
	if u, ok := s.opts.Search.(Updater); ok {
		if err := u.Update(r.Context(), []corpus.DocID{p.Doc}); err != nil {
			// The codes are stored; only the index lags ('peermap check' says so).
			s.log.Error("re-index after hand codes", zap.String(corpus.LogKeyPassage, string(p.ID)), zap.Error(err))
		}
	}
	s.log.Info("human codes stored", zap.String(corpus.LogKeyPassage, string(p.ID)), zap.String("coder", coder), zap.Int(corpus.LogKeyCount, len(out)))
	http.Redirect(w, r, passageURL(p.ID)+"?"+url.Values{"coder": {coder}, "saved": {"1"}}.Encode()+"#coding", http.StatusSeeOther)
}

// checkCoder accepts names of 1 to 64 printable characters.
func checkCoder(c string) error {
	switch {
	case c == "":
		return errors.New("Give a coder name: codes are stored per coder.")
	case utf8.RuneCountInString(c) > 64 || !utf8.ValidString(c):
		return errors.New("A coder name is at most 64 characters of text.")
	case strings.IndexFunc(c, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return errors.New("A coder name holds only printable characters.")
	}
	return nil
}

// crossOrigin returns why r may come from another site, "" if it is
// same-origin: Sec-Fetch-Site, when sent, must say same-origin (or none, a
// user-typed request); Origin, when sent, must name this host; without
// Origin, Referer must be present and name this host.
func crossOrigin(r *http.Request) string {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return "Sec-Fetch-Site is " + site
	}
	if o := r.Header.Get("Origin"); o != "" {
		if !sameHost(o, r.Host) {
			return "Origin " + o + " is not this site"
		}
		return ""
	}
	ref := r.Header.Get("Referer")
	if ref == "" {
		return "no Origin or Referer header"
	}
	if !sameHost(ref, r.Host) {
		return "Referer is not this site"
	}
	return ""
}

// sameHost reports whether the absolute http(s) URL u is on host.
func sameHost(u, host string) bool {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return false
	}
	return strings.EqualFold(pu.Host, host)
}
