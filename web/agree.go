package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// agreementBody is what the agreement template receives.
type agreementBody struct {
	Coders []coderCount
	Pairs  []pairLink
	A, B   string
	Err    string
	Res    *pipeline.CoderAgreement
	Rows   []disagreementRow
}

type coderCount struct {
	Name string
	N    int
}

type pairLink struct {
	A, B string
	URL  string
}

type disagreementRow struct {
	D          pipeline.Disagreement
	URL        string // the passage page
	Adjudicate string // the adjudication page
	Consensus  bool   // the passage has adjudicated codes already
}

// agreementURL returns the agreement page of coders a and b.
func agreementURL(a, b string) string {
	return "/agreement?" + url.Values{"a": {a}, "b": {b}}.Encode()
}

// handleAgreement lists the coders and their pairs; with ?a=&b= it shows
// the pair's agreement (Cohen's kappa and Krippendorff's alpha per
// dimension, as 'peermap eval -coders' on their exports) and their
// disagreements, each linking to its passage and its adjudication.
func (s *server) handleAgreement(w http.ResponseWriter, r *http.Request) {
	names, counts, err := s.ws.Coders()
	if err != nil {
		s.fail(w, r, "list coders", err)
		return
	}
	b := agreementBody{A: r.URL.Query().Get("a"), B: r.URL.Query().Get("b")}
	for _, n := range names {
		b.Coders = append(b.Coders, coderCount{n, counts[n]})
	}
	for i, a := range names {
		for _, c := range names[i+1:] {
			b.Pairs = append(b.Pairs, pairLink{A: a, B: c, URL: agreementURL(a, c)})
		}
	}
	title := "Agreement between coders"
	if b.A == "" && b.B == "" {
		s.render(w, r, http.StatusOK, "agreement", title, "", b)
		return
	}
	if !slices.Contains(names, b.A) || !slices.Contains(names, b.B) || b.A == b.B {
		b.Err = "Choose two different coders who have coded passages."
		s.render(w, r, http.StatusBadRequest, "agreement", title, "", b)
		return
	}
	res, err := s.ws.CoderAgreement(r.Context(), b.A, b.B)
	if err != nil {
		s.fail(w, r, "compute agreement", err)
		return
	}
	b.Res = res
	cons, err := s.store.Coded(pipeline.Consensus)
	if err != nil {
		s.fail(w, r, "list adjudicated passages", err)
		return
	}
	adjudicated := map[corpus.PassageID]bool{}
	for _, c := range cons {
		adjudicated[c.Passage] = true
	}
	for _, d := range res.Disagreements {
		b.Rows = append(b.Rows, disagreementRow{D: d, URL: passageURL(d.Passage),
			Adjudicate: adjudicateURL(d.Passage) + "?" + url.Values{"a": {b.A}, "b": {b.B}}.Encode(),
			Consensus:  adjudicated[d.Passage]})
	}
	s.render(w, r, http.StatusOK, "agreement", title+": "+b.A+" and "+b.B, "", b)
}

func adjudicateURL(id corpus.PassageID) string {
	return strings.Replace(passageURL(id), "/passage/", "/adjudicate/", 1)
}

// handleAPIAgreement serves the agreement of ?a= and ?b= as JSON: the
// fields of 'peermap eval -coders -json' plus "A", "B" and "disagreements".
func (s *server) handleAPIAgreement(w http.ResponseWriter, r *http.Request) {
	a, b := r.URL.Query().Get("a"), r.URL.Query().Get("b")
	names, _, err := s.ws.Coders()
	if err != nil {
		s.apiFail(w, r, "list coders", err)
		return
	}
	if !slices.Contains(names, a) || !slices.Contains(names, b) || a == b {
		apiError(w, http.StatusBadRequest, "a and b: want two different coders who have coded passages")
		return
	}
	res, err := s.ws.CoderAgreement(r.Context(), a, b)
	if err != nil {
		s.apiFail(w, r, "compute agreement", err)
		return
	}
	if res.Disagreements == nil {
		res.Disagreements = []pipeline.Disagreement{}
	}
	writeJSON(w, http.StatusOK, res)
}

// adjudicateBody is what the adjudication template receives.
type adjudicateBody struct {
	P      corpus.Passage
	Cite   string
	A, B   string
	Sides  []side // A, B, and the consensus so far
	Form   *codingForm
	Back   string
	Action string
	By     string // the signed-in coder who adjudicates; "" asks for a name

	FromConsensus bool // the form starts from the stored consensus (else from what both gave)
}

