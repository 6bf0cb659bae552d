package annotate

import (
	"fmt"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"

	"github.com/peermap/peermap/internal/text"
)

// Cue pattern syntax (see doc/codebook.md):
//
//	word     matches a token with the same stem ("visits" matches "visit")
//	pre*     matches a token whose normalised form starts with "pre" (3+ letters)
//	~        matches up to maxGap tokens of the same sentence
//	@label   matches a whole peer-label mention ("train ~ @label")
//
// Words are case- and accent-insensitive; a hyphenated or elided word
// ("peer-run", "d'entraide") is several words.
const maxGap = 3

type elemKind uint8

const (
	elemStem elemKind = iota
	elemPrefix
	elemGap
	elemLabel
)

type elem struct {
	kind elemKind
	s    string // stem or prefix
	w    string // for elemStem: the normalised word as written
}

// A rawElem is an element of a parsed pattern before stemming.
type rawElem struct {
	kind elemKind
	s    string // normalised word or prefix
}

func parsePattern(p string) ([]rawElem, error) {
	var out []rawElem
	for _, f := range strings.Fields(p) {
		switch {
		case f == "@label":
			out = append(out, rawElem{kind: elemLabel})
		case f == "~":
			if len(out) == 0 || out[len(out)-1].kind == elemGap {
				return nil, fmt.Errorf("pattern %q: ~ must follow a word", p)
			}
			out = append(out, rawElem{kind: elemGap})
		case strings.HasSuffix(f, "*") && strings.Count(f, "*") == 1 && !strings.ContainsAny(f, "@~"):
			ws := words(strings.TrimSuffix(f, "*"))
			if len(ws) == 0 || len(ws[len(ws)-1]) < 3 {
				return nil, fmt.Errorf("pattern %q: prefix %q needs 3 letters or more", p, f)
			}
			for _, w := range ws[:len(ws)-1] {
				out = append(out, rawElem{kind: elemStem, s: w})
			}
			out = append(out, rawElem{kind: elemPrefix, s: ws[len(ws)-1]})
		case strings.ContainsAny(f, "*@~"):
			return nil, fmt.Errorf("pattern %q: %q: * may only end a word, and @label and ~ stand alone", p, f)
		default:
			ws := words(f)
			if len(ws) == 0 {
				return nil, fmt.Errorf("pattern %q: %q has no letters", p, f)
			}
			for _, w := range ws {
				out = append(out, rawElem{kind: elemStem, s: w})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pattern %q has no words", p)
	}
	if out[len(out)-1].kind == elemGap {
		return nil, fmt.Errorf("pattern %q: ~ must be followed by a word", p)
	}
	return out, nil
}

// A stemmer stems normalised words of one language, with a bounded cache:
// snowball costs about a microsecond a word, a cache hit a few tens of
// nanoseconds. stemAll takes the read lock once per passage.
type stemmer struct {
	fn    func(string, bool) string
	mu    sync.RWMutex
	cache map[string]stemEntry
	memo  map[string]string // while compiling (see newRuleSet)
}

type stemEntry struct {
	stem  string
	rules []int32 // rules whose first element is this stem
}

const stemCacheMax = 1 << 18

func newStemmer(lang string) *stemmer {
	if lang == "fr" {
		return &stemmer{fn: french.Stem, cache: map[string]stemEntry{}}
	}
	return &stemmer{fn: english.Stem, cache: map[string]stemEntry{}}
}

// stem returns the stem of w, memoised while a ruleSet is compiled (the
// same words recur in many patterns).
func (s *stemmer) stem(w string) string {
	if st, ok := s.memo[w]; ok {
		return st
	}
	st := s.fn(w, true)
	if s.memo != nil {
		s.memo[w] = st
	}
	return st
}

// stemAll sets stems[i] to the stem of toks[i] and cands[i] to the rules
// whose first element is that stem. It looks the cache up under one read
// lock and stems the misses after it. A token whose first three letters
// begin no stem of any pattern cannot match one; it gets the empty stem
// without a look-up (snowball stems are prefixes of the word up to their
// last letters).
func (rs *ruleSet) stemAll(toks []token, stems []string, cands [][]int32) ([]string, [][]int32) {
	s := rs.st
	stems, cands = stems[:0], cands[:0]
	miss := false
	s.mu.RLock()
	for _, tk := range toks {
		if !rs.mayStem(tk.norm) {
			stems, cands = append(stems, ""), append(cands, nil)
			continue
		}
		if k := smallIdx(tk.norm); k >= 0 {
			e := &rs.small[k]
			stems, cands = append(stems, e.stem), append(cands, e.rules)
			continue
		}
		e, ok := s.cache[tk.norm]
		if !ok {
			miss = true
			e.stem = "\x00"
		}
		stems, cands = append(stems, e.stem), append(cands, e.rules)
	}
	s.mu.RUnlock()
	if !miss {
		return stems, cands
	}
	for i, tk := range toks {
		if stems[i] == "\x00" {
			e := rs.entry(tk.norm)
			stems[i], cands[i] = e.stem, e.rules
		}
	}
	return stems, cands
}

// entry stems w and caches its stem with the rules that start with it.
func (rs *ruleSet) entry(w string) stemEntry {
	s := rs.st
	st := s.fn(w, true)
	e := stemEntry{stem: st, rules: rs.byStem[st]}
	s.mu.Lock()
	if len(s.cache) < stemCacheMax {
		s.cache[strings.Clone(w)] = e
	}
	s.mu.Unlock()
	return e
}

// A rule is a compiled cue or exclusion pattern of one category.
type rule struct {
	code  string
	name  string // "cue:<lang>:<pattern as written>"
	src   string // the pattern as written
	elems []elem
	excl  bool
}

// A ruleSet is the compiled patterns of one language, indexed by what their
// first element needs so that each token looks up only its candidates.
type ruleSet struct {
	lang      string
	st        *stemmer
	rules     []rule
	byStem    map[string][]int32
	byPre     map[string][]int32 // keyed by the first 3 bytes of the prefix
	preTri    [][]int32          // byPre for a-z trigrams, indexed by tri
	byLabel   []int32            // rules that start with @label
	small     []stemEntry        // stems of the words of 1 to 3 letters a-z, by smallIdx
	stemTri   []bool             // some stem element of 3 letters is this trigram
	stemQd    []bool             // some stem element starts with these 4 letters
	stemShort []bool             // some stem element of 1 or 2 letters is this
	negWord   map[string]bool
	brkWord   map[string]bool
}

func newRuleSet(cb *Codebook, lang string) *ruleSet {
	rs := &ruleSet{
		lang:      lang,
		st:        newStemmer(lang),
		byStem:    map[string][]int32{},
		byPre:     map[string][]int32{},
		negWord:   map[string]bool{},
		brkWord:   map[string]bool{},
		preTri:    make([][]int32, 26*26*26),
		stemTri:   make([]bool, 26*26*26),
		stemQd:    make([]bool, 26*26*26*26),
		stemShort: make([]bool, 27*27),
	}
	rs.st.memo = map[string]string{}
	defer func() { rs.st.memo = nil }()
	pick := func(l Langs) []string {
		if lang == "fr" {
			return l.FR
		}
		return l.EN
	}
	for _, w := range pick(cb.Negation) {
		rs.negWord[text.Fold(w)] = true
	}
	for _, w := range pick(cb.Breaks) {
		rs.brkWord[text.Fold(w)] = true
	}
	for _, d := range cb.Dimensions {
		for _, c := range d.Categories {
			for _, p := range pick(c.Cues) {
				rs.add(c.ID, p, false)
			}
			for _, p := range pick(c.Exclusions) {
				rs.add(c.ID, p, true)
			}
		}
	}
	// Peer focus patterns are cues of special codes (see focus.go).
	fo := cb.Focus
	for _, x := range []struct {
		code      string
		cues, not Langs
	}{{codeTerm, fo.Terms, fo.NotTerms}, {codeAnaphor, fo.Anaphors, fo.NotAnaphors}, {codeOther, fo.Others, Langs{}}, {codePeople, fo.People, Langs{}}} {
		for _, p := range pick(x.cues) {
			rs.add(x.code, p, false)
		}
		for _, p := range pick(x.not) {
			rs.add(x.code, p, true)
		}
	}
	// Words of up to three letters a-z are frequent ("the", "of", "to"):
	// their stems are computed once here, so they never touch the cache.
	rs.small = make([]stemEntry, 27*27*27)
	var buf [3]byte
	for a := byte(0); a < 27; a++ {
		for b := byte(0); b < 27; b++ {
			for c := byte(0); c < 27; c++ {
				n := 0
				for _, x := range []byte{a, b, c} {
					if x > 0 {
						buf[n] = 'a' + x - 1
						n++
					}
				}
				if n == 0 || a == 0 || (b == 0 && c > 0) {
					continue
				}
				w := string(buf[:n])
				if k := smallIdx(w); k >= 0 && rs.mayStem(w) {
					st := rs.st.stem(w)
					rs.small[k] = stemEntry{stem: st, rules: rs.byStem[st]}
				}
			}
		}
	}
	return rs
}

func (rs *ruleSet) add(code, p string, excl bool) {
	raw, err := parsePattern(p)
	if err != nil {
		return // validate has refused the codebook already
	}
	r := rule{code: code, src: p, name: "cue:" + rs.lang + ":" + p, excl: excl}
	for _, e := range raw {
		switch e.kind {
		case elemStem:
			r.elems = append(r.elems, elem{kind: elemStem, s: rs.st.stem(e.s), w: e.s})
		default:
			r.elems = append(r.elems, elem{kind: e.kind, s: e.s})
		}
	}
	idx := int32(len(rs.rules))
	rs.rules = append(rs.rules, r)
	for _, e := range r.elems {
		if e.kind == elemStem {
			switch k, q := tri(e.s), quad(e.s); {
			case q >= 0:
				rs.stemQd[q] = true
			case k >= 0 && len(e.s) == 3:
				rs.stemTri[k] = true
			case len(e.s) <= 2 && isLower(e.s):
				rs.stemShort[shortIdx(e.s)] = true
				// A word of three letters or more with a shorter stem
				// ("rue": "ru") is looked up by its own first letters.
				if k := tri(e.w); k >= 0 && len(e.w) >= 3 {
					rs.stemTri[k] = true
				}
			}
		}
	}
	first := r.elems[0]
	if first.kind == elemLabel {
		rs.byLabel = append(rs.byLabel, idx)
	} else if first.kind == elemStem {
		rs.byStem[first.s] = append(rs.byStem[first.s], idx)
	} else {
		rs.byPre[first.s[:3]] = append(rs.byPre[first.s[:3]], idx)
		if k := tri(first.s); k >= 0 {
			rs.preTri[k] = append(rs.preTri[k], idx)
		}
	}
}

// tri returns the index of the first three letters of w if they are all
// in a-z, or -1.
func tri(w string) int {
	if len(w) < 3 {
		return -1
	}
	a, b, c := w[0]-'a', w[1]-'a', w[2]-'a'
	if a >= 26 || b >= 26 || c >= 26 {
		return -1
	}
	return int(a)*676 + int(b)*26 + int(c)
}

// quad returns the index of the first four letters of w if they are all
// in a-z, or -1.
func quad(w string) int {
	k := tri(w)
	if k < 0 || len(w) < 4 || w[3]-'a' >= 26 {
		return -1
	}
	return k*26 + int(w[3]-'a')
}

// mayStem reports whether a token may have the stem of a pattern word: its
// first letters are those of some stem. Tokens with digits or other
// letters than a-z are always stemmed.
func (rs *ruleSet) mayStem(n string) bool {
	if n == "" {
		return false
	}
	if len(n) <= 2 {
		if isLower(n) {
			return rs.stemShort[shortIdx(n)]
		}
		return true
	}
	k := tri(n)
	if k < 0 {
		return true
	}
	if rs.stemTri[k] {
		return true
	}
	if q := quad(n); q >= 0 {
		return rs.stemQd[q]
	}
	return len(n) > 3 // a 4th character out of a-z
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// smallIdx indexes a word of one to three letters a-z, or returns -1.
func smallIdx(s string) int {
	if len(s) == 0 || len(s) > 3 {
		return -1
	}
	i := 0
	for j := 0; j < 3; j++ {
		i *= 27
		if j < len(s) {
			c := s[j] - 'a'
			if c >= 26 {
				return -1
			}
			i += int(c) + 1
		}
	}
	return i
}

// shortIdx indexes a word of one or two letters a-z.
func shortIdx(s string) int {
	i := int(s[0]-'a'+1) * 27
	if len(s) == 2 {
		i += int(s[1] - 'a' + 1)
	}
	return i
}

// matchAt returns the index after the last token matched by elems starting
// at token i, or -1. stems[i] is the stem of toks[i].
// A seq is the tokens of one passage with what the patterns test.
type seq struct {
	toks  []token
	stems []string
	lab   []int32 // lab[i] > 0: a label mention starts at token i and ends before lab[i]
}

func (rs *ruleSet) matchAt(elems []elem, sq *seq, i int) int {
	toks := sq.toks
	if len(elems) == 0 {
		return i
	}
	if i >= len(toks) {
		return -1
	}
	e := elems[0]
	next := i + 1
	switch e.kind {
	case elemGap:
		for g := 0; g <= maxGap && i+g < len(toks); g++ {
			if g > 0 && toks[i+g].sent != toks[i+g-1].sent {
				break
			}
			if end := rs.matchAt(elems[1:], sq, i+g); end >= 0 {
				return end
			}
		}
		return -1
	case elemStem:
		if sq.stems[i] != e.s || !inflection(rs.lang, toks[i].norm, e.w) {
			return -1
		}
	case elemPrefix:
		if !strings.HasPrefix(toks[i].norm, e.s) {
			return -1
		}
	case elemLabel:
		if len(sq.lab) == 0 || sq.lab[i] == 0 {
			return -1
		}
		next = int(sq.lab[i])
	}
	if len(elems) > 1 && next < len(toks) && toks[next].sent != toks[next-1].sent {
		return -1
	}
	return rs.matchAt(elems[1:], sq, next)
}

// inflection reports whether two words with the same stem differ only by
// an inflection ("visit", "visits", "visited"), not by a derivation that
// changes the meaning ("positive" and "position" share the stem "posit",
// "information" and "informal" the stem "inform"). Snowball finds the
// candidates; this check keeps the ones that are the same word.
func inflection(lang, a, b string) bool {
	if a == b {
		return true
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	// The common prefix may have eaten the first letter of an ending
	// ("recrut|er", "recrut|es"): back off up to two letters.
	for back := 0; back <= 2 && back <= n; back++ {
		if inflected(lang, a[n-back:]) && inflected(lang, b[n-back:]) {
			return true
		}
	}
	return false
}

func inflected(lang, end string) bool {
	if lang == "fr" {
		switch end {
		case "", "s", "x", "e", "es", "er", "ent", "ez", "ee", "ees", "ant", "ait", "aient", "ons":
			return true
		}
		return false
	}
	switch end {
	case "", "s", "es", "e", "ed", "d", "ing", "y", "ies", "ied":
		return true
	}
	return false
}

// negated reports whether a negation word governs token i: one of the four
// tokens before it, in the same sentence and clause, is a negation ("not",
// "no", "without", "ne … pas", "sans"), and not in "not only".
// copulas are the verbs through which a negation after a cue applies to it
// ("lived experience is not required", "l'expérience n'est pas exigée").
var copulas = map[string]bool{
	"is": true, "was": true, "are": true, "were": true, "be": true, "been": true,
	"est": true, "etait": true, "sont": true, "etaient": true,
}

// postNegated reports whether the cue ending before token end is the
// subject of a negated copula: "X is not / was never / n'est pas …".
func (rs *ruleSet) postNegated(toks []token, end int) bool {
	if end <= 0 || end >= len(toks) {
		return false
	}
	sent, cop := toks[end-1].sent, false
	for j := end; j < len(toks) && j < end+3; j++ {
		t := toks[j]
		if t.sent != sent || t.brk || rs.brkWord[t.norm] {
			return false
		}
		switch {
		case copulas[t.norm]:
			cop = true
		case rs.negWord[t.norm]:
			return cop || t.norm == "n" || t.norm == "ne"
		}
	}
	return false
}

func (rs *ruleSet) negated(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if toks[j].sent != toks[i].sent || toks[j+1].brk || rs.brkWord[toks[j].norm] {
			return false
		}
		if rs.negWord[toks[j].norm] {
			if j+1 < len(toks) && (toks[j+1].norm == "only" || toks[j+1].norm == "seulement") {
				return false
			}
			return true
		}
	}
	return false
}
