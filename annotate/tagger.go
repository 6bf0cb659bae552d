package annotate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// Options configures a Tagger. The zero value works: the learned layer
// decides when the embedded model was trained with the Tagger's codebook,
// and the rules alone otherwise.
type Options struct {
	Logger *zap.Logger // nil means zap.NewNop()
	// Model is the learned layer. Nil means the embedded model
	// (DefaultModel) if it was trained with the codebook, else none.
	Model *Model
	// Rules makes the rules alone decide, without the learned layer
	// (annotator "rules@<codebook version>").
	Rules bool
	// AllSentences turns peer focus off: every sentence counts as speaking
	// about peers, as the rules did before peer focus. For comparison.
	AllSentences bool
}

// A Tagger annotates passages with the peer labels and the codes of a
// codebook. It is safe for concurrent use.
type Tagger struct {
	cb        *Codebook
	log       *zap.Logger
	lex       *lexicon
	en, fr    *ruleSet
	model     *Model // nil: rules alone
	conf      *Model // the rule precisions of rules@ confidences; nil: fixed values
	all       bool   // AllSentences
	back      [][]string
	annotator string
	scratch   sync.Pool // *scratch
}

// scratch holds the buffers of one Tag call, reused across calls.
type scratch struct {
	toks   []token
	stems  []string
	cands  [][]int32
	lab    []int32
	ms     []mention
	hits   []hit
	focus  []sentFocus
	feats  []int32   // model feature indices of the passage
	tokF   []int32   // pairs (feature index, token) of word features
	z      []float64 // model scores
	negTok []bool    // per token: negated
	buf    []byte
}

