package ingest

import (
	"maps"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
	_ "unsafe" // go:linkname: whatlanggo's trigram profiles are not exported

	"github.com/abadojack/whatlanggo"
)

// This file is whatlanggo's Detect (v1.0.1, no options) made fast, with
// the same results: the same script, the same language and the same
// confidence for every text (TestWhatlangSame, FuzzWhatlangSame compare
// the two). whatlanggo spends its time in map lookups: each text trigram
// is a string key, and each language profile of the script (48 for Latin)
// looks up each of its 300 trigrams in the text's map. Here a trigram is
// a uint64 (three runes of 21 bits), the text's trigrams are counted by
// sorting, and one table fused from every profile of a script gives, per
// trigram, the (language, rank) pairs it appears in: each text trigram is
// looked up once. The script is counted as whatlanggo counts it, with a
// table for the first 256 runes instead of 23 unicode.Is calls per rune.
//
// One difference, not in a result whatlanggo defines: when two languages
// are at the same smallest distance (their confidence is then 0),
// whatlanggo returns either, depending on Go's map order; this returns the
// one with the smaller whatlanggo.Lang.

// The profiles, each language's trigrams most frequent first, read once
// into tables and never written.
var (
	//go:linkname wlLatin github.com/abadojack/whatlanggo.latinLangs
	wlLatin map[whatlanggo.Lang][]string
	//go:linkname wlCyrillic github.com/abadojack/whatlanggo.cyrillicLangs
	wlCyrillic map[whatlanggo.Lang][]string
	//go:linkname wlArabic github.com/abadojack/whatlanggo.arabicLangs
	wlArabic map[whatlanggo.Lang][]string
	//go:linkname wlDevanagari github.com/abadojack/whatlanggo.devanagariLangs
	wlDevanagari map[whatlanggo.Lang][]string
	//go:linkname wlEthiopic github.com/abadojack/whatlanggo.ethiopicLangs
	wlEthiopic map[whatlanggo.Lang][]string
	//go:linkname wlHebrew github.com/abadojack/whatlanggo.hebrewLangs
	wlHebrew map[whatlanggo.Lang][]string
)

// whatlanggo's constants (constants.go).
const (
	maxTrigramDistance = 300
	maxTotalDistance   = 90000
)

// A langGuess is what whatlanggo.Detect gives: a language (-1: none) and
// a confidence.
type langGuess struct {
	lang whatlanggo.Lang
	conf float64
}

// reliable is whatlanggo's Info.IsReliable.
func (g langGuess) reliable() bool { return g.conf > whatlanggo.ReliableConfidenceThreshold }

// The scripts of whatlanggo's DetectScript, in its order.
const (
	scLatin = iota
	scCyrillic
	scArabic
	scDevanagari
	scHiraganaKatakana
	scEthiopic
	scHebrew
	scBengali
	scGeorgian
	scHan
	scHangul
	scGreek
	scKannada
	scTamil
	scThai
	scGujarati
	scGurmukhi
	scTelugu
	scMalayalam
	scOriya
	scMyanmar
	scSinhala
	scKhmer
	nScripts
)

// scriptTables are the tables of the scripts above. Hiragana and Katakana
// are one table made as whatlanggo makes it (its R32 ranges are not in
// order, so unicode.Is on it is not quite their union).
var scriptTables = [nScripts]*unicode.RangeTable{
	unicode.Latin, unicode.Cyrillic, unicode.Arabic, unicode.Devanagari,
	{
		R16: append(slices.Clip(unicode.Hiragana.R16), unicode.Katakana.R16...),
		R32: append(slices.Clip(unicode.Hiragana.R32), unicode.Katakana.R32...),
	},
	unicode.Ethiopic, unicode.Hebrew, unicode.Bengali, unicode.Georgian, unicode.Han, unicode.Hangul,
	unicode.Greek, unicode.Kannada, unicode.Tamil, unicode.Thai, unicode.Gujarati, unicode.Gurmukhi,
	unicode.Telugu, unicode.Malayalam, unicode.Oriya, unicode.Myanmar, unicode.Sinhala, unicode.Khmer,
}

