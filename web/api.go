package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// apiError writes {"error": msg} with status code. msg is for the client:
// never an internal error's text.
func apiError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// apiFail logs an unexpected error and answers 500 without its text.
func (s *server) apiFail(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, zap.String("url", r.URL.String()), zap.Error(err))
	apiError(w, http.StatusInternalServerError, "internal error ("+what+"); the details are in the server log")
}

// apiPassage is the JSON of /api/passages/{id}.
type apiPassage struct {
	corpus.Passage
	Citation    string              `json:"citation"` // text.CiteAt, as 'peermap search' prints it
	Document    apiDoc              `json:"document"`
	Machine     []corpus.Annotation `json:"machine"`   // the annotator's codes and labels
	Human       []corpus.Annotation `json:"human"`     // every coder's codes
	Suggested   []string            `json:"suggested"` // the machine's codes, not negated: what a coder accepts or rejects
	SuggestedLa []string            `json:"suggested_labels"`
	Coder       string              `json:"coder,omitempty"` // who asks (signed in)
	Mine        *codeSet            `json:"mine,omitempty"`  // their codes and memo, if they coded it
}

type apiDoc struct {
	ID      corpus.DocID `json:"id"`
	Title   string       `json:"title"`
	Authors []string     `json:"authors"`
	Year    int          `json:"year,omitempty"`
	Venue   string       `json:"venue,omitempty"`
	DOI     string       `json:"doi,omitempty"`
	Kind    corpus.Kind  `json:"kind"`
	Lang    string       `json:"lang,omitempty"`
	Path    string       `json:"path"`
}

// handleAPIPassage serves one passage by full or short ID.
func (s *server) handleAPIPassage(w http.ResponseWriter, r *http.Request) {
	id := passageID(r)
	p, err := s.store.FindPassage(id)
	switch {
	case errors.Is(err, corpus.ErrNotFound):
		apiError(w, http.StatusNotFound, "no such passage")
		return
	case err != nil:
		s.apiFail(w, r, "read passage", err)
		return
	}
	doc, err := s.store.Document(p.Doc)
	if err != nil {
		s.apiFail(w, r, "read document", err)
		return
	}
	anns, err := s.annotations(p)
	if err != nil {
		s.apiFail(w, r, "read annotations", err)
		return
	}
	out := apiPassage{Passage: p, Citation: citeAt(doc, p), Machine: []corpus.Annotation{}, Human: []corpus.Annotation{},
		Suggested: []string{}, SuggestedLa: []string{}, Coder: signedIn(r),
		Document: apiDoc{ID: doc.ID, Title: doc.Title, Authors: doc.Authors, Year: doc.Year, Venue: doc.Venue, DOI: doc.DOI, Kind: doc.Kind, Lang: doc.Lang, Path: doc.Path}}
	if out.Document.Authors == nil {
		out.Document.Authors = []string{}
	}
	var mine []corpus.Annotation
	for _, a := range anns {
		if a.Human() {
			out.Human = append(out.Human, a)
			if out.Coder != "" && a.Annotator == "human:"+out.Coder {
				mine = append(mine, a)
			}
			continue
		}
		out.Machine = append(out.Machine, a)
		if !a.Negated && a.Type == corpus.AnnCode {
			out.Suggested = append(out.Suggested, a.Code)
		} else if !a.Negated && a.Type == corpus.AnnLabel {
			out.SuggestedLa = append(out.SuggestedLa, a.Label)
		}
	}
	out.Suggested, out.SuggestedLa = uniq(out.Suggested), uniq(out.SuggestedLa)
	if len(mine) > 0 {
		cs := setOf(mine)
		out.Mine = &cs
	}
	writeJSON(w, http.StatusOK, out)
}

// setOf returns the code set of one coder's annotations of a passage.
func setOf(anns []corpus.Annotation) codeSet {
	cs := codeSet{Codes: []string{}, Labels: []string{}, Memo: memoOf(anns)}
	for _, a := range anns {
		switch a.Type {
		case corpus.AnnCode:
			cs.Codes = append(cs.Codes, a.Code)
		case corpus.AnnLabel:
			cs.Labels = append(cs.Labels, a.Label)
		}
	}
	return cs
}

