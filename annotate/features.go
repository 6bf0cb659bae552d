package annotate

import (
	"slices"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// Features of a passage, for the learned layer. Only the sentences that
// may give codes (codeSent: those about peers and, in a passage about
// peers, those about the people served or naming no actor) contribute
// words and cue hits; sentences about other actors are invisible to the
// model, as they are to the rules.
//
//	k:<focus>      the passage has a sentence of that focus (label, term,
//	               anaphor), k:unresolved an anaphor opening a passage
//	               given alone, k:other a sentence about another actor
//	lang:fr        the passage is in French
//	f:<family>     a label family is named (not negated); f:multi for
//	               several, f:none for none
//	r:<code>       a cue of the code matched in such a sentence (not
//	               negated); rl:<code> in a sentence naming a label;
//	               r2:<code> two matches or more; n:<code> a negated match
//	w:<stem>       a word of such a sentence (snowball stem, no stop words)
//	w:!<stem>      the same in the scope of a negation or inside a negated cue
//	b:<stem> <stem> two successive words of such a sentence
//
// Rule features (r:, rl:, r2:, n:) are left out of a text-only model.

// featurize calls emit with each feature of a (a passage with a peer
// sentence) and, for word features, the token it comes from (-1 for
// others). A feature may be emitted more than once. The key is only
// valid during the call.
func (t *Tagger) featurize(sc *scratch, a *analysis, textOnly bool, emit func(key []byte, tok int)) {
	buf := sc.buf[:0]
	put := func(parts ...string) []byte {
		buf = buf[:0]
		for _, s := range parts {
			buf = append(buf, s...)
		}
		return buf
	}
	var kinds [len(focusNames)]bool
	unresolved, other := false, false
	for _, s := range a.sents {
		kinds[s.kind] = true
		if s.unresolved {
			unresolved = true
		}
		if s.kind == focusOther {
			other = true
		}
	}
	for k := focusLabel; k <= focusCont; k++ {
		if kinds[k] {
			emit(put("k:", k.String()), -1)
		}
	}
	if unresolved {
		emit(put("k:unresolved"), -1)
	}
	if other {
		emit(put("k:other"), -1)
	}
	if a.lang == "fr" {
		emit(put("lang:fr"), -1)
	}
	switch len(a.passF) {
	case 0:
		emit(put("f:none"), -1)
	case 1:
	default:
		emit(put("f:multi"), -1)
	}
	for _, f := range a.passF {
		emit(put("f:", f), -1)
	}
	if !textOnly {
		for i := 0; i < len(a.hits); {
			code := a.hits[i].code
			j := i
			n, inLabel, neg := 0, false, false
			for ; j < len(a.hits) && a.hits[j].code == code; j++ {
				s := a.hitSent[j]
				if !a.codeSent(s) {
					continue
				}
				if a.neg[j] {
					neg = true
					continue
				}
				n++
				if a.sents[s].kind == focusLabel {
					inLabel = true
				}
			}
			i = j
			if n > 0 {
				emit(put("r:", code), -1)
			}
			if n > 1 {
				emit(put("r2:", code), -1)
			}
			if inLabel {
				emit(put("rl:", code), -1)
			}
			if neg {
				emit(put("n:", code), -1)
			}
		}
	}
	stop := english.IsStopWord
	if a.lang == "fr" {
		stop = frenchStop
	}
	// Words in the scope of a negation, or inside a negated cue, are
	// other features ("w:!" + stem): "lived experience is not required"
	// says nothing for lived experience.
	sc.negTok = slices.Grow(sc.negTok[:0], len(a.toks))[:len(a.toks)]
	clear(sc.negTok)
	for k, h := range a.hits {
		if a.neg[k] {
			for i := h.from; i < h.to; i++ {
				sc.negTok[i] = true
			}
		}
	}
	for si, s := range a.sents {
		if !a.codeSent(si) {
			continue
		}
		prev := ""
		for i := s.from; i < s.to; i++ {
			n := a.toks[i].norm
			if len(n) < 2 || isNumber(n) || stop(n) {
				continue
			}
			st := a.stems[i]
			if st == "" {
				st = a.rs.stemWord(n)
			}
			if sc.negTok[i] || a.rs.negated(a.toks, i) {
				emit(put("w:!", st), -1)
				prev = ""
				continue
			}
			emit(put("w:", st), i)
			if prev != "" {
				emit(put("b:", prev, " ", st), -1)
			}
			prev = st
		}
	}
	sc.buf = buf
}

func frenchStop(w string) bool {
	switch w {
	case "etre", "ete", "etait", "etaient", "avoir", "comme", "plus", "tres", "cette", "celui", "celle", "ceux", "dont", "ou", "ainsi", "entre", "sans", "aussi", "tout", "tous", "toutes", "leurs":
		return true
	}
	return french.IsStopWord(w)
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// stemWord returns the snowball stem of a normalised word, through the
// ruleSet's cache.
func (rs *ruleSet) stemWord(w string) string {
	if k := smallIdx(w); k >= 0 && rs.small[k].stem != "" {
		return rs.small[k].stem
	}
	s := rs.st
	s.mu.RLock()
	e, ok := s.cache[w]
	s.mu.RUnlock()
	if ok {
		return e.stem
	}
	return rs.entry(w).stem
}
