package pdfgen

import (
	"strings"
	"unicode/utf8"
)

// Wrap breaks text into lines of at most width characters (runes), filling
// each line greedily with whole words; a word longer than width gets a
// line of its own. Runs of white space, including single newlines, become
// one space; a blank line (two or more newlines with only white space
// between) ends a paragraph and appears as one empty line between the
// paragraphs' lines. Width < 1 means 1. Empty or blank text gives nil.
func Wrap(text string, width int) []string {
	width = max(width, 1)
	var out []string
	for _, para := range paragraphs(text) {
		if len(out) > 0 {
			out = append(out, "")
		}
		var line strings.Builder
		n := 0 // runes in line
		for _, w := range para {
			k := utf8.RuneCountInString(w)
			if n > 0 && n+1+k > width {
				out = append(out, line.String())
				line.Reset()
				n = 0
			}
			if n > 0 {
				line.WriteByte(' ')
				n++
			}
			line.WriteString(w)
			n += k
		}
		out = append(out, line.String())
	}
	return out
}

// paragraphs splits text at blank lines into paragraphs of words, dropping
// empty paragraphs.
func paragraphs(text string) [][]string {
	var paras [][]string
	var cur []string
	newlines := 0 // newlines seen since the last word
	for _, line := range strings.SplitAfter(text, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			if strings.HasSuffix(line, "\n") {
				newlines++
			}
			continue
		}
		if newlines >= 2 && len(cur) > 0 {
			paras = append(paras, cur)
			cur = nil
		}
		cur = append(cur, words...)
		newlines = 0
		if strings.HasSuffix(line, "\n") {
			newlines = 1
		}
	}
	if len(cur) > 0 {
		paras = append(paras, cur)
	}
	return paras
}
