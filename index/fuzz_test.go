package index_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// FuzzSearch feeds arbitrary query-string text to Search: it must never
// panic, and it either succeeds or fails with ErrQuery, with fragments
// that are valid UTF-8. Seeds are the texts of the search cases.
func FuzzSearch(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/search/*/queries.json")
	for _, d := range dirs {
		raw, err := os.ReadFile(d)
		if err != nil {
			f.Fatal(err)
		}
		var cases []searchCase
		if err := json.Unmarshal(raw, &cases); err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			f.Add(c.Query.Text)
		}
	}
	for _, s := range []string{`(`, `a:`, `+`, `"é`, `year:>=`, `/[/`, `*`, `peer~9`, `\`, `label:`} {
		f.Add(s)
	}
	ix := newIndex(f, readViews(f, filepath.Join("testdata", "search", "filters", "passages.jsonl")))
	f.Fuzz(func(t *testing.T, text string) {
		res, err := ix.Search(context.Background(), corpus.Query{Text: text, Facets: true})
		if err != nil {
			if !errors.Is(err, index.ErrQuery) {
				t.Fatalf("Search(%q) = %v, want nil or ErrQuery", text, err)
			}
			return
		}
		for _, h := range res.Hits {
			for _, fr := range h.Fragments {
				if !utf8.ValidString(fr) {
					t.Fatalf("Search(%q): fragment %q is not valid UTF-8", text, fr)
				}
			}
		}
	})
}
