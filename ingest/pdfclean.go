package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file cleans extracted page text: running headers and footers, bare
// page numbers and end-of-line hyphenation. It works on pages as lines, where
// an empty line is a paragraph break.

// pdfEdgeLines is how many non-blank lines at the top and at the bottom of a
// page are looked at for running headers, footers and page numbers.
const pdfEdgeLines = 3

// pdfPageNumber matches a line that is only a page number: "12", "- 12 -",
// "Page 3", "Page 3 of 10", "3 / 10", "iv".
var pdfPageNumber = regexp.MustCompile(`(?i)^[\s\-–—|•]*(page\s*|p\.\s*)?(\d{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*\d{1,4})?[\s\-–—|•]*$`)

// pdfHeaderKey is the key under which repeated lines are counted: lower
// case, digits folded to '#', spaces collapsed, so "Page 2 of 10" and
// "Page 3 of 10" count as the same line.
func pdfHeaderKey(line string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(line) {
		switch {
		case unicode.IsDigit(r):
			r = '#'
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// pdfEdges returns the indexes of the first and last pdfEdgeLines non-blank
// lines of a page.
func pdfEdges(lines []string) []int {
	var idx []int
	seen := map[int]bool{}
	for i, k := 0, 0; i < len(lines) && k < pdfEdgeLines; i++ {
		if strings.TrimSpace(lines[i]) != "" {
			idx = append(idx, i)
			seen[i] = true
			k++
		}
	}
	for i, k := len(lines)-1, 0; i >= 0 && k < pdfEdgeLines; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			if !seen[i] {
				idx = append(idx, i)
			}
			k++
		}
	}
	return idx
}

// pdfRemoveFurniture drops, in place, running headers and footers (edge
// lines whose key repeats on at least half of the pages, and on at least
// 3 pages) and bare page numbers at page edges. It returns how many lines it
// removed. Documents of fewer than 3 pages only lose page numbers.
func pdfRemoveFurniture(pages [][]string) int {
	count := map[string]int{}
	if len(pages) >= 3 {
		for _, lines := range pages {
			seen := map[string]bool{}
			for _, i := range pdfEdges(lines) {
				k := pdfHeaderKey(lines[i])
				if len(k) < 4 || seen[k] {
					continue
				}
				seen[k] = true
				count[k]++
			}
		}
	}
	min := (len(pages) + 1) / 2
	if min < 3 {
		min = 3
	}
	removed := 0
	for p, lines := range pages {
		drop := map[int]bool{}
		for _, i := range pdfEdges(lines) {
			line := strings.TrimSpace(lines[i])
			if pdfPageNumber.MatchString(line) || count[pdfHeaderKey(line)] >= min {
				drop[i] = true
			}
		}
		if len(drop) == 0 {
			continue
		}
		kept := lines[:0]
		for i, l := range lines {
			if drop[i] {
				removed++
				continue
			}
			kept = append(kept, l)
		}
		pages[p] = kept
	}
	return removed
}

// pdfDehyphenate joins words split at a line end: a lower-case letter, "-",
// a line break and a lower-case letter become one word ("commu-\nnity" →
// "community"). Real compounds split at their hyphen ("peer-\nled") are
// joined too: without a dictionary the two cannot be told apart, and
// pdftotext makes the same choice. A capital after the break ("Covid-\n19",
// "Anglo-\nSaxon") keeps the hyphen and the line break.
func pdfDehyphenate(s string) string {
	if !strings.Contains(s, "-\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, "-\n")
		if i < 0 {
			b.WriteString(s)
			break
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+2:])
		if unicode.IsLower(before) && unicode.IsLower(after) {
			// Join, and move the rest of the word up so the line stays whole.
			b.WriteString(s[:i])
			rest := s[i+2:]
			j := strings.IndexAny(rest, " \n")
			if j < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:j])
			if rest[j] == ' ' {
				b.WriteByte('\n')
				rest = rest[j+1:]
			} else {
				rest = rest[j:]
			}
			s = rest
			continue
		}
		b.WriteString(s[:i+2])
		s = s[i+2:]
	}
	return b.String()
}

// pdfAccents maps spacing accents, as TeX draws them (a separate glyph before
// the letter), to combining marks.
var pdfAccents = map[rune]rune{
	'\u00A8': '\u0308', // ¨
	'\u00B4': '\u0301', // ´
	'\u02C6': '\u0302', // ˆ
	'\u02DC': '\u0303', // ˜
	'\u00B8': '\u0327', // ¸
	'\u02C7': '\u030C', // ˇ
	'\u02D8': '\u0306', // ˘
	'\u02DA': '\u030A', // ˚
	'\u02D9': '\u0307', // ˙
	'\u02DD': '\u030B', // ˝
	'\u00AF': '\u0304', // ¯
}

// pdfFixAccents puts a spacing accent drawn before a letter ("Lemaˆıtre",
// "R¨as¨anen") onto the letter as a combining mark, so that NFKC composes
// "Lemaître" and "Räsänen". Without this, NFKC turns "¨" into a space plus
// a combining mark and splits the word. Dotless ı and ȷ under an accent
// become i and j. Run it before normalizeText.
func pdfFixAccents(s string) string {
	if !strings.ContainsAny(s, "\u00A8\u00B4\u02C6\u02DC\u00B8\u02C7\u02D8\u02DA\u02D9\u02DD\u00AF") {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		mark, ok := pdfAccents[rs[i]]
		if !ok {
			out = append(out, rs[i])
			continue
		}
		j := i + 1
		if j < len(rs) && rs[j] == ' ' {
			j++
		}
		if j >= len(rs) || !unicode.IsLetter(rs[j]) {
			out = append(out, rs[i])
			continue
		}
		l := rs[j]
		switch l {
		case 'ı':
			l = 'i'
		case 'ȷ':
			l = 'j'
		}
		out = append(out, l, mark)
		i = j
	}
	return string(out)
}