// oneLang gives the language of the scripts whatlanggo names without
// trigrams.
var oneLang = [nScripts]whatlanggo.Lang{
	scLatin: -1, scCyrillic: -1, scArabic: -1, scDevanagari: -1, scEthiopic: -1, scHebrew: -1,
	scHiraganaKatakana: whatlanggo.Jpn, scBengali: whatlanggo.Ben, scGeorgian: whatlanggo.Kat,
	scHan: whatlanggo.Cmn, scHangul: whatlanggo.Kor, scGreek: whatlanggo.Ell, scKannada: whatlanggo.Kan,
	scTamil: whatlanggo.Tam, scThai: whatlanggo.Tha, scGujarati: whatlanggo.Guj, scGurmukhi: whatlanggo.Pan,
	scTelugu: whatlanggo.Tel, scMalayalam: whatlanggo.Mal, scOriya: whatlanggo.Ori, scMyanmar: whatlanggo.Mya,
	scSinhala: whatlanggo.Sin, scKhmer: whatlanggo.Khm,
}

// isStopChar is whatlanggo's: space, punctuation, symbol or digit.
func isStopChar(r rune) bool {
	return unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r)
}

// Rune classes: a script, or one of these.
const (
	clStop = -1 // a stop character: not counted, a space in trigrams
	clNone = -2 // a letter (or control) of no script above
)

// runeClass is the class of r: its script (the first of whatlanggo's
// order whose table has r; TestRuneClass checks no rune is in two),
// clStop or clNone.
func runeClass(r rune) int8 {
	if isStopChar(r) {
		return clStop
	}
	for s, t := range scriptTables {
		if unicode.Is(t, r) {
			return int8(s)
		}
	}
	return clNone
}

// lowTables hold, for the first 256 runes, the class and the trigram rune
// (a space for a stop character, else the rune in lower case).
type lowTables struct {
	class [256]int8
	tri   [256]rune
}

var low = sync.OnceValue(func() *lowTables {
	t := new(lowTables)
	for r := range rune(256) {
		t.class[r] = runeClass(r)
		t.tri[r] = trigramRune(r)
	}
	return t
})

