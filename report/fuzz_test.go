package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuoteRange checks that a quote is always a valid, in-bounds slice of
// its passage, whatever the evidence spans say.
func FuzzQuoteRange(f *testing.F) {
	long := strings.Repeat("Peer navigators linked clients to housing. ", 12)
	f.Add(long, 0, 10, 50, 60)
	f.Add(long, -1, -1, -1, -1)
	f.Add(long, 400, 300, 5, 2000)
	f.Add("Les médiateurs de santé accompagnent les personnes. "+long, 5, 7, 16, 18)
	f.Add("short", 0, 5, -1, -1)
	f.Add("é\n\nÀ. B", 1, 2, 0, 9)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		start, end := quoteRange(text, s1, e1, s2, e2)
		if start < 0 || start > end || end > len(text) {
			t.Fatalf("quoteRange(%q, %d, %d, %d, %d) = [%d, %d), out of bounds", text, s1, e1, s2, e2, start, end)
		}
		if utf8.ValidString(text) && !utf8.ValidString(text[start:end]) {
			t.Fatalf("quoteRange(%q, ...) = [%d, %d) splits a rune", text, start, end)
		}
	})
}
