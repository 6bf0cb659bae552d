package ingest

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// SplitOptions control how Split cuts text into passages. The zero value
// is ready to use.
type SplitOptions struct {
	MaxLen int // paragraphs longer than this many bytes are cut at sentence ends; 0 means 1200
	MinLen int // passages shorter than this are merged with a neighbour in their section; 0 means 80
}

func (o SplitOptions) maxLen() int {
	if o.MaxLen > 0 {
		return o.MaxLen
	}
	return 1200
}

func (o SplitOptions) minLen() int {
	if o.MinLen > 0 {
		return min(o.MinLen, o.maxLen())
	}
	return min(80, o.maxLen())
}

// A span is a byte range of a document's text.
type span struct{ start, end int }

// Split cuts doc.Text into paragraph passages. Paragraphs are separated by
// blank lines and never cross a section start; a section's heading line is
// no part of any passage (each passage keeps its heading in Section); a
// paragraph longer than MaxLen is cut at sentence ends (or, failing those,
// at spaces) into pieces of at most MaxLen bytes where possible; a piece
// shorter than MinLen is merged with the next one in its section, or else
// the previous one.
//
// Each passage has ID corpus.NewPassageID(doc.ID, n), its section and page
// from doc.SectionAt and doc.PageAt, and byte offsets with Text ==
// doc.Text[Start:End], trimmed of surrounding white space by moving the
// offsets. Split never edits doc.
func Split(doc *corpus.Document, opts SplitOptions) []corpus.Passage {
	if doc == nil || doc.Text == "" {
		return nil
	}
	text := doc.Text
	var pieces []span
	for _, p := range paragraphs(text, doc.Sections) {
		p, ok := dropHeading(text, p, doc.Sections)
		if !ok {
			continue
		}
		pieces = append(pieces, cut(text, p, opts.maxLen())...)
	}
	pieces = merge(doc, pieces, opts.minLen())
	out := make([]corpus.Passage, 0, len(pieces))
	for n, p := range pieces {
		out = append(out, corpus.Passage{
			ID:      corpus.NewPassageID(doc.ID, n),
			Doc:     doc.ID,
			N:       n,
			Section: doc.SectionAt(p.start),
			Page:    doc.PageAt(p.start),
			Start:   p.start,
			End:     p.end,
			Text:    text[p.start:p.end],
		})
	}
	return out
}

// paragraphs returns the trimmed, non-empty blocks of text separated by
// blank lines or by the start of a section.
func paragraphs(text string, sections []corpus.Section) []span {
	breaks := make([]int, 0, len(sections))
	for _, s := range sections {
		if s.Start > 0 && s.Start < len(text) {
			breaks = append(breaks, s.Start)
		}
	}
	slices.Sort(breaks)
	var out []span
	add := func(s, e int) {
		if sp, ok := trim(text, s, e); ok {
			out = append(out, sp)
		}
	}
	start, bi := 0, 0
	for pos := 0; pos < len(text); {
		lineEnd := len(text)
		if j := strings.IndexByte(text[pos:], '\n'); j >= 0 {
			lineEnd = pos + j + 1
		}
		for bi < len(breaks) && breaks[bi] < lineEnd {
			if breaks[bi] > start {
				add(start, breaks[bi])
				start = breaks[bi]
			}
			bi++
		}
		if strings.TrimLeft(text[pos:lineEnd], " \t\r\f\n") == "" {
			add(start, pos)
			start = lineEnd
		}
		pos = lineEnd
	}
	for bi < len(breaks) {
		if breaks[bi] > start {
			add(start, breaks[bi])
			start = breaks[bi]
		}
		bi++
	}
	add(start, len(text))
	return out
}

// dropHeading removes from paragraph p the heading line of the section that
// starts where p does: a first line whose text.Key is the heading's. A
// heading on a line of its own (a blank line after it) leaves nothing, and
// ok is false; otherwise p starts at the next line. Left in, a short
// heading piece would be merged into the paragraph after it ("Link with
// the health centre The promotoras are not clinicians…") and be quoted,
// searched and annotated as if it were a sentence of the text.
func dropHeading(s string, p span, sections []corpus.Section) (span, bool) {
	for _, sec := range sections {
		if sec.Start != p.start || strings.TrimSpace(sec.Heading) == "" {
			continue
		}
		end := p.end
		if i := strings.IndexByte(s[p.start:p.end], '\n'); i >= 0 {
			end = p.start + i
		}
		if text.Key(s[p.start:end]) != text.Key(sec.Heading) {
			continue
		}
		return trim(s, end, p.end)
	}
	return p, true
}

// trim narrows [s, e) to exclude surrounding white space.
func trim(doc string, s, e int) (span, bool) {
	sp, ok := text.Trim(doc, s, e)
	return span{sp.Start, sp.End}, ok
}

// cut splits a paragraph longer than max at sentence ends, packing whole
// sentences into pieces of at most max bytes; a sentence longer than max is
// cut at the last space before max, or at a rune boundary.
func cut(doc string, p span, max int) []span {
	if p.end-p.start <= max {
		return []span{p}
	}
	var out []span
	s := p.start
	for p.end-s > max {
		limit := s + max
		e := text.LastEnd(doc[:p.end], s, limit)
		if e <= s {
			e = lastSpace(doc, s, limit)
		}
		if e <= s {
			e = limit
			for e > s && !utf8.RuneStart(doc[e]) {
				e--
			}
			if e <= s {
				e = limit
			}
		}
		if sp, ok := trim(doc, s, e); ok {
			out = append(out, sp)
		}
		s = e
	}
	if sp, ok := trim(doc, s, p.end); ok {
		out = append(out, sp)
	}
	return out
}

// lastSpace returns the offset just after the last white space in
// text[s:limit], or -1.
func lastSpace(text string, s, limit int) int {
	for i := limit - 1; i > s; i-- {
		if isSpaceByte(text[i]) {
			return i + 1
		}
	}
	return -1
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// merge joins each piece shorter than minLen with the next piece in the
// same section, or else with the previous one.
func merge(doc *corpus.Document, pieces []span, minLen int) []span {
	var out []span
	for i := 0; i < len(pieces); i++ {
		p := pieces[i]
		for p.end-p.start < minLen && i+1 < len(pieces) && sameSection(doc, p.start, pieces[i+1].start) {
			i++
			p.end = pieces[i].end
		}
		if p.end-p.start < minLen && len(out) > 0 && sameSection(doc, out[len(out)-1].start, p.start) {
			out[len(out)-1].end = p.end
			continue
		}
		out = append(out, p)
	}
	return out
}

func sameSection(doc *corpus.Document, a, b int) bool {
	if len(doc.Sections) == 0 {
		return true
	}
	return sectionIndex(doc.Sections, a) == sectionIndex(doc.Sections, b)
}

// sectionIndex returns the index of the innermost section holding off, -1 if none.
func sectionIndex(ss []corpus.Section, off int) int {
	k := -1
	for i, s := range ss {
		if off >= s.Start && off < s.End {
			k = i
		}
	}
	return k
}
