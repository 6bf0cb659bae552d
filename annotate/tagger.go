package annotate

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// Options configures a Tagger. The zero value works.
type Options struct {
	Logger *zap.Logger // nil means zap.NewNop()
}

// A Tagger annotates passages with the peer labels and the codes of a
// codebook. It is safe for concurrent use.
type Tagger struct {
	cb        *Codebook
	log       *zap.Logger
	lex       *lexicon
	en, fr    *ruleSet
	annotator string
	scratch   sync.Pool // *scratch
}

// scratch holds the buffers of one Tag call, reused across calls.
type scratch struct {
	toks  []token
	stems []string
	cands [][]int32
	lab   []int32
	ms    []mention
	hits  []hit
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
	t := &Tagger{
		cb:        cb,
		log:       log,
		lex:       newLexicon(cb),
		en:        newRuleSet(cb, "en"),
		fr:        newRuleSet(cb, "fr"),
		annotator: "rules@" + cb.Version(),
	}
	t.scratch.New = func() any { return &scratch{} }
	log.Debug("tagger compiled", zap.String("codebook", cb.Version()),
		zap.Int("labels", len(t.lex.labels)), zap.Int("rules_en", len(t.en.rules)), zap.Int("rules_fr", len(t.fr.rules)))
	return t, nil
}

// Codebook returns the codebook t was built from.
func (t *Tagger) Codebook() *Codebook { return t.cb }

// Annotator returns the annotator name t writes: "rules@<codebook version>".
func (t *Tagger) Annotator() string { return t.annotator }

// Tag annotates the passages of doc (doc may be nil). Codes link to the
// label families named in their sentence, else in their passage, else in
// any passage of ps. The result is sorted with corpus.SortAnnotations and
// depends only on the input and the codebook.
func (t *Tagger) Tag(doc *corpus.Document, ps []corpus.Passage) []corpus.Annotation {
	lang := ""
	if doc != nil {
		lang = doc.Lang
	}
	sc := t.scratch.Get().(*scratch)
	defer t.scratch.Put(sc)
	var (
		out   []corpus.Annotation
		toks  = sc.toks
		stems = sc.stems
		cands = sc.cands
		lab   = sc.lab
		ms    = sc.ms
		hits  = sc.hits
		pend  []pending
		docF  []string
	)
	defer func() {
		clear(cands)
		sc.toks, sc.stems, sc.cands, sc.ms, sc.hits, sc.lab = toks[:0], stems[:0], cands[:0], ms[:0], hits[:0], lab[:0]
	}()
	for _, p := range ps {
		toks = tokenize(p.Text, toks)
		rs := t.rules(lang, toks)
		ms = t.lex.find(p.Text, toks, ms[:0])
		t.lex.dropByContext(toks, ms)
		for _, m := range ms {
			if m.label < 0 {
				continue // hard negative
			}
			li := t.lex.labels[m.label]
			neg := rs.negated(toks, m.from)
			if !neg {
				docF = append(docF, li.family)
			}
			out = append(out, corpus.Annotation{
				Passage:    p.ID,
				Type:       corpus.AnnLabel,
				Label:      li.label,
				Family:     li.family,
				Negated:    neg,
				Spans:      []corpus.Span{{Start: toks[m.from].start, End: toks[m.to-1].end}},
				Rule:       m.rule,
				Annotator:  t.annotator,
				Codebook:   t.cb.version,
				Confidence: labelConfidence(m.rule, neg),
			})
		}
		stems, cands = rs.stemAll(toks, stems, cands)
		lab = labelStarts(ms, len(toks), lab)
		hits = rs.match(&seq{toks: toks, stems: stems, lab: lab}, cands, hits[:0])
		hits = t.implied(toks, rs, ms, hits)
		pend = t.codes(p, toks, rs, ms, hits, pend)
	}
	slices.Sort(docF)
	docF = slices.Compact(docF)
	for _, c := range pend {
		a := c.ann
		if !a.Negated && a.LinkScope == "" && len(docF) > 0 {
			a.Links = slices.Clone(docF)
			a.LinkScope = "document"
		}
		out = append(out, a)
	}
	corpus.SortAnnotations(out)
	return out
}

