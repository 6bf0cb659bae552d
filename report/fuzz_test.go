package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// FuzzQuote checks that, whatever the spans say, a quote is either refused
// or a valid, in-bounds slice of its passage that starts at a sentence
// start, ends at a sentence end (or is marked trimmed), and holds the label
// and the evidence.
func FuzzQuote(f *testing.F) {
	long := strings.Repeat("Peer navigators linked clients to housing. ", 30)
	f.Add(long, "", 0, 15, 21, 27)
	f.Add(long, "", -1, -1, -1, -1)
	f.Add(long, "", 400, 300, 5, 2000)
	f.Add("Les médiateurs de santé accompagnent les personnes. "+long, "", 4, 14, 24, 35)
	f.Add("Link with the health centre\n\nThe promotoras are a bridge.", "Link with the health centre", 32, 42, 49, 55)
	f.Add("Selection and training\nThe CHWs are local residents.", "", 27, 31, 40, 45)
	f.Add("é\n\nÀ. B", "", 1, 2, 0, 9)
	f.Fuzz(func(t *testing.T, s, section string, ls, le, es, ee int) {
		sent := newSentences(s, section)
		h := hit{lab: corpus.Span{Start: ls, End: le}, ev: corpus.Span{Start: es, End: ee}}
		if !validRange(s, ls, le) || le == ls {
			h.lab = corpus.Span{Start: -1, End: -1}
		}
		if !validRange(s, es, ee) || ee == es {
			h.ev = corpus.Span{Start: -1, End: -1}
		}
		sent.quote(&h)
		if !h.quotable() {
			return
		}
		if h.qs < 0 || h.qs > h.qe || h.qe > len(s) {
			t.Fatalf("quote of %q = [%d, %d), out of bounds", s, h.qs, h.qe)
		}
		if utf8.ValidString(s) && !utf8.ValidString(s[h.qs:h.qe]) {
			t.Fatalf("quote of %q = [%d, %d) splits a rune", s, h.qs, h.qe)
		}
		for _, sp := range []corpus.Span{h.lab, h.ev} {
			if sp.Start >= 0 && (sp.Start < h.qs || sp.End > h.qe) {
				t.Fatalf("quote of %q = [%d, %d) leaves out [%d, %d)", s, h.qs, h.qe, sp.Start, sp.End)
			}
		}
		starts, ends := map[int]bool{}, map[int]bool{}
		for _, sp := range text.Sentences(s) {
			starts[sp.Start], ends[sp.End] = true, true
		}
		if !starts[h.qs] {
			t.Fatalf("quote of %q starts at %d, not a sentence start", s, h.qs)
		}
		if !ends[h.qe] && !h.trim {
			t.Fatalf("quote of %q ends at %d, not a sentence end, and is not marked trimmed", s, h.qe)
		}
	})
}
