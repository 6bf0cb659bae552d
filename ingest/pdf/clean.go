package pdf

import (
	"strings"
	"unicode"

	"github.com/peermap/peermap/internal/text"
)

// This file cleans extracted page text: running headers and footers, bare
// page numbers and end-of-line hyphenation. It works on pages as lines, where
// an empty line is a paragraph break.

// pdfEdgeLines is how many non-blank lines at the top and at the bottom of a
// page are looked at for running headers, footers and page numbers.
const pdfEdgeLines = 3

// pdfPageNumber matches a line that is only a page number: "12", "- 12 -",
// "Page 3", "Page 3 of 10", "3 / 10", "iv".
var pdfPageNumber = text.Regexp(`(?i)^[\s\-–—|•]*(page\s*|p\.\s*)?(\d{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*\d{1,4})?[\s\-–—|•]*$`)

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
			if pdfPageNumber().MatchString(line) || count[pdfHeaderKey(line)] >= min {
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
