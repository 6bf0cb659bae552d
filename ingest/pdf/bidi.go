package pdf

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Right-to-left text (Arabic, Hebrew, Persian...) is drawn in visual order:
// the glyphs of a word go left to right on the page, so read in content
// order "بلغة" comes out "ةغلب", and an Arabic line's words come out last
// word first. pdfLogical turns a line back into logical (reading) order: it
// takes the line's glyphs from left to right and applies the reordering of
// the Unicode bidirectional algorithm (UAX #9, rule L2) to them. L2 undoes
// itself when the levels are the same, and the levels pdfLevels gives to a
// visual line are those of its logical text in the common cases: letters of
// a right-to-left script at odd levels, numbers and left-to-right words
// inside right-to-left text at the even level above, the spaces and
// punctuation between them at the level of their neighbours.
//
// Character classes come from golang.org/x/text/unicode/bidi. Its
// Paragraph.Order is not used: it gives runs in logical order with their
// direction, but not the embedding levels L2 needs (a number inside Arabic
// inside an English line is at level 2, not 0).
//
// A glyph is kept whole: a ligature such as lam-alef maps to "لا" in
// logical order already, and combining marks (harakat) stay after the
// letter they are drawn on.

// pdfHasRTL reports whether s holds a right-to-left letter.
func pdfHasRTL(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if c := pdfClassOf(r); c == bidi.R || c == bidi.AL {
			return true
		}
		i += n
	}
	return false
}