// uniq returns ss sorted without repeats, never nil.
func uniq(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// apiCodes is one row of GET /api/codes: one coder's codes of one passage,
// as 'peermap code export' writes it, plus the memo.
type apiCodes struct {
	Passage corpus.PassageID `json:"passage"`
	Coder   string           `json:"coder"`
	Codes   []string         `json:"codes"`
	Labels  []string         `json:"labels"` // label families; "neg:" marks a negated mention
	Memo    string           `json:"memo,omitempty"`
}

// handleAPICodes serves the human codes of ?coder= (every coder without),
// in the order of 'peermap code export', passages coded with nothing
// included.
func (s *server) handleAPICodes(w http.ResponseWriter, r *http.Request) {
	coder := r.URL.Query().Get("coder")
	rows, err := s.ws.HumanCodes(coder)
	if err != nil {
		s.apiFail(w, r, "read human codes", err)
		return
	}
	memos := map[string]string{}
	anns, err := s.store.HumanCodes(coder)
	if err != nil {
		s.apiFail(w, r, "read human codes", err)
		return
	}
	for _, a := range anns {
		if a.Note != "" {
			k := string(a.Passage) + "\x00" + strings.TrimPrefix(a.Annotator, "human:")
			if !strings.Contains(memos[k], a.Note) {
				memos[k] = strings.TrimSpace(memos[k] + "\n\n" + a.Note)
			}
		}
	}
	out := []apiCodes{}
	for _, h := range rows {
		labels := h.Labels
		if labels == nil {
			labels = []string{}
		}
		out = append(out, apiCodes{Passage: h.Passage, Coder: h.Coder, Codes: h.Codes, Labels: labels, Memo: memos[string(h.Passage)+"\x00"+h.Coder]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"codes": out})
}

// apiSave is the body of POST /api/codes.
type apiSave struct {
	Passage string `json:"passage"` // full or short ID
	Coder   string `json:"coder"`   // without accounts, when not signed in
	codeSet
}

// handleAPISaveCodes stores one coder's codes of one passage: they replace
// that coder's earlier codes of it. It answers the stored set.
func (s *server) handleAPISaveCodes(w http.ResponseWriter, r *http.Request) {
	if s.opts.ReadOnly {
		apiError(w, http.StatusForbidden, "this server is read-only")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		apiError(w, http.StatusUnsupportedMediaType, "send Content-Type: application/json")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSON)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	var in apiSave
	if err := dec.Decode(&in); err != nil {
		if tooLarge(err) {
			apiError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		apiError(w, http.StatusBadRequest, "body: want one JSON object {passage, codes, labels, memo}")
		return
	}
	coder, code, why := s.writer(r, in.Coder)
	if why != "" {
		apiError(w, code, why)
		return
	}
	p, err := s.store.FindPassage(in.Passage)
	switch {
	case errors.Is(err, corpus.ErrNotFound) || in.Passage == "":
		apiError(w, http.StatusNotFound, "no such passage")
		return
	case err != nil:
		s.apiFail(w, r, "read passage", err)
		return
	}
	if code, why, err := s.save(r.Context(), coder, p, in.codeSet); err != nil {
		s.apiFail(w, r, "store human codes", err)
		return
	} else if why != "" {
		apiError(w, code, why)
		return
	}
	anns, err := s.annotations(p)
	if err != nil {
		s.apiFail(w, r, "read annotations", err)
		return
	}
	mine := slices.DeleteFunc(anns, func(a corpus.Annotation) bool { return a.Annotator != "human:"+coder })
	writeJSON(w, http.StatusOK, struct {
		Passage corpus.PassageID `json:"passage"`
		Coder   string           `json:"coder"`
		codeSet
	}{p.ID, coder, setOf(mine)})
}