// TagText annotates one text as a passage without ID or document. lang is
// "en", "fr" or "" (guessed from the text).
func (t *Tagger) TagText(text, lang string) []corpus.Annotation {
	var doc *corpus.Document
	if lang != "" {
		doc = &corpus.Document{Lang: lang}
	}
	return t.Tag(doc, []corpus.Passage{{Text: text, End: len(text)}})
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
func (t *Tagger) implied(toks []token, rs *ruleSet, ms []mention, hits []hit) []hit {
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

// A pending code annotation waits for the document's label families.
type pending struct {
	ann corpus.Annotation
}

// codes turns the hits of one passage into one annotation per code.
func (t *Tagger) codes(p corpus.Passage, toks []token, rs *ruleSet, ms []mention, hits []hit, out []pending) []pending {
	if len(hits) == 0 {
		return out
	}
	// Drop cues overlapped by an exclusion of the same code (in place:
	// hits is not used after this).
	keep := hits[:0:0]
	anyExcl := false
	for _, h := range hits {
		if h.excl {
			anyExcl = true
			break
		}
	}
	if !anyExcl {
		keep = hits
	}
	for _, h := range hits {
		if !anyExcl {
			break
		}
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
	slices.SortStableFunc(keep, func(a, b hit) int {
		if c := compareStr(a.code, b.code); c != 0 {
			return c
		}
		if a.from != b.from {
			return a.from - b.from
		}
		return compareStr(a.rule, b.rule)
	})
	// Families named in the passage, and by sentence.
	var passF []string
	type sentFam struct {
		sent int
		fam  string
	}
	var sentF []sentFam
	for _, m := range ms {
		if m.label < 0 || rs.negated(toks, m.from) {
			continue
		}
		f := t.lex.labels[m.label].family
		passF = append(passF, f)
		sentF = append(sentF, sentFam{toks[m.from].sent, f})
	}
	slices.Sort(passF)
	passF = slices.Compact(passF)
	for i := 0; i < len(keep); {
		code := keep[i].code
		j := i
		for j < len(keep) && keep[j].code == code {
			j++
		}
		group := keep[i:j]
		i = j
		var spans []corpus.Span
		var links []string
		rule := ""
		for _, h := range group {
			if rs.negated(toks, h.from) || rs.postNegated(toks, h.to) {
				continue
			}
			if rule == "" {
				rule = h.rule
			}
			spans = append(spans, corpus.Span{Start: toks[h.from].start, End: toks[h.to-1].end})
			for _, sf := range sentF {
				if sf.sent == toks[h.from].sent {
					links = append(links, sf.fam)
				}
			}
		}
		a := corpus.Annotation{
			Passage:   p.ID,
			Type:      corpus.AnnCode,
			Code:      code,
			Annotator: t.annotator,
			Codebook:  t.cb.version,
		}
		if len(spans) == 0 {
			h := group[0]
			a.Negated = true
			a.Spans = []corpus.Span{{Start: toks[h.from].start, End: toks[h.to-1].end}}
			a.Rule = h.rule
			a.Confidence = 0.5
			out = append(out, pending{a})
			continue
		}
		a.Spans = dedupSpans(spans)
		a.Rule = rule
		slices.Sort(links)
		links = slices.Compact(links)
		switch {
		case len(links) > 0:
			a.Links, a.LinkScope = links, "sentence"
		case len(passF) > 0:
			a.Links, a.LinkScope = slices.Clone(passF), "passage"
		}
		a.Confidence = codeConfidence(len(a.Spans), a.LinkScope)
		out = append(out, pending{a})
	}
	return out
}

func codeConfidence(n int, scope string) float64 {
	c := 0.6 + 0.1*float64(min(n-1, 2))
	if scope == "sentence" {
		c += 0.05
	}
	return c
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

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
