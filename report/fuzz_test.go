package report

import (
	"math/rand/v2"
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
	// A label span that ends in white space, far from the evidence: the cut
	// of the long quote must not fall inside it (found by TestQuoteRandom).
	f.Add("e.g. the CHWs, Dr. Okafor's team Qui sont-ils ? A very long sentence "+strings.Repeat("that goes on and on ", 40)+
		"ends here. Peer navigators linked clients to housing. Selection and training\ne.g. the CHWs, Dr. Okafor's team \n",
		"Link with the health centre", 949, 960, 1, 5)
	f.Fuzz(checkQuote)
}

// TestQuoteRandom runs FuzzQuote's checks over random passages built from
// sentences, headings, list items and line breaks, with random spans: the
// fuzz engine finds odd bytes, this finds odd layouts, quickly.
func TestQuoteRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	pieces := []string{"Peer navigators linked clients to housing. ", "They listen and offer hope! ", "Selection and training\n",
		"Link with the health centre\n\n", "- home visits\n", "e.g. the CHWs, Dr. Okafor's team ", "Les médiateurs accompagnent. ",
		"A very long sentence " + strings.Repeat("that goes on and on ", 40) + "ends here. ", "\n", "Qui sont-ils ? "}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		span := func() (int, int) {
			i := rng.IntN(len(s) + 1)
			return i, min(len(s), i+rng.IntN(20))
		}
		ls, le := span()
		es, ee := span()
		section := ""
		if rng.IntN(3) == 0 {
			section = "Link with the health centre"
		}
		checkQuote(t, s, section, ls, le, es, ee)
		if t.Failed() {
			return
		}
	}
}

// checkQuote is the property FuzzQuote and TestQuoteRandom check.
func checkQuote(t *testing.T, s, section string, ls, le, es, ee int) {
	{
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
				t.Fatalf("quote of %q = [%d, %d) (trimmed %v; label %v, evidence %v) leaves out [%d, %d)", s, h.qs, h.qe, h.trim, h.lab, h.ev, sp.Start, sp.End)
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
		for k, sp := range text.Sentences(s) {
			if sp.Start >= h.qs && sp.End <= h.qe && sent.head[k] {
				t.Fatalf("quote of %q = [%d, %d) holds the heading %q", s, h.qs, h.qe, s[sp.Start:sp.End])
			}
		}
	}
}
