package report

import (
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// wholeUpTo is the length in bytes up to which a passage is quoted whole.
const wholeUpTo = 320

// maxQuote is the length in bytes past which a quote around two spans
// falls back to the sentence of the first one.
const maxQuote = 700

// quote returns a quote of view v around the byte ranges [s1, e1) and
// [s2, e2) (each -1 if unknown): the whole passage when it is short, else
// the sentences holding the ranges, else (no valid range) the first
// sentence.
func (b *builder) quote(v corpus.View, s1, e1, s2, e2 int) Quote {
	start, end := quoteRange(v.Passage.Text, s1, e1, s2, e2)
	return b.cite(v, start, end)
}

// quoteRange returns the byte range of text that quote quotes.
func quoteRange(s string, s1, e1, s2, e2 int) (int, int) {
	if len(s) <= wholeUpTo {
		return text.Widen(s, 0, len(s))
	}
	ok1 := validRange(s, s1, e1)
	ok2 := validRange(s, s2, e2)
	switch {
	case ok1 && ok2:
		start, end := text.Widen(s, min(s1, s2), max(e1, e2))
		if end-start <= maxQuote {
			return start, end
		}
		return text.Widen(s, s1, e1)
	case ok1:
		return text.Widen(s, s1, e1)
	case ok2:
		return text.Widen(s, s2, e2)
	}
	return text.Widen(s, 0, 0) // no evidence span: the first sentence
}

// work returns what a citation shows of d.
func work(d *corpus.Document) text.Work {
	return text.Work{Authors: d.Authors, Year: d.Year, Title: d.Title, Path: d.Path}
}

// cite makes a Quote of v.Passage.Text[start:end] with its citation.
func (b *builder) cite(v corpus.View, start, end int) Quote {
	d := b.docs[v.Passage.Doc]
	if d == nil {
		d = v.Doc
	}
	if d == nil {
		d = &corpus.Document{ID: v.Passage.Doc}
	}
	w := work(d)
	q := Quote{
		Passage: v.Passage.ID,
		Doc:     v.Passage.Doc,
		Text:    v.Passage.Text[start:end],
		Start:   start,
		End:     end,
		Authors: d.Authors,
		Year:    d.Year,
		Title:   text.Title(w),
		Page:    v.Passage.Page,
		Section: v.Passage.Section,
	}
	q.Citation = text.CiteAt(w, text.Place(q.Page, q.Section, v.Passage.N)) + " [" + v.Passage.ID.Short() + "]"
	return q
}

// citation is the citation of a work, for the evidence table.
func citation(d *corpus.Document) string { return text.Cite(work(d)) }

func validRange(s string, start, end int) bool {
	return start >= 0 && start <= end && end <= len(s) && utf8.RuneStart(at(s, start)) && utf8.RuneStart(at(s, end))
}

// at returns s[i], or a rune-start byte at the end of s.
func at(s string, i int) byte {
	if i >= len(s) {
		return ' '
	}
	return s[i]
}