func pdfClassOf(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// glyphs returns the text of each glyph of raw (font codes), in drawing
// order.
func (pf *pdfFont) glyphs(raw string) []string {
	step := 1
	if pf.twoByte {
		step = 2
	}
	out := make([]string, 0, len(raw)/step)
	for i := 0; i+step <= len(raw); i += step {
		out = append(out, pf.decode(raw[i:i+step]))
	}
	return out
}

// A pdfUnit is a piece of a line that keeps its inner order: a glyph's
// text, one character of a left-to-right span, or a space between spans.
type pdfUnit struct {
	s   string
	cls byte // 'R' right-to-left letter, 'L' left-to-right letter, 'N' number, 'S' number separator (. , - % ...), ' ' other
	lvl int8
}

// pdfUnitClass classes a unit by its first strong character.
func pdfUnitClass(s string) byte {
	num, sep := false, false
	for _, r := range s {
		switch pdfClassOf(r) {
		case bidi.R, bidi.AL:
			return 'R'
		case bidi.L:
			return 'L'
		case bidi.EN, bidi.AN:
			num = true
		case bidi.CS, bidi.ES, bidi.ET:
			sep = true
		}
	}
	switch {
	case num:
		return 'N'
	case sep:
		return 'S'
	}
	return ' '
}

// pdfLogical returns the text of a line's spans in logical order. Spans
// come in drawing order, in runs drawn left to right (runs holds where each
// starts); the runs are put left to right (a line may be drawn word by word
// from the right). Spans with glyphs (right-to-left text) give one unit per
// glyph, the others one per character.
func pdfLogical(spans []pdfSpan, runs []int, table [][]string) string {
	if len(runs) > 1 {
		type run struct {
			x     float64
			spans []pdfSpan
		}
		rs := make([]run, len(runs))
		for i, start := range runs {
			end := len(spans)
			if i+1 < len(runs) {
				end = runs[i+1]
			}
			rs[i] = run{spans[start].x, spans[start:end]}
		}
		slices.SortStableFunc(rs, func(a, b run) int { return cmp.Compare(a.x, b.x) })
		sorted := make([]pdfSpan, 0, len(spans))
		for _, r := range rs {
			sorted = append(sorted, r.spans...)
		}
		spans = sorted
	}
	var us []pdfUnit
	add := func(s string) {
		if s == "" {
			return
		}
		if r, _ := utf8.DecodeRuneInString(s); pdfClassOf(r) == bidi.NSM && len(us) > 0 {
			us[len(us)-1].s += s // a mark drawn on the glyph before it
			return
		}
		us = append(us, pdfUnit{s: s})
	}
	end := 0.0
	for i, sp := range spans {
		size := max(sp.size, 1)
		if i > 0 && sp.x-end > 0.15*size && !strings.HasSuffix(us[len(us)-1].s, " ") && !strings.HasPrefix(sp.s, " ") {
			add(" ")
		}
		if sp.rtl != 0 {
			for _, g := range table[sp.rtl-1] {
				add(g)
			}
		} else {
			for _, r := range sp.s {
				add(string(r))
			}
		}
		if i == 0 || sp.end > end {
			end = sp.end
		}
	}
	if len(us) == 0 {
		return ""
	}
	for i := range us {
		us[i].cls = pdfUnitClass(us[i].s)
	}
	pdfLevels(us)
	pdfReorder(us)
	var plain, mirrored strings.Builder
	for _, u := range us {
		plain.WriteString(u.s)
		if u.lvl%2 == 1 && utf8.RuneCountInString(u.s) == 1 {
			u.s = bidi.ReverseString(u.s) // "(" for ")", and so on
		}
		mirrored.WriteString(u.s)
	}
	// A bracket in right-to-left text is drawn mirrored; producers map the
	// glyph either to the character (InDesign) or to its shape (Ghostscript
	// from Windows printing). Brackets are mirrored back if that pairs them.
	if p, m := plain.String(), mirrored.String(); p != m && pdfUnpaired(m) < pdfUnpaired(p) {
		return m
	}
	return plain.String()
}

// pdfUnpaired counts the brackets of s that close nothing or stay open.
func pdfUnpaired(s string) int {
	open, bad := 0, 0
	for _, r := range s {
		p, _ := bidi.LookupRune(r)
		switch {
		case p.IsOpeningBracket():
			open++
		case !p.IsBracket():
		case open > 0:
			open--
		default:
			bad++
		}
	}
	return bad + open
}

// pdfLevels gives each unit of a visual line its embedding level: the line
// is right-to-left (level 1) if it has more right-to-left letters than
// left-to-right ones. Right-to-left letters are at level 1; left-to-right
// letters at the line's level rounded up to even; numbers at level 2 in a
// right-to-left line or between right-to-left letters, else 0; separators
// touching a number (1.5, -4, 12%) with it; other characters at the level
// of their neighbours when both sides agree, else at the line's level.
func pdfLevels(us []pdfUnit) {
	nR, nL := 0, 0
	for _, u := range us {
		switch u.cls {
		case 'R':
			nR++
		case 'L':
			nL++
		}
	}
	base := int8(0)
	if nR > nL {
		base = 1
	}
	// strong returns the direction ('R', 'L') of the nearest letter from
	// i in steps of d, or the line's direction at its edge.
	strong := func(i, d int) byte {
		for i += d; i >= 0 && i < len(us); i += d {
			if c := us[i].cls; c == 'R' || c == 'L' {
				return c
			}
		}
		if base == 1 {
			return 'R'
		}
		return 'L'
	}
	for i := range us {
		switch us[i].cls {
		case 'R':
			us[i].lvl = 1
		case 'L':
			us[i].lvl = base + base%2
		case 'N':
			if base == 1 || strong(i, -1) == 'R' && strong(i, +1) == 'R' {
				us[i].lvl = 2
			} else {
				us[i].lvl = 0
			}
		}
	}
	// Separators touching a number belong to it.
	for i := range us {
		if us[i].cls != 'S' {
			continue
		}
		switch {
		case i+1 < len(us) && us[i+1].cls == 'N':
			us[i].cls, us[i].lvl = 'N', us[i+1].lvl
		case i > 0 && us[i-1].cls == 'N':
			us[i].cls, us[i].lvl = 'N', us[i-1].lvl
		}
	}
	// dir returns the direction of unit i for its neighbours: numbers at
	// level 2 act as right-to-left (UAX #9, N1).
	dir := func(i int) byte {
		switch u := us[i]; {
		case u.cls == 'R', u.cls == 'N' && u.lvl == 2:
			return 'R'
		case u.cls == 'L', u.cls == 'N':
			return 'L'
		}
		return 0
	}
	for i := 0; i < len(us); {
		if dir(i) != 0 {
			i++
			continue
		}
		j := i
		for j < len(us) && dir(j) == 0 {
			j++
		}
		left, right := byte('L'), byte('L')
		if base == 1 {
			left, right = 'R', 'R'
		}
		if i > 0 {
			left = dir(i - 1)
		}
		if j < len(us) {
			right = dir(j)
		}
		lvl := base
		switch {
		case left == 'R' && right == 'R':
			lvl = 1
		case left == 'L' && right == 'L':
			lvl = base + base%2
		}
		for k := i; k < j; k++ {
			us[k].lvl = lvl
		}
		i = j
	}
}

// pdfReorder applies UAX #9 rule L2: from the highest level down to 1,
// every run of units at that level or higher is reversed.
func pdfReorder(us []pdfUnit) {
	var top int8
	for _, u := range us {
		top = max(top, u.lvl)
	}
	for lvl := top; lvl >= 1; lvl-- {
		for i := 0; i < len(us); {
			if us[i].lvl < lvl {
				i++
				continue
			}
			j := i
			for j < len(us) && us[j].lvl >= lvl {
				j++
			}
			slices.Reverse(us[i:j])
			i = j
		}
	}
}