// New compiles the codebook's lexicon and cue patterns into a Tagger.
func New(cb *Codebook, opts Options) (*Tagger, error) {
	if cb == nil {
		return nil, fmt.Errorf("new tagger: no codebook")
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	// The French patterns and the embedded model are made ready on other
	// goroutines while this one compiles the rest: a process that tags
	// a few passages pays mostly for this.
	var (
		wg    sync.WaitGroup
		fr    *ruleSet
		dm    *Model
		dmErr error
	)
	wg.Go(func() { fr = newRuleSet(cb, "fr") })
	if opts.Model == nil {
		wg.Go(func() { dm, dmErr = DefaultModel() })
	}
	t := &Tagger{
		cb:  cb,
		log: log,
		lex: newLexicon(cb),
		en:  newRuleSet(cb, "en"),
		all: opts.AllSentences,
	}
	for _, h := range cb.Focus.BackMatter {
		t.back = append(t.back, words(h))
	}
	wg.Wait()
	t.fr = fr
	m := opts.Model
	if m == nil {
		if err := dmErr; err != nil {
			log.Warn("embedded model unreadable; the rules decide alone", zap.Error(err))
		} else if dm.Codebook == cb.Version() {
			m = dm
		} else {
			log.Debug("the embedded model was trained with another codebook; the rules decide alone",
				zap.String("model_codebook", dm.Codebook), zap.String("codebook", cb.Version()))
		}
	} else if m.Codebook != cb.Version() {
		return nil, fmt.Errorf("new tagger: model %s was trained with codebook %s, not %s", m.Hash(), m.Codebook, cb.Version())
	}
	t.conf = m
	if !opts.Rules {
		t.model = m
	}
	t.setAnnotator()
	t.scratch.New = func() any { return &scratch{} }
	log.Debug("tagger compiled", zap.String("annotator", t.annotator),
		zap.Int("labels", len(t.lex.labels)), zap.Int("rules_en", len(t.en.rules)), zap.Int("rules_fr", len(t.fr.rules)))
	return t, nil
}

func (t *Tagger) setAnnotator() {
	if t.model != nil {
		t.annotator = "model@" + t.cb.Version() + "+" + t.model.Hash()
	} else {
		t.annotator = "rules@" + t.cb.Version()
	}
}

// WithModel returns a Tagger that shares t's compiled codebook and decides
// with m (trained with t's codebook), or with the rules alone when m is
// nil.
func (t *Tagger) WithModel(m *Model) (*Tagger, error) {
	if m != nil && m.Codebook != t.cb.Version() {
		return nil, fmt.Errorf("tagger with model: model %s was trained with codebook %s, not %s", m.Hash(), m.Codebook, t.cb.Version())
	}
	u := &Tagger{cb: t.cb, log: t.log, lex: t.lex, en: t.en, fr: t.fr, model: m, conf: t.conf, all: t.all, back: t.back}
	if m != nil {
		u.conf = m
	}
	u.setAnnotator()
	u.scratch.New = func() any { return &scratch{} }
	return u, nil
}

// Codebook returns the codebook t was built from.
func (t *Tagger) Codebook() *Codebook { return t.cb }

// Model returns the learned layer of t, nil when the rules decide alone.
func (t *Tagger) Model() *Model { return t.model }

// Annotator returns the annotator name t writes: "model@<codebook
// version>+<8 hex digits of the model's hash>" when the learned layer
// decides, "rules@<codebook version>" for the rules alone.
func (t *Tagger) Annotator() string { return t.annotator }

// Tag annotates the passages of doc (doc may be nil), in document order.
// Each passage judged to speak about peers gets one corpus.AnnPeer
// annotation; codes come only from its peer sentences. Codes link to the
// label families named in their sentence, else carried by its anaphor,
// else named in their passage, else in any passage of ps. The result is
// sorted with corpus.SortAnnotations and depends only on the input, the
// codebook and the model.
func (t *Tagger) Tag(doc *corpus.Document, ps []corpus.Passage) []corpus.Annotation {
	return t.tag(doc, ps, docStart, nil)
}

// TagText annotates one text as a passage without ID or document. lang is
// "en", "fr" or "" (guessed from the text). The passage has no context: an
// anaphor that opens it ("They ...") is taken to carry peers.
func (t *Tagger) TagText(text, lang string) []corpus.Annotation {
	var doc *corpus.Document
	if lang != "" {
		doc = &corpus.Document{Lang: lang}
	}
	return t.tag(doc, []corpus.Passage{{Text: text, End: len(text)}}, focusState{}, nil)
}

// Scores returns the learned layer's probabilities for each passage of
// doc, in order; nil if t has no model.
func (t *Tagger) Scores(doc *corpus.Document, ps []corpus.Passage) []PassageScore {
	if t.model == nil {
		return nil
	}
	out := make([]PassageScore, 0, len(ps))
	t.tag(doc, ps, docStart, func(s PassageScore) { out = append(out, s) })
	return out
}

// tag annotates ps starting from focus state st0; score, if not nil,
// receives the model's probabilities of each passage.
func (t *Tagger) tag(doc *corpus.Document, ps []corpus.Passage, st0 focusState, score func(PassageScore)) []corpus.Annotation {
	lang := ""
	if doc != nil {
		lang = doc.Lang
	}
	sc := t.scratch.Get().(*scratch)
	defer t.scratch.Put(sc)
	var (
		out  []corpus.Annotation
		pend []corpus.Annotation
		docF []string
		st   = st0
		sec  string
	)
	for i := range ps {
		p := &ps[i]
		if k := sectionKey(p.Section); k != sec {
			sec = k
			if st.known {
				st = docStart
			}
		}
		a := t.analyze(sc, p, lang, st)
		st = a.state
		for _, m := range a.ms {
			if m.label < 0 {
				continue // hard negative
			}
			li := t.lex.labels[m.label]
			neg := a.rs.negated(a.toks, m.from)
			if !neg {
				docF = append(docF, li.family)
			}
			out = append(out, corpus.Annotation{
				Passage:    p.ID,
				Type:       corpus.AnnLabel,
				Label:      li.label,
				Family:     li.family,
				Negated:    neg,
				Spans:      []corpus.Span{{Start: a.toks[m.from].start, End: a.toks[m.to-1].end}},
				Rule:       m.rule,
				Annotator:  t.annotator,
				Codebook:   t.cb.version,
				Confidence: labelConfidence(m.rule, neg),
			})
		}
		if t.model != nil {
			out, pend = t.modelCodes(sc, a, out, pend, score)
		} else {
			out, pend = t.ruleCodes(a, out, pend)
		}
	}
	slices.Sort(docF)
	docF = slices.Compact(docF)
	for _, a := range pend {
		if len(docF) > 0 {
			a.Links = slices.Clone(docF)
			a.LinkScope = "document"
		}
		out = append(out, a)
	}
	corpus.SortAnnotations(out)
	return out
}

// An analysis is one passage tokenized, with its labels, cue hits and the
// peer focus of its sentences.
type analysis struct {
	p       *corpus.Passage
	lang    string
	rs      *ruleSet
	toks    []token
	stems   []string
	ms      []mention
	hits    []hit // code hits, exclusions applied, sorted by code then position
	sents   []sentFocus
	first   int        // sentence ordinal of the first token
	passF   []string   // non-negated label families of the passage, sorted
	peer    bool       // some sentence speaks about peers
	back    bool       // the passage sits under a back-matter heading
	state   focusState // after the passage
	neg     []bool     // per hit: negated
	hitSent []int      // per hit: index into sents
}

// analyze tokenizes p, finds its labels and cues and computes its focus.
// The analysis uses sc's buffers: it is valid until the next call.
func (t *Tagger) analyze(sc *scratch, p *corpus.Passage, lang string, st focusState) *analysis {
	sc.toks = tokenize(p.Text, sc.toks)
	toks := sc.toks
	rs := t.rules(lang, toks)
	a := &analysis{p: p, rs: rs, toks: toks, lang: rs.lang}
	sc.ms = t.lex.find(p.Text, toks, sc.ms[:0])
	t.lex.dropByContext(toks, sc.ms)
	a.ms = sc.ms
	sc.stems, sc.cands = rs.stemAll(toks, sc.stems, sc.cands)
	a.stems = sc.stems
	sc.lab = labelStarts(a.ms, len(toks), sc.lab)
	hits := rs.match(&seq{toks: toks, stems: sc.stems, lab: sc.lab}, sc.cands, sc.hits[:0])
	clear(sc.cands)
	hits = t.implied(toks, a.ms, hits)
	hits = resolveExclusions(hits)
	sc.hits = hits
	// Focus hits go to focus; code hits stay.
	n := 0
	for _, h := range hits {
		if h.code[0] != '@' {
			n++
		}
	}
	codeHits := make([]hit, 0, n)
	focusHits := hits[:0:0]
	for _, h := range hits {
		if h.code[0] == '@' {
			focusHits = append(focusHits, h)
		} else {
			codeHits = append(codeHits, h)
		}
	}
	a.hits = codeHits
	if len(toks) > 0 {
		a.first = toks[0].sent
	}
	a.back = t.backMatter(p.Section)
	if a.back {
		sc.focus = sc.focus[:0]
		a.state = st
		if st.known {
			a.state = docStart
		}
	} else {
		sc.focus, a.state = focus(toks, a.ms, t.lex, func(i int) bool { return rs.negated(toks, i) }, focusHits, st, sc.focus)
	}
	a.sents = sc.focus
	if t.all && !a.back {
		for i := range a.sents {
			if !a.sents[i].kind.peer() {
				a.sents[i].kind = focusTerm
			}
		}
	}
	for _, s := range a.sents {
		if s.kind.peer() {
			a.peer = true
			break
		}
	}
	for _, m := range a.ms {
		if m.label >= 0 && !rs.negated(toks, m.from) {
			a.passF = append(a.passF, t.lex.labels[m.label].family)
		}
	}
	slices.Sort(a.passF)
	a.passF = slices.Compact(a.passF)
	a.neg = make([]bool, len(a.hits))
	a.hitSent = make([]int, len(a.hits))
	for i, h := range a.hits {
		a.neg[i] = rs.negated(toks, h.from) || rs.postNegated(toks, h.to)
		a.hitSent[i] = toks[h.from].sent - a.first
	}
	return a
}

// codeSent reports whether codes may come from sentence i of a: it speaks
// about peers, or the passage does and the sentence speaks about the
// people served or names no actor (what the programme gives its
// participants: "Participants receive home visits"). Sentences about
// other actors (professionals, the study, the control group) never give
// codes, nor do the clauses of a run-on sentence (a list or a table row)
// that are not about peers themselves.
func (a *analysis) codeSent(i int) bool {
	if i >= len(a.sents) {
		return false
	}
	s := &a.sents[i]
	return s.kind.peer() || (a.peer && (s.kind == focusServed || s.kind == focusNone) && !a.toks[s.from].cut)
}

// resolveExclusions drops the cues overlapped by an exclusion of the same
// code, and the exclusions, and sorts the rest by code, position and rule.
func resolveExclusions(hits []hit) []hit {
	anyExcl := false
	for _, h := range hits {
		if h.excl {
			anyExcl = true
			break
		}
	}
	keep := hits
	if anyExcl {
		keep = make([]hit, 0, len(hits))
		for _, h := range hits {
			if h.excl {
				continue
			}
			excluded := false
			for _, x := range hits {
				if x.excl && x.code == h.code && x.from < h.to && h.from < x.to {
					excluded = true
					break
				}
			}
			if !excluded {
				keep = append(keep, h)
			}
		}
	}
	slices.SortStableFunc(keep, func(a, b hit) int {
		if c := strings.Compare(a.code, b.code); c != 0 {
			return c
		}
		if a.from != b.from {
			return a.from - b.from
		}
		return strings.Compare(a.rule, b.rule)
	})
	return keep
}

func (t *Tagger) rules(lang string, toks []token) *ruleSet {
	switch {
	case lang == "fr" || strings.HasPrefix(lang, "fr-") || strings.HasPrefix(lang, "fr_"):
		return t.fr
	case lang != "":
		return t.en
	}
	if guessFrench(toks) {
		return t.fr
	}
	return t.en
}

// guessFrench counts French and English function words.
func guessFrench(toks []token) bool {
	fr, en := 0, 0
	for _, tk := range toks {
		switch tk.norm {
		case "le", "la", "les", "des", "du", "et", "une", "est", "pour", "dans", "qui", "sont", "au", "aux", "par":
			fr++
		case "the", "and", "of", "is", "are", "for", "in", "to", "with", "that", "by":
			en++
		}
	}
	return fr > en
}

func labelConfidence(rule string, neg bool) float64 {
	c := 0.95
	if len(rule) > 5 && rule[:5] == "abbr:" {
		c = 0.9
	}
	if neg {
		c -= 0.2
	}
	return c
}

// A hit is a cue or exclusion pattern found in the tokens [from, to), or a
// code implied by a label mention.
type hit struct {
	code     string
	rule     string
	excl     bool
	from, to int
}

// match finds every cue and exclusion pattern in toks.
func (rs *ruleSet) match(sq *seq, cands [][]int32, out []hit) []hit {
	toks, stems := sq.toks, sq.stems
	for i := range toks {
		if len(sq.lab) > 0 && sq.lab[i] > 0 {
			for _, r := range rs.byLabel {
				if end := rs.matchAt(rs.rules[r].elems, sq, i); end > 0 {
					out = append(out, rs.hit(r, i, end))
				}
			}
		}
		if stems[i] != "" {
			for _, r := range cands[i] {
				if end := rs.matchAt(rs.rules[r].elems, sq, i); end > 0 {
					out = append(out, rs.hit(r, i, end))
				}
			}
		}
		n := toks[i].norm
		if k := tri(n); k >= 0 {
			for _, r := range rs.preTri[k] {
				if end := rs.matchAt(rs.rules[r].elems, sq, i); end > 0 {
					out = append(out, rs.hit(r, i, end))
				}
			}
		} else if len(n) >= 3 && !isASCII(n[:3]) {
			for _, r := range rs.byPre[n[:3]] {
				if end := rs.matchAt(rs.rules[r].elems, sq, i); end > 0 {
					out = append(out, rs.hit(r, i, end))
				}
			}
		}
	}
	return out
}

func (rs *ruleSet) hit(r int32, from, to int) hit {
	ru := &rs.rules[r]
	return hit{code: ru.code, rule: ru.name, excl: ru.excl, from: from, to: to}
}

// implied drops the cues that lie inside a label or hard negative (a label
// is a name, not a description: "peer navigator" says nothing of
// navigation) and adds the codes that labels imply by themselves.
func (t *Tagger) implied(toks []token, ms []mention, hits []hit) []hit {
	if len(ms) == 0 {
		return hits
	}
	out := hits[:0]
	for _, h := range hits {
		inside := false
		for _, m := range ms {
			if m.from <= h.from && h.to <= m.to {
				inside = true
				break
			}
		}
		if !inside || h.excl {
			out = append(out, h)
		}
	}
	for _, m := range ms {
		if m.label < 0 {
			continue
		}
		li := t.lex.labels[m.label]
		for _, c := range li.implies {
			out = append(out, hit{code: c, rule: "implied:" + li.label, from: m.from, to: m.to})
		}
	}
	return out
}

// labelStarts returns, for each token, the end of the label mention that
// starts there (0 if none), or nil if the passage names no label.
func labelStarts(ms []mention, n int, lab []int32) []int32 {
	has := false
	for _, m := range ms {
		if m.label >= 0 {
			has = true
			break
		}
	}
	if !has {
		return lab[:0]
	}
	lab = slices.Grow(lab[:0], n)[:n]
	clear(lab)
	for _, m := range ms {
		if m.label >= 0 {
			lab[m.from] = int32(m.to)
		}
	}
	return lab
}

// links returns the label families a code carried by the given sentences
// describes, and the scope: families named in one of them ("sentence"),
// else carried by an anaphor among them ("anaphora"), else named in the
// passage ("passage"). An empty scope means the document decides.
func (a *analysis) links(sents []int) ([]string, string) {
	var fams []string
	for _, s := range sents {
		if a.sents[s].kind == focusLabel {
			fams = append(fams, a.sents[s].fams...)
		}
	}
	scope := "sentence"
	if len(fams) == 0 {
		for _, s := range sents {
			if a.sents[s].kind == focusAnaphor {
				fams = append(fams, a.sents[s].fams...)
			}
		}
		scope = "anaphora"
	}
	if len(fams) == 0 {
		if len(a.passF) == 0 {
			return nil, ""
		}
		return slices.Clone(a.passF), "passage"
	}
	slices.Sort(fams)
	return slices.Compact(fams), scope
}

// peerAnnotation returns the AnnPeer annotation of a passage judged to
// speak about peers: its spans are the peer sentences.
func (t *Tagger) peerAnnotation(a *analysis, conf float64) corpus.Annotation {
	var spans []corpus.Span
	for _, s := range a.sents {
		if s.kind.peer() {
			spans = append(spans, corpus.Span{Start: a.toks[s.from].start, End: a.toks[s.to-1].end})
		}
	}
	return corpus.Annotation{
		Passage:    a.p.ID,
		Type:       corpus.AnnPeer,
		Spans:      spans,
		Rule:       "focus:" + a.focusRule(),
		Annotator:  t.annotator,
		Codebook:   t.cb.version,
		Confidence: conf,
	}
}

// focusRule names the strongest focus of a's sentences.
func (a *analysis) focusRule() string {
	best := focusNone
	for _, s := range a.sents {
		if s.kind.peer() && (best == focusNone || s.kind < best) {
			best = s.kind
		}
	}
	return best.String()
}

// ruleCodes turns the hits of one passage's peer sentences into one
// annotation per code (the rules alone).
func (t *Tagger) ruleCodes(a *analysis, out, pend []corpus.Annotation) ([]corpus.Annotation, []corpus.Annotation) {
	if !a.peer {
		return out, pend
	}
	out = append(out, t.peerAnnotation(a, t.ruleConfidence("")))
	hits := a.hits
	for i := 0; i < len(hits); {
		code := hits[i].code
		j := i
		for j < len(hits) && hits[j].code == code {
			j++
		}
		var spans []corpus.Span
		var sents []int
		rule, anyPeer := "", false
		first := -1
		for k := i; k < j; k++ {
			if !a.codeSent(a.hitSent[k]) {
				continue
			}
			anyPeer = true
			if first < 0 {
				first = k
			}
			if a.neg[k] {
				continue
			}
			h := hits[k]
			if rule == "" {
				rule = h.rule
			}
			spans = append(spans, corpus.Span{Start: a.toks[h.from].start, End: a.toks[h.to-1].end})
			sents = append(sents, a.hitSent[k])
		}
		i = j
		if !anyPeer {
			continue
		}
		ann := corpus.Annotation{
			Passage:   a.p.ID,
			Type:      corpus.AnnCode,
			Code:      code,
			Annotator: t.annotator,
			Codebook:  t.cb.version,
		}
		if len(spans) == 0 {
			h := hits[first]
			ann.Negated = true
			ann.Spans = []corpus.Span{{Start: a.toks[h.from].start, End: a.toks[h.to-1].end}}
			ann.Rule = h.rule
			ann.Confidence = 0.5
			out = append(out, ann)
			continue
		}
		ann.Spans = dedupSpans(spans)
		ann.Rule = rule
		ann.Links, ann.LinkScope = a.links(sents)
		ann.Confidence = t.ruleConfidence(code)
		if ann.LinkScope == "" {
			pend = append(pend, ann)
		} else {
			out = append(out, ann)
		}
	}
	return out, pend
}

func dedupSpans(ss []corpus.Span) []corpus.Span {
	slices.SortFunc(ss, func(a, b corpus.Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return slices.Compact(ss)
}

func compareStr(a, b string) int { return strings.Compare(a, b) }

// ruleConfidence is the confidence of a code given by the rules (code ""
// for the peer decision): the precision of the rules on the training set,
// as measured when the model was trained, or 0.7 without a model.
func (t *Tagger) ruleConfidence(code string) float64 {
	m := t.conf
	if m == nil {
		return 0.7
	}
	if code == "" {
		return m.RulePeer
	}
	if c := m.codeIndex(code); c >= 0 {
		return m.RulePrecision[c]
	}
	return 0.7
}

// modelCodes gives one passage's peer decision and codes by the learned
// layer. A passage without a peer sentence gets neither. A code's evidence
// is its cue hits in the peer sentences, else the word of those sentences
// that weighs most for it.
func (t *Tagger) modelCodes(sc *scratch, a *analysis, out, pend []corpus.Annotation, score func(PassageScore)) ([]corpus.Annotation, []corpus.Annotation) {
	if !a.peer {
		if score != nil {
			score(PassageScore{Passage: a.p.ID})
		}
		return out, pend
	}
	m := t.model
	sc.feats, sc.tokF = sc.feats[:0], sc.tokF[:0]
	t.featurize(sc, a, m.Options.TextOnly, func(key []byte, tok int) {
		if j, ok := m.index[string(key)]; ok {
			sc.feats = append(sc.feats, j)
			if tok >= 0 {
				sc.tokF = append(sc.tokF, j, int32(tok))
			}
		}
	})
	slices.Sort(sc.feats)
	sc.feats = slices.Compact(sc.feats)
	sc.z = m.scores(sc.feats, sc.z)
	z := sc.z
	pPeer := m.Peer.prob(z[0])
	var probs []float64
	if score != nil {
		probs = make([]float64, len(m.Codes))
	}
	for c := range m.Codes {
		if probs != nil {
			probs[c] = m.Code[c].prob(z[1+c])
		}
	}
	if score != nil {
		score(PassageScore{Passage: a.p.ID, Peer: pPeer, Codes: probs})
	}
	if pPeer < 0.5 {
		return out, pend
	}
	out = append(out, t.peerAnnotation(a, round3(pPeer)))
	stride := 1 + len(m.Codes)
	for c, code := range m.Codes {
		p := m.Code[c].prob(z[1+c])
		// The cue hits of the code in peer sentences.
		var spans []corpus.Span
		var sents []int
		rule := ""
		negHit := -1
		lo, hi := codeHits(a.hits, code)
		for k := lo; k < hi; k++ {
			if !a.codeSent(a.hitSent[k]) {
				continue
			}
			h := a.hits[k]
			if a.neg[k] {
				if negHit < 0 {
					negHit = k
				}
				continue
			}
			if rule == "" {
				rule = h.rule
			}
			spans = append(spans, corpus.Span{Start: a.toks[h.from].start, End: a.toks[h.to-1].end})
			sents = append(sents, a.hitSent[k])
		}
		given := p >= m.Threshold
		if m.Calib != nil {
			p = m.Calib.at(p)
		}
		if m.ruleCode(c) {
			// The rules decide this code; their precision on the
			// training set is its confidence.
			given = len(spans) > 0
			p = m.RulePrecision[c]
		}
		if !given {
			if len(spans) == 0 && negHit >= 0 {
				// Only negated cues: say so, as the rules do.
				h := a.hits[negHit]
				out = append(out, corpus.Annotation{
					Passage: a.p.ID, Type: corpus.AnnCode, Code: code, Negated: true,
					Spans:     []corpus.Span{{Start: a.toks[h.from].start, End: a.toks[h.to-1].end}},
					Rule:      h.rule,
					Annotator: t.annotator, Codebook: t.cb.version, Confidence: round3(1 - p),
				})
			}
			continue
		}
		if len(spans) == 0 {
			// The word that weighs most for the code.
			best, bw := -1, float32(0)
			for i := 0; i < len(sc.tokF); i += 2 {
				if w := m.w[int(sc.tokF[i])*stride+1+c]; w > bw {
					best, bw = i, w
				}
			}
			if best >= 0 {
				tk := a.toks[sc.tokF[best+1]]
				spans = []corpus.Span{{Start: tk.start, End: tk.end}}
				sents = []int{tk.sent - a.first}
				rule = "model:" + m.Features[sc.tokF[best]]
			} else {
				for i, s := range a.sents {
					if s.kind.peer() {
						spans = []corpus.Span{{Start: a.toks[s.from].start, End: a.toks[s.to-1].end}}
						sents = []int{i}
						break
					}
				}
				rule = "model"
			}
		}
		ann := corpus.Annotation{
			Passage:    a.p.ID,
			Type:       corpus.AnnCode,
			Code:       code,
			Spans:      dedupSpans(spans),
			Rule:       rule,
			Annotator:  t.annotator,
			Codebook:   t.cb.version,
			Confidence: round3(p),
		}
		ann.Links, ann.LinkScope = a.links(sents)
		if ann.LinkScope == "" {
			pend = append(pend, ann)
		} else {
			out = append(out, ann)
		}
	}
	return out, pend
}

// codeHits returns the range of hits (sorted by code) of code.
func codeHits(hits []hit, code string) (int, int) {
	lo, _ := slices.BinarySearchFunc(hits, code, func(h hit, c string) int { return strings.Compare(h.code, c) })
	hi := lo
	for hi < len(hits) && hits[hi].code == code {
		hi++
	}
	return lo, hi
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// Examples returns the gold passages as the learned layer sees them, each
// tagged alone (as TagText does), with the gold decisions.
func (t *Tagger) Examples(gold []Gold) []Example {
	sc := t.scratch.Get().(*scratch)
	defer t.scratch.Put(sc)
	out := make([]Example, len(gold))
	for i, g := range gold {
		var doc *corpus.Document
		if g.Lang != "" {
			doc = &corpus.Document{Lang: g.Lang}
		}
		lang := ""
		if doc != nil {
			lang = doc.Lang
		}
		p := corpus.Passage{Text: g.Text, End: len(g.Text)}
		a := t.analyze(sc, &p, lang, focusState{})
		out[i] = Example{ID: g.ID, Doc: g.Doc, Focus: a.peer, Peer: g.IsPeer, Codes: set(g.Codes)}
		if a.peer {
			out[i].Feats = t.features(sc, a)
		}
	}
	return out
}

// DocExamples returns the passages of doc as the learned layer sees them,
// tagged in document order (as Tag does); the caller fills in the gold
// decisions.
func (t *Tagger) DocExamples(doc *corpus.Document, ps []corpus.Passage) []Example {
	sc := t.scratch.Get().(*scratch)
	defer t.scratch.Put(sc)
	lang, docID := "", ""
	if doc != nil {
		lang, docID = doc.Lang, string(doc.ID)
	}
	out := make([]Example, len(ps))
	st, sec := docStart, ""
	for i := range ps {
		p := &ps[i]
		if k := sectionKey(p.Section); k != sec {
			sec, st = k, docStart
		}
		a := t.analyze(sc, p, lang, st)
		st = a.state
		out[i] = Example{ID: string(p.ID), Doc: docID, Focus: a.peer}
		if a.peer {
			out[i].Feats = t.features(sc, a)
		}
	}
	return out
}

// features returns the sorted, distinct features of an analysed passage.
func (t *Tagger) features(sc *scratch, a *analysis) []string {
	var fs []string
	t.featurize(sc, a, false, func(key []byte, _ int) { fs = append(fs, string(key)) })
	slices.Sort(fs)
	return slices.Compact(fs)
}
