package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// pdfQuality measures how usable the text of one page is.
type pdfQuality struct {
	runes   int // non-space runes
	letters int
	bad     int // U+FFFD, private use, unassigned, controls, stray ligature glyphs
	words   int // runs of letters
	wordLen int // total letters in words
	long    int // words of 20 letters or more (glued words)
	broken  int // U+FFFD inside a word: a ligature or letter the font could not map ("�lled", "O�cial")
}

// pdfMeasure returns the quality of page text s.
func pdfMeasure(s string) pdfQuality {
	var q pdfQuality
	run := 0
	q.broken = pdfBrokenWords(s)
	end := func() {
		if run > 0 {
			q.words++
			q.wordLen += run
			if run >= 20 {
				q.long++
			}
		}
		run = 0
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			end()
			continue
		}
		q.runes++
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			q.letters++
			run++
			continue
		case r == '\uFFFD', unicode.Is(unicode.Co, r), unicode.IsControl(r),
			r >= '\uFB00' && r <= '\uFB06', !unicode.IsPrint(r) && !unicode.Is(unicode.Cf, r):
			q.bad++
		}
		end()
	}
	end()
	return q
}

// avgWord returns the average word length in letters.
func (q pdfQuality) avgWord() float64 {
	if q.words == 0 {
		return 0
	}
	return float64(q.wordLen) / float64(q.words)
}

// poor reports why the page text looks unusable, or "" if it looks fine.
// The thresholds were set on ../shared/corpus/pdf: clean pages have under
// 1% bad runes, an average word length of 4–7 letters and well over half
// of their runes letters; pages where words lost their spaces average over
// 9 letters a word.
func (q pdfQuality) poor() string {
	switch {
	case q.runes == 0:
		return "no text"
	case q.runes >= 20 && float64(q.bad) > 0.05*float64(q.runes):
		return "garbage characters"
	case q.broken > 0:
		return "unmapped glyphs in words"
	case q.runes >= 200 && float64(q.letters) < 0.35*float64(q.runes):
		return "few letters"
	case q.words >= 30 && q.avgWord() > 9:
		return "words without spaces"
	case q.words >= 30 && float64(q.long) > 0.05*float64(q.words):
		return "words without spaces"
	}
	return ""
}

// score orders two extractions of the same page: more clean letters win.
func (q pdfQuality) score() float64 {
	s := float64(q.letters) - 5*float64(q.bad) - 10*float64(q.long) - 10*float64(q.broken)
	if q.avgWord() > 9 {
		s /= 2
	}
	return s
}

// pdfBrokenWords counts U+FFFD standing for letters: after a letter, a space
// or the start, and before two lower-case letters ("�lled", "O�cial"). An
// unmapped math symbol ("T � P(X)", "A�X") does not count.
func pdfBrokenWords(s string) int {
	n := 0
	for i := 0; ; {
		j := strings.IndexRune(s[i:], '\uFFFD')
		if j < 0 {
			return n
		}
		j += i
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		rest := s[j+len("\uFFFD"):]
		a, k := utf8.DecodeRuneInString(rest)
		b, _ := utf8.DecodeRuneInString(rest[k:])
		if (j == 0 || unicode.IsLetter(before) || unicode.IsSpace(before)) && unicode.IsLower(a) && unicode.IsLower(b) {
			n++
		}
		i = j + len("\uFFFD")
	}
}
