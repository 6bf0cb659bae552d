package index_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// A testPassage is one line of testdata/search/<case>/passages.jsonl: a
// passage with its document's metadata and annotations, flattened.
type testPassage struct {
	ID       corpus.PassageID `json:"id"` // "<doc>/<nnnn>"
	Text     string           `json:"text"`
	Lang     string           `json:"lang"`
	Kind     corpus.Kind      `json:"kind"`
	Year     int              `json:"year"`
	Title    string           `json:"title"`
	Group    string           `json:"group"`
	Labels   []string         `json:"labels"`   // label annotations, family = Families[i] if given
	Families []string         `json:"families"` //
	Codes    []string         `json:"codes"`    // code annotations by rules
	Human    []string         `json:"human"`    // code annotations by a human coder
	Negated  []string         `json:"negated"`  // negated code annotations (must not be indexed)
}

func (p testPassage) view() corpus.View {
	doc := &corpus.Document{ID: p.ID.Doc(), Lang: p.Lang, Kind: p.Kind, Year: p.Year, Title: p.Title, Group: p.Group, Path: string(p.ID.Doc()) + ".txt"}
	v := corpus.View{
		Passage: corpus.Passage{ID: p.ID, Doc: p.ID.Doc(), N: p.ID.N(), Text: p.Text, End: len(p.Text)},
		Doc:     doc,
	}
	for i, l := range p.Labels {
		fam := l
		if i < len(p.Families) {
			fam = p.Families[i]
		}
		v.Annotations = append(v.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnLabel, Label: l, Family: fam, Annotator: "rules@test"})
	}
	for _, c := range p.Codes {
		v.Annotations = append(v.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnCode, Code: c, Annotator: "rules@test"})
	}
	for _, c := range p.Human {
		v.Annotations = append(v.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnCode, Code: c, Annotator: "human:ann"})
	}
	for _, c := range p.Negated {
		v.Annotations = append(v.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnCode, Code: c, Negated: true, Annotator: "rules@test"})
	}
	return v
}

// A searchCase is one entry of testdata/search/<case>/queries.json.
type searchCase struct {
	Comment string                     `json:"comment"`
	Query   corpus.Query               `json:"query"`
	Want    []corpus.PassageID         `json:"want"`   // passage IDs in order
	Total   *uint64                    `json:"total"`  // if set, Results.Total
	Facets  map[string][]corpus.Bucket `json:"facets"` // if set, Results.Facets
	Marks   []string                   `json:"marks"`  // if set, substrings the first hit's fragments must hold
	Err     bool                       `json:"err"`    // an ErrQuery is expected
}

func readViews(t testing.TB, path string) []corpus.View {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []corpus.View
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var p testPassage
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		vs = append(vs, p.view())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

func newIndex(t testing.TB, vs []corpus.View) *index.Index {
	t.Helper()
	// Several batches, but not hundreds: an in-memory index does not merge
	// its segments.
	opts := index.Options{BatchSize: max(3, len(vs)/4)}
	if tt, ok := t.(*testing.T); ok {
		opts.Logger = zaptest.NewLogger(tt)
	}
	ix, err := index.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Add(context.Background(), vs); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestSearch runs the cases under testdata/search: each directory holds
// passages.jsonl and queries.json.
func TestSearch(t *testing.T) {
	dirs, err := filepath.Glob("testdata/search/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no search cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ix := newIndex(t, readViews(t, filepath.Join(dir, "passages.jsonl")))
			raw, err := os.ReadFile(filepath.Join(dir, "queries.json"))
			if err != nil {
				t.Fatal(err)
			}
			var cases []searchCase
			if err := json.Unmarshal(raw, &cases); err != nil {
				t.Fatalf("%s: %v", dir, err)
			}
			for _, c := range cases {
				t.Run(c.Comment, func(t *testing.T) {
					res, err := ix.Search(context.Background(), c.Query)
					if c.Err {
						if !errors.Is(err, index.ErrQuery) {
							t.Fatalf("Search(%v) error = %v, want ErrQuery", c.Query, err)
						}
						return
					}
					if err != nil {
						t.Fatalf("Search(%v): %v", c.Query, err)
					}
					got := make([]corpus.PassageID, 0, len(res.Hits))
					for _, h := range res.Hits {
						got = append(got, h.Passage)
					}
					want := c.Want
					if want == nil {
						want = []corpus.PassageID{}
					}
					if !slices.Equal(got, want) {
						t.Errorf("Search(%v) = %q, want %q", c.Query, got, want)
					}
					if c.Total != nil && res.Total != *c.Total {
						t.Errorf("Search(%v).Total = %d, want %d", c.Query, res.Total, *c.Total)
					}
					if c.Facets != nil {
						if d := cmp.Diff(c.Facets, res.Facets); d != "" {
							t.Errorf("Search(%v).Facets differ (-want +got):\n%s", c.Query, d)
						}
					}
					if len(c.Marks) > 0 {
						if len(res.Hits) == 0 {
							t.Fatalf("Search(%v): no hits, want fragments", c.Query)
						}
						frags := res.Hits[0].Fragments
						for _, m := range c.Marks {
							if !slices.ContainsFunc(frags, func(f string) bool { return strings.Contains(f, m) }) {
								t.Errorf("Search(%v).Hits[0].Fragments = %q, want one holding %q", c.Query, frags, m)
							}
						}
					}
				})
			}
		})
	}
}
