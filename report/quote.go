package report

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
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
func quoteRange(text string, s1, e1, s2, e2 int) (int, int) {
	start, end := 0, len(text)
	if len(text) > wholeUpTo {
		ok1 := validRange(text, s1, e1)
		ok2 := validRange(text, s2, e2)
		switch {
		case ok1 && ok2:
			start, end = sentences(text, min(s1, s2), max(e1, e2))
			if end-start > maxQuote {
				start, end = sentences(text, s1, e1)
			}
		case ok1:
			start, end = sentences(text, s1, e1)
		case ok2:
			start, end = sentences(text, s2, e2)
		default: // no evidence span: the first sentence
			start, end = sentences(text, 0, 0)
		}
	}
	return trim(text, start, end)
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
	q := Quote{
		Passage: v.Passage.ID,
		Doc:     v.Passage.Doc,
		Text:    v.Passage.Text[start:end],
		Start:   start,
		End:     end,
		Authors: d.Authors,
		Year:    d.Year,
		Title:   title(d),
		Page:    v.Passage.Page,
		Section: v.Passage.Section,
	}
	q.Citation = fmt.Sprintf("%s, %s, %s [%s]", workCite(d), quoteTitle(q.Title), place(q.Page, q.Section, v.Passage.N), v.Passage.ID.Short())
	return q
}

// workCite is "First et al. 2020" for a document.
func workCite(d *corpus.Document) string {
	year := "n.d."
	if d.Year > 0 {
		year = fmt.Sprint(d.Year)
	}
	return authorsShort(d.Authors) + " " + year
}

// authorsShort is the family name of the first author, "et al." for three
// or more, "A & B" for two, "Anon." for none.
func authorsShort(as []string) string {
	switch len(as) {
	case 0:
		return "Anon."
	case 1:
		return familyName(as[0])
	case 2:
		return familyName(as[0]) + " & " + familyName(as[1])
	}
	return familyName(as[0]) + " et al."
}

// familyName returns the family name of "Family, Given" or "Given Family".
func familyName(a string) string {
	a = strings.TrimSpace(a)
	if i := strings.IndexByte(a, ','); i > 0 {
		return strings.TrimSpace(a[:i])
	}
	if f := strings.Fields(a); len(f) > 0 {
		return f[len(f)-1]
	}
	return "Anon."
}

// title is the document's title, or its file name when it has none.
func title(d *corpus.Document) string {
	if t := strings.Join(strings.Fields(d.Title), " "); t != "" {
		return t
	}
	if d.Path != "" {
		return path.Base(strings.ReplaceAll(d.Path, `\`, "/"))
	}
	return d.ID.Short()
}

func quoteTitle(t string) string { return "“" + t + "”" }

// place is "p. 4", "§ Methods" or "¶ 8" (passage ordinal + 1).
func place(page int, section string, n int) string {
	switch {
	case page > 0:
		return fmt.Sprintf("p. %d", page)
	case section != "":
		return "§ " + section
	}
	return fmt.Sprintf("¶ %d", n+1)
}

// citation is the citation of a work, for the evidence table.
func citation(d *corpus.Document) string {
	return workCite(d) + ", " + quoteTitle(title(d))
}

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

// sentences widens [start, end) of text to whole sentences. A sentence ends
// after '.', '!', '?' or '…' (and any closing quotes or brackets) that is
// followed by white space and then not by a lower-case letter; a newline
// also ends one.
func sentences(text string, start, end int) (int, int) {
	s := 0
	for i := range text {
		if i > start {
			break
		}
		if boundary(text, i) {
			s = i
		}
	}
	e := len(text)
	for i := range text {
		if i >= end && i > s && boundary(text, i) {
			e = i
			break
		}
	}
	return s, e
}

// boundary reports whether a sentence starts at byte i of text (i > 0).
func boundary(text string, i int) bool {
	if i == 0 || i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	if unicode.IsSpace(r) {
		return false
	}
	j := i
	sawSpace := false
	for j > 0 {
		p, n := utf8.DecodeLastRuneInString(text[:j])
		if !unicode.IsSpace(p) {
			break
		}
		if p == '\n' {
			return true
		}
		sawSpace = true
		j -= n
	}
	if !sawSpace || unicode.IsLower(r) {
		return false
	}
	for j > 0 {
		p, n := utf8.DecodeLastRuneInString(text[:j])
		switch p {
		case '"', '\'', ')', ']', '”', '’', '»':
			j -= n
			continue
		case '.', '!', '?', '…':
			return true
		}
		return false
	}
	return false
}

// trim moves start and end inward past white space.
func trim(text string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return start, end
}
