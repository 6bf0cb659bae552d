package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// maxQuote is the length in bytes past which a quote is trimmed: it keeps
// its first sentence start and ends after the label and the evidence, at a
// word end, with Quote.Trimmed set (shown as "…").
const maxQuote = 600

// maxHeading is the longest line, in bytes, that is taken for a heading.
const maxHeading = 120

// sentences are the sentences of one passage (text.Sentences), computed on
// first use, with which of them are headings.
type sentences struct {
	text, section string
	spans         []text.Span
	head          []bool
	done          bool
}

func newSentences(s, section string) *sentences { return &sentences{text: s, section: section} }

func (s *sentences) load() {
	if s.done {
		return
	}
	s.done = true
	s.spans = text.Sentences(s.text)
	s.head = make([]bool, len(s.spans))
	for k := range s.spans {
		s.head[k] = s.heading(k)
	}
}

// of returns the index of the sentence that holds sp whole, or -1 when sp
// crosses a sentence boundary or lies in a heading.
func (s *sentences) of(sp corpus.Span) int {
	s.load()
	for k, x := range s.spans {
		if sp.Start >= x.Start && sp.Start < x.End {
			if sp.End <= x.End && !s.head[k] {
				return k
			}
			return -1
		}
	}
	return -1
}

// heading reports whether sentence k is a heading rather than a sentence:
// the passage's section heading, or a line of its own of at most
// maxHeading bytes that ends without punctuation, is not a list item and
// has a sentence after it. ("Link with the health centre" above "The
// promotoras are not clinicians." is one: split keeps such lines in the
// passage when a text has no section structure.)
func (s *sentences) heading(k int) bool {
	sp := s.spans[k]
	line := s.text[sp.Start:sp.End]
	if s.section != "" && text.Key(line) == text.Key(s.section) {
		return true
	}
	if k == len(s.spans)-1 || len(line) > maxHeading || strings.Contains(line, "\n") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(line)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ')' {
		return false
	}
	if first, _ := utf8.DecodeRuneInString(line); !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return false // a list item ("- home visits") or a line of running text
	}
	before := strings.TrimRight(s.text[:sp.Start], " \t")
	after := strings.TrimLeft(s.text[sp.End:], " \t")
	return (before == "" || strings.HasSuffix(before, "\n")) && strings.HasPrefix(after, "\n")
}

// quote sets h's quote range: the sentences from the first to the last of
// the label's and the evidence's, when none of them is a heading, trimmed
// after both when longer than maxQuote. A hit whose label is not in the
// passage (a work-wide link of a record) or lies in a heading gets no
// quote.
func (s *sentences) quote(h *hit) {
	h.qs, h.qe, h.trim = 0, 0, false
	if h.lab.Start < 0 {
		return
	}
	kl := s.of(h.lab)
	if kl < 0 {
		h.lab = corpus.Span{Start: -1, End: -1}
		return
	}
	k0, k1 := kl, kl
	if h.ev.Start >= 0 {
		ke := s.of(h.ev)
		if ke < 0 {
			h.lab = corpus.Span{Start: -1, End: -1}
			return
		}
		k0, k1 = min(k0, ke), max(k1, ke)
	}
	for k := k0; k <= k1; k++ {
		if s.head[k] {
			h.lab = corpus.Span{Start: -1, End: -1}
			return
		}
	}
	h.qs, h.qe = s.spans[k0].Start, s.spans[k1].End
	if h.qe-h.qs <= maxQuote {
		return
	}
	need := max(h.lab.End, h.ev.End)
	if e := cutAt(s.text, need, max(need, h.qs+maxQuote)); e < h.qe {
		h.qe, h.trim = e, true
	}
}

// cutAt returns where to end a trimmed quote that must hold s[:need]: at
// the last word end at or before limit, or else at the end of the word
// holding need; trailing punctuation that joins clauses is left out.
func cutAt(s string, need, limit int) int {
	e := need
	for e < len(s) {
		r, n := utf8.DecodeRuneInString(s[e:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		e += n
	}
	if i := strings.LastIndexFunc(s[e:max(e, min(limit, len(s)))], unicode.IsSpace); i >= 0 {
		e += i
	}
	return max(need, len(strings.TrimRight(s[:e], " \t\n,;:–—-("))) // "…" follows
}

// work returns what a citation shows of d.
func work(d *corpus.Document) text.Work {
	return text.Work{Authors: d.Authors, Year: d.Year, Title: d.Title, Path: d.Path}
}

// doc returns the document of view v.
func (b *builder) doc(v corpus.View) *corpus.Document {
	if d := b.docs[v.Passage.Doc]; d != nil {
		return d
	}
	if v.Doc != nil {
		return v.Doc
	}
	return &corpus.Document{ID: v.Passage.Doc}
}

// quoteOf makes the Quote of hit h, which must be quotable.
func (b *builder) quoteOf(h hit) Quote {
	v := b.views[h.view]
	d := b.doc(v)
	w := work(d)
	q := Quote{
		Passage: v.Passage.ID,
		Doc:     v.Passage.Doc,
		Text:    v.Passage.Text[h.qs:h.qe],
		Start:   h.qs,
		End:     h.qe,
		Trimmed: h.trim,
		Unit:    h.unit,
		Label:   h.label,
		Code:    h.code,
		Scope:   h.scope,
		LabelAt: h.lab,
		Authors: d.Authors,
		Year:    d.Year,
		Title:   text.Title(w),
		Page:    v.Passage.Page,
		Section: v.Passage.Section,
	}
	if h.ev.Start >= 0 {
		ev := h.ev
		q.Evidence = &ev
	}
	q.Citation = text.CiteAt(w, text.Place(q.Page, q.Section, v.Passage.N)) + " [" + v.Passage.ID.Short() + "]"
	return q
}

// citation is the citation of a work, for the evidence table.
func citation(d *corpus.Document) string { return text.Cite(work(d)) }
