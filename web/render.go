package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

func funcs() template.FuncMap {
	return template.FuncMap{
		"fragment": fragment,
		"short":    func(id corpus.PassageID) string { return id.Short() },
		"shortdoc": func(id corpus.DocID) string { return id.Short() },
		"plink":    passageURL,
		"dlink":    func(id corpus.DocID) string { return "/doc/" + url.PathEscape(id.Short()) },
		"cite":     cite,
		"hitcite": func(h corpus.Hit) string {
			return text.CiteAt(text.Work{Authors: h.Authors, Year: h.Year, Title: h.Title, Path: h.Path}, text.Place(h.Page, h.Section, h.Passage.N()))
		},
		"join":  strings.Join,
		"conf":  func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"conf3": conf3,
		"clip":  clip,
	}
}

// passageURL returns the path of a passage's page, with its short ID as
// typed: /passage/<12 hex>/<nnnn>.
func passageURL(id corpus.PassageID) string {
	return fmt.Sprintf("/passage/%s/%04d", url.PathEscape(id.Doc().Short()), id.N())
}

const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// fragment renders a highlighted fragment from the index safely. The
// fragment may come already HTML-escaped (bleve's html highlighter escapes
// the text around its marks) or raw, so it is unescaped once, then every
// character is escaped and only the <mark> and </mark> tags are restored,
// balanced (a stray close is dropped, an open mark is closed at the end).
// The one cost: passage text that spells an entity ("&lt;") shows decoded.
func fragment(s string) template.HTML {
	s = html.UnescapeString(s)
	var b strings.Builder
	open := false
	for len(s) > 0 {
		i := strings.Index(s, "<")
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		s = s[i:]
		switch {
		case strings.HasPrefix(s, markOpen):
			if !open {
				b.WriteString(markOpen)
				open = true
			}
			s = s[len(markOpen):]
		case strings.HasPrefix(s, markClose):
			if open {
				b.WriteString(markClose)
				open = false
			}
			s = s[len(markClose):]
		default:
			b.WriteString("&lt;")
			s = s[1:]
		}
	}
	if open {
		b.WriteString(markClose)
	}
	return template.HTML(b.String())
}

// cite is the one citation format (text.Cite) of a work.
func cite(authors []string, year int, title, path string) string {
	return text.Cite(text.Work{Authors: authors, Year: year, Title: title, Path: path})
}

// clip returns s cut to at most n bytes at a rune boundary, with "…" when cut.
func clip(n int, s string) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRight(s[:n], " ") + "…"
}

// A segment is a run of passage text that is either plain or evidence for
// some annotations.
type segment struct {
	Text    string
	Mark    bool   // evidence for at least one annotation
	Negated bool   // evidence only for negated annotations
	Title   string // what it is evidence for, e.g. "role.navigation; peer navigator"
}

// segments cuts text at the boundaries of the annotations' evidence spans.
// Spans are byte offsets into text; those out of range are clamped and
// those inside a UTF-8 sequence are widened to whole runes.
func segments(text string, anns []corpus.Annotation) []segment {
	type span struct {
		start, end int
		a          *corpus.Annotation
	}
	var spans []span
	cuts := []int{0, len(text)}
	for i := range anns {
		for _, sp := range anns[i].Spans {
			st, en := fixSpan(text, sp)
			if st >= en {
				continue
			}
			spans = append(spans, span{st, en, &anns[i]})
			cuts = append(cuts, st, en)
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out []segment
	for i := 0; i+1 < len(cuts); i++ {
		st, en := cuts[i], cuts[i+1]
		seg := segment{Text: text[st:en]}
		var what []string
		neg := true
		for _, sp := range spans {
			if sp.start <= st && en <= sp.end {
				what = append(what, annName(*sp.a))
				neg = neg && sp.a.Negated
			}
		}
		if len(what) > 0 {
			slices.Sort(what)
			seg.Mark, seg.Negated, seg.Title = true, neg, strings.Join(slices.Compact(what), "; ")
		}
		if n := len(out); n > 0 && !out[n-1].Mark && !seg.Mark {
			out[n-1].Text += seg.Text
			continue
		}
		out = append(out, seg)
	}
	return out
}

// fixSpan clamps sp to text and widens it to rune boundaries.
func fixSpan(text string, sp corpus.Span) (int, int) {
	st, en := max(sp.Start, 0), min(sp.End, len(text))
	for st > 0 && st < len(text) && !utf8.RuneStart(text[st]) {
		st--
	}
	for en < len(text) && en > 0 && !utf8.RuneStart(text[en]) {
		en++
	}
	return st, en
}

// annName names what an annotation asserts, with "not " when negated.
func annName(a corpus.Annotation) string {
	n := a.Code
	if a.Type == corpus.AnnLabel {
		n = a.Label
	}
	if a.Negated {
		n = "not " + n
	}
	return n
}

// evidence returns the text of a's spans, joined by " … ".
func evidence(text string, a corpus.Annotation) string {
	var parts []string
	for _, sp := range a.Spans {
		st, en := fixSpan(text, sp)
		if st < en {
			parts = append(parts, text[st:en])
		}
	}
	return strings.Join(parts, " … ")
}

// conf3 formats an agreement figure with three decimals, without "-0.000".
func conf3(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	if s == "-0.000" {
		return "0.000"
	}
	return s
}