// trigramRune is the rune whatlanggo puts in trigrams for r.
func trigramRune(r rune) rune {
	if isStopChar(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

// detectScript is whatlanggo.DetectScript, as a script index (-1: none).
// It counts the runes of each script, returning the first whose count
// passes half the text's length in bytes; otherwise the most counted,
// ties going to the script met first in an order where a script moves
// one place forward each time it is counted (whatlanggo's order, kept
// for its ties), Han with any kana being Japanese.
func detectScript(text string) int {
	lt := low()
	half := len(text) / 2
	var counts [nScripts]int
	var order, pos [nScripts]int8 // order[i]: script in place i; pos: its inverse
	for i := range order {
		order[i], pos[i] = int8(i), int8(i)
	}
	last := int8(scLatin)
	for _, r := range text {
		var c int8
		switch {
		case r < 256:
			c = lt.class[r]
		case isStopChar(r):
			c = clStop
		case unicode.Is(scriptTables[last], r):
			c = last
		default:
			c = runeClass(r)
		}
		if c < 0 {
			continue
		}
		last = c
		counts[c]++
		if counts[c] > half {
			return int(c)
		}
		if p := pos[c]; p > 0 {
			o := order[p-1]
			order[p-1], order[p] = c, o
			pos[c], pos[o] = p-1, p
		}
	}
	jp, most, best := 0, 0, -1
	for _, s := range order {
		if counts[s] > most {
			most, best = counts[s], int(s)
			if s == scHiraganaKatakana {
				jp = most
			}
		}
	}
	if best == scHan && jp > 0 {
		return scHiraganaKatakana
	}
	return best
}

// A profileSet is the profiles of one script's languages fused into one
// table: for a trigram, the (language, rank) pairs of the profiles that
// have it. The table is open addressing over the trigram keys, each slot
// giving its trigram's pairs, one after the other: made in about a
// millisecond for the 14,400 trigrams of the Latin profiles (a Go map of
// slices took 5 ms in a new process, which every ingest is).
type profileSet struct {
	langs []whatlanggo.Lang // in increasing order
	base  []int             // per language, its distance to a text with none of its trigrams
	slots []profSlot        // a power of two of them
	shift uint              // 64 - log2(len(slots))
	pairs []langRank
}

// A profSlot is empty when its key has not the top bit (a trigram key is
// 63 bits).
type profSlot struct {
	key        uint64 // the trigram's key | slotUsed
	start, end int32  // its pairs
}

const slotUsed = 1 << 63

type langRank struct {
	lang int32 // index in langs
	rank int32 // place in the profile, 0 for the most frequent
}

// newProfileSet fuses profiles. A profile entry that is not three runes
// of valid UTF-8 matches no text trigram, as in whatlanggo.
func newProfileSet(profiles map[whatlanggo.Lang][]string) *profileSet {
	ps := &profileSet{}
	type entry struct {
		slot *profSlot
		lr   langRank
	}
	var entries []entry
	n := 0
	for _, p := range profiles {
		n += len(p)
	}
	bits := uint(4)
	for 1<<bits < n {
		bits++
	}
	ps.slots, ps.shift = make([]profSlot, 1<<bits), 64-bits
	entries = make([]entry, 0, n)
	for _, l := range slices.Sorted(maps.Keys(profiles)) {
		li := int32(len(ps.langs))
		ps.langs = append(ps.langs, l)
		ps.base = append(ps.base, maxTrigramDistance*len(profiles[l]))
		for i, s := range profiles[l] {
			k, ok := stringKey(s)
			if !ok {
				continue
			}
			slot := ps.slot(k)
			slot.key = k | slotUsed
			slot.end++ // a count for now
			entries = append(entries, entry{slot, langRank{li, int32(i)}})
		}
	}
	next := int32(0)
	for i := range ps.slots {
		s := &ps.slots[i]
		s.start, next = next, next+s.end
		s.end = s.start
	}
	ps.pairs = make([]langRank, len(entries))
	for _, e := range entries {
		ps.pairs[e.slot.end] = e.lr
		e.slot.end++
	}
	return ps
}

// slot returns k's slot, or the empty one where it would go.
func (ps *profileSet) slot(k uint64) *profSlot {
	mask := uint64(len(ps.slots) - 1)
	for i := (k * 0x9e3779b97f4a7c15) >> ps.shift; ; i = (i + 1) & mask {
		if s := &ps.slots[i]; s.key == k|slotUsed || s.key == 0 {
			return s
		}
	}
}

// triKey packs three runes into a key whose order is that of the
// trigrams' UTF-8 strings.
func triKey(r1, r2, r3 rune) uint64 {
	return uint64(r1)<<42 | uint64(r2)<<21 | uint64(r3)
}

// stringKey is the key of a trigram string, false if s is not three runes
// of valid UTF-8.
func stringKey(s string) (uint64, bool) {
	var r [3]rune
	for i := range r {
		c, size := utf8.DecodeRuneInString(s)
		if size == 0 || c == utf8.RuneError && size == 1 {
			return 0, false
		}
		r[i], s = c, s[size:]
	}
	if s != "" {
		return 0, false
	}
	return triKey(r[0], r[1], r[2]), true
}

// profileSets are made when first used, each script's alone.
var profileSets = [nScripts]func() *profileSet{
	scLatin:      sync.OnceValue(func() *profileSet { return newProfileSet(wlLatin) }),
	scCyrillic:   sync.OnceValue(func() *profileSet { return newProfileSet(wlCyrillic) }),
	scArabic:     sync.OnceValue(func() *profileSet { return newProfileSet(wlArabic) }),
	scDevanagari: sync.OnceValue(func() *profileSet { return newProfileSet(wlDevanagari) }),
	scEthiopic:   sync.OnceValue(func() *profileSet { return newProfileSet(wlEthiopic) }),
	scHebrew:     sync.OnceValue(func() *profileSet { return newProfileSet(wlHebrew) }),
}

// detectWhatlang is whatlanggo.Detect(text)'s language and confidence.
func detectWhatlang(text string) langGuess {
	s := detectScript(text)
	if s < 0 {
		return langGuess{-1, 0}
	}
	if l := oneLang[s]; l >= 0 {
		return langGuess{l, 1}
	}
	ps := profileSets[s]()
	if len(ps.langs) == 0 {
		// The profiles were not found (a whatlanggo other than the one
		// this was written for): ask whatlanggo.
		info := whatlanggo.Detect(text)
		return langGuess{info.Lang, info.Confidence}
	}
	return ps.detect(text)
}

// A counted trigram.
type triCount struct {
	key   uint64
	count int32
	rank  int32
}

// detect is whatlanggo's detectLangInProfiles without options.
func (ps *profileSet) detect(text string) langGuess {
	var keyBuf [1024]uint64
	keys := trigrams(text, keyBuf[:0])
	slices.Sort(keys)
	var tcBuf [1024]triCount
	tcs := tcBuf[:0]
	maxCount := int32(0)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		c := int32(j - i)
		tcs = append(tcs, triCount{key: keys[i], count: c})
		maxCount = max(maxCount, c)
		i = j
	}
	// Ranks: by count, most frequent first, and among equal counts the
	// greater trigram first (whatlanggo's stable sort, reversed): a
	// counting sort over the counts, walking the trigrams from the
	// greatest down.
	var startBuf [1025]int32
	var start []int32
	if int(maxCount) < len(startBuf)-1 {
		start = startBuf[:maxCount+2]
	} else {
		start = make([]int32, maxCount+2)
	}
	for _, tc := range tcs {
		start[tc.count]++
	}
	next := int32(0)
	for c := maxCount; c >= 1; c-- {
		n := start[c]
		start[c] = next
		next += n
	}
	for i := len(tcs) - 1; i >= 0; i-- {
		tcs[i].rank = start[tcs[i].count]
		start[tcs[i].count]++
	}

	var distBuf [64]int
	var dist []int
	if len(ps.langs) <= len(distBuf) {
		dist = distBuf[:len(ps.langs)]
	} else {
		dist = make([]int, len(ps.langs))
	}
	copy(dist, ps.base)
	for _, tc := range tcs {
		slot := ps.slot(tc.key)
		for _, lr := range ps.pairs[slot.start:slot.end] {
			d := int(tc.rank - lr.rank)
			if d < 0 {
				d = -d
			}
			dist[lr.lang] += d - maxTrigramDistance
		}
	}
	switch len(dist) {
	case 0:
		return langGuess{-1, 0}
	case 1:
		return langGuess{ps.langs[0], 1}
	}
	b1 := 0
	for i, d := range dist {
		if d < dist[b1] {
			b1 = i
		}
	}
	d2 := -1
	for i, d := range dist {
		if i != b1 && (d2 < 0 || d < d2) {
			d2 = d
		}
	}
	return confidence(ps.langs[b1], dist[b1], d2, len(tcs))
}

// confidence is whatlanggo's calculateConfidence for the two smallest
// distances d1 <= d2 over n distinct trigrams, line for line.
func confidence(l whatlanggo.Lang, d1, d2, n int) langGuess {
	score1 := maxTotalDistance - d1
	score2 := maxTotalDistance - d2
	switch {
	case score1 == 0:
		return langGuess{-1, 0}
	case score2 == 0:
		c := float64(score1 / 500) // whatlanggo's float64((score1) / 500.0): an integer division
		if c > 1.0 {
			c = 1.0
		}
		return langGuess{l, c}
	}
	rate := float64((score1 - score2)) / float64(score2)
	confidentRate := float64(12.0/float64(n)) + 0.05
	if rate > confidentRate {
		return langGuess{l, 1}
	}
	return langGuess{l, rate / confidentRate}
}

// trigrams appends to out the keys of text's trigrams as whatlanggo counts
// them: runes in lower case, stop characters as spaces, a space before the
// first rune and after the last, no trigram whose middle is a space next
// to another.
func trigrams(text string, out []uint64) []uint64 {
	lt := low()
	r1, r2 := rune(' '), rune(0)
	first := true
	for _, r := range text {
		var c rune
		if r < 256 {
			c = lt.tri[r]
		} else {
			c = trigramRune(r)
		}
		if first {
			r2, first = c, false
			continue
		}
		if !(r2 == ' ' && (r1 == ' ' || c == ' ')) {
			out = append(out, triKey(r1, r2, c))
		}
		r1, r2 = r2, c
	}
	if !first && r2 != ' ' { // the last rune and the space after it
		out = append(out, triKey(r1, r2, ' '))
	}
	return out
}