type side struct {
	Coder  string
	Codes  []string
	Labels []string
	Memo   string
	None   bool // coded nothing (or not at all)
}

// handleAdjudicatePage shows a passage with the codes of coders a and b
// side by side and a form for the agreed set, stored as coder "consensus".
// The form starts from the consensus already stored, else from what both
// coders gave.
func (s *server) handleAdjudicatePage(w http.ResponseWriter, r *http.Request) {
	if s.opts.ReadOnly {
		s.message(w, r, http.StatusForbidden, "Read-only", "This server is read-only: adjudication is off.")
		return
	}
	p, ok := s.findPassage(w, r)
	if !ok {
		return
	}
	a, b := r.URL.Query().Get("a"), r.URL.Query().Get("b")
	doc, err := s.store.Document(p.Doc)
	if err != nil {
		s.fail(w, r, "read document", err)
		return
	}
	anns, err := s.annotations(p)
	if err != nil {
		s.fail(w, r, "read annotations", err)
		return
	}
	by := map[string][]corpus.Annotation{}
	for _, x := range anns {
		if x.Human() {
			c := strings.TrimPrefix(x.Annotator, "human:")
			by[c] = append(by[c], x)
		}
	}
	body := adjudicateBody{P: p, Cite: citeAt(doc, p), A: a, B: b, Action: adjudicateURL(p.ID), By: signedIn(r)}
	if a != "" && b != "" {
		body.Back = agreementURL(a, b)
	}
	for _, c := range []string{a, b, pipeline.Consensus} {
		if c == "" {
			continue
		}
		sd := side{Coder: c, Memo: memoOf(by[c])}
		for _, x := range by[c] {
			switch x.Type {
			case corpus.AnnCode:
				sd.Codes = append(sd.Codes, x.Code)
			case corpus.AnnLabel:
				sd.Labels = append(sd.Labels, x.Label)
			}
		}
		sd.None = len(sd.Codes)+len(sd.Labels) == 0
		body.Sides = append(body.Sides, sd)
	}
	start := pipeline.Consensus
	if len(by[pipeline.Consensus]) == 0 {
		// What both coders gave, as if a coder had given it.
		start = "\x00both"
		for _, x := range by[a] {
			if slices.ContainsFunc(by[b], func(y corpus.Annotation) bool {
				return y.Type == x.Type && y.Code == x.Code && y.Label == x.Label && y.Negated == x.Negated
			}) {
				x.Annotator, x.Note = "human:"+start, ""
				anns = append(anns, x)
			}
		}
	}
	body.Form = s.form(p, start, anns, false)
	body.FromConsensus = start == pipeline.Consensus
	body.Form.Action, body.Form.Coder, body.Form.Fixed = body.Action, pipeline.Consensus, true
	s.render(w, r, http.StatusOK, "adjudicate", "Adjudicate "+p.ID.Short(), "", body)
}

// handleAdjudicate stores the posted codes as coder "consensus" and goes
// back to the agreement page of the pair.
func (s *server) handleAdjudicate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.passageForm(w, r, "adjudication")
	if !ok {
		return
	}
	// Who adjudicates must be someone: signed in, or (no accounts) named.
	who, code, why := s.writer(r, r.PostForm.Get("by"))
	if why != "" {
		s.message(w, r, code, "Cannot adjudicate", why)
		return
	}
	in := codeSet{Codes: r.PostForm["code"], Labels: r.PostForm["label"], Memo: r.PostForm.Get("memo")}
	if code, why, err := s.save(r.Context(), pipeline.Consensus, p, in); err != nil {
		s.fail(w, r, "store adjudicated codes", err)
		return
	} else if why != "" {
		s.message(w, r, code, "Not saved", why)
		return
	}
	s.log.Info("adjudicated", zap.String(corpus.LogKeyPassage, string(p.ID)), zap.String("by", who),
		zap.String("a", r.PostForm.Get("a")), zap.String("b", r.PostForm.Get("b")))
	back := "/agreement"
	if a, b := r.PostForm.Get("a"), r.PostForm.Get("b"); a != "" && b != "" {
		back = agreementURL(a, b)
	}
	http.Redirect(w, r, back+"#adjudicated", http.StatusSeeOther)
}
