package ingest

import (
	"strings"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/text"
)

// A builder assembles a document's Text from paragraphs and headings, so
// that every extractor produces the same layout: paragraphs separated by a
// blank line, each heading a paragraph of its own that opens a section
// running to the next heading.
type builder struct {
	sb       strings.Builder
	sections []corpus.Section
	bare     bool   // the open section holds only its heading so far
	first    string // the first heading written
}

// collapse returns s normalised with runs of white space folded to one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(text.Normalize(s)), " ")
}

// para appends one paragraph, with its white space collapsed.
func (b *builder) para(s string) {
	b.raw(collapse(s))
}

// raw appends one paragraph as it is (already normalised), keeping single
// line breaks; lines are trimmed of trailing space and blank lines dropped,
// so the paragraph stays one block for Split.
func (b *builder) raw(s string) {
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	s = strings.Join(kept, "\n")
	if s == "" {
		return
	}
	if b.sb.Len() > 0 {
		b.sb.WriteString("\n\n")
	}
	b.sb.WriteString(s)
	b.bare = false
}

// heading closes the open section and opens one under h, whose text
// becomes a paragraph of its own. A section that holds only its heading
// is taken over by the next one.
//
// A proof's author query ("AU: Please confirm that all heading levels…")
// is dropped, and a glossary entry set as a heading ("Peer worker: Any
// social service position reserved for….") is kept as a paragraph: neither
// names a section.
func (b *builder) heading(h string) {
	h = collapse(h)
	switch {
	case h == "" || proofQuery(h):
		return
	case glossaryLine(h):
		b.para(h)
		return
	}
	if b.first == "" {
		b.first = h
	}
	if n := len(b.sections); n > 0 && b.bare && b.sections[n-1].End < 0 {
		// The open section holds nothing but its heading ("Methods"
		// directly followed by "Design"): the new section takes it over,
		// so no passage is a lone heading.
		b.sections[n-1].Heading = h
		b.raw(h)
		b.bare = true
		return
	}
	b.closeSection()
	start := b.sb.Len()
	if start > 0 {
		start += 2 // the paragraph separator raw writes
	}
	b.sections = append(b.sections, corpus.Section{Heading: h, Start: start, End: -1})
	b.raw(h)
	b.bare = true
}

func (b *builder) closeSection() {
	if n := len(b.sections); n > 0 && b.sections[n-1].End < 0 {
		b.sections[n-1].End = b.sb.Len()
	}
}

// len returns the bytes written so far.
func (b *builder) len() int { return b.sb.Len() }

// done returns the text and its sections.
func (b *builder) done() (string, []corpus.Section) {
	b.closeSection()
	return b.sb.String(), b.sections
}
