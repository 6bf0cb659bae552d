package index_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
	"github.com/peermap/peermap/internal/golden"
)

// sameViews returns real passages with labels and codes found by fixed
// patterns (not by the annotator, whose output changes with its own
// work): the plain-text sources of ../shared/corpus/peer and the abstracts
// of one SYNERGY set, with years and one version group.
func sameViews(t *testing.T) []corpus.View {
	t.Helper()
	type rule struct {
		re    *regexp.Regexp
		label string // a label, or
		code  string // a code
	}
	rules := []rule{
		{re: regexp.MustCompile(`(?i)\bpeer[\s-]+workers?\b`), label: "peer worker"},
		{re: regexp.MustCompile(`(?i)\bcommunity health workers?\b`), label: "community health worker"},
		{re: regexp.MustCompile(`(?i)\bm[ée]diat(eur|rice)s?\b`), label: "médiateur de santé pair"},
		{re: regexp.MustCompile(`(?i)\bnavigat`), code: "role.navigation"},
		{re: regexp.MustCompile(`(?i)\btrust`), code: "relationship.trust"},
		{re: regexp.MustCompile(`(?i)\btrain`), code: "preparation.training"},
	}
	tag := func(v *corpus.View) {
		for _, r := range rules {
			if !r.re.MatchString(v.Passage.Text) {
				continue
			}
			a := corpus.Annotation{Type: corpus.AnnLabel, Label: r.label, Family: r.label}
			if r.code != "" {
				a = corpus.Annotation{Type: corpus.AnnCode, Code: r.code}
			}
			v.Annotations = append(v.Annotations, a)
		}
	}
	vs := realViews(t, nil)
	for i := range vs {
		tag(&vs[i])
	}
	for i, w := range synergyWorks(t, filepath.Join(bigDir, "synergy_Nelson_2002.works.tar.gz")) {
		text := w.abstract()
		if len(text) < 40 {
			continue
		}
		doc := &corpus.Document{ID: corpus.NewDocID([]byte(w.ID)), Path: w.ID, Kind: corpus.KindRecord, Lang: "en", Title: w.Title, Year: w.Year,
			Authors: []string{"Author, A", "Other, B"}}
		if i%50 == 0 {
			doc.Group = fmt.Sprintf("g-%012d", i)
		}
		v := corpus.View{Passage: corpus.Passage{ID: corpus.NewPassageID(doc.ID, 0), Doc: doc.ID, Text: text, Section: "Abstract", Page: 1}, Doc: doc}
		tag(&v)
		vs = append(vs, v)
	}
	return vs
}

// TestSearchSame checks that search results on real passages (hits in
// order with their scores, stored fields and highlighted fragments, totals
// and facets) are those recorded in testdata/same.golden.jsonl. The file was
// written by the index as it was before the write path and the stored
// fields were made leaner (issue 17), so a change of what is indexed or
// stored that changes what a user sees fails here. Each hit's text is also
// checked against the passage itself.
func TestSearchSame(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes a few thousand real passages")
	}
	vs := sameViews(t)
	ctx := context.Background()
	// Built online (Create, Add: segments merged as they come) and by
	// Rebuild (the offline builder: segment files merged at the end).
	online, err := index.Create(filepath.Join(t.TempDir(), "ix"), index.Options{BatchSize: 300})
	if err != nil {
		t.Fatal(err)
	}
	defer online.Close()
	if err := online.Add(ctx, vs); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "rebuilt")
	err = index.Rebuild(ctx, dir, index.Options{BatchSize: 300}, func(ix *index.Index) error { return ix.Add(ctx, vs) })
	if err != nil {
		t.Fatal(err)
	}
	rebuilt, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rebuilt.Close()
	for _, c := range []struct {
		name string
		ix   *index.Index
	}{{"online", online}, {"rebuilt", rebuilt}} {
		t.Run(c.name, func(t *testing.T) { checkSame(t, c.ix, vs) })
	}
}

// checkSame runs the queries of TestSearchSame on ix and compares the
// results with the golden file.
func checkSame(t *testing.T, ix *index.Index, vs []corpus.View) {
	ctx := context.Background()
	byID := map[corpus.PassageID]string{}
	for _, v := range vs {
		byID[v.Passage.ID] = v.Passage.Text
	}
	queries := []corpus.Query{
		{Text: "support"},
		{Text: "peer support", Limit: 30},
		{Text: "navigator"},
		{Text: "navigation", Limit: 25},
		{Text: "community health workers"},
		{Text: "médiateurs"},
		{Text: "mediateurs sante"},
		{Text: "pair-aidance"},
		{Text: "depression anxiety", Limit: 20},
		{Text: "training supervision"},
		{Text: `"peer support"`, Limit: 40},
		{Text: `"community health workers"`},
		{Text: `"patient navigator"`},
		{Text: `"médiateurs de santé pair"`},
		{Text: `"mental health"`, Offset: 10, Limit: 15},
		{Text: "+peer +support -group"},
		{Text: "navigat*"},
		{Text: "supervison~1"},
		{Text: "trust", Codes: []string{"relationship.trust"}},
		{Text: "support", Labels: []string{"peer worker"}},
		{Text: "support", Kinds: []corpus.Kind{corpus.KindRecord}, YearFrom: 1995, YearTo: 2005},
		{Text: "santé", Langs: []string{"fr"}},
		{Text: "health", Dims: []string{"role"}, Facets: true},
		{Text: "peer", Facets: true},
		{Text: "women", Families: []string{"community health worker"}},
		{Facets: true},
		{Langs: []string{"fr"}, Limit: 20},
		{Codes: []string{"preparation.training"}, Kinds: []corpus.Kind{corpus.KindGrey}, Facets: true},
		{Text: "hormone therapy", YearFrom: 1990, YearTo: 2001, Facets: true, Limit: 5},
	}
	type hit struct {
		ID        corpus.PassageID `json:"id"`
		Score     string           `json:"score"`
		Fragments []string         `json:"fragments,omitempty"`
		Meta      string           `json:"meta"`
	}
	type line struct {
		Query  string                     `json:"query"`
		Total  uint64                     `json:"total"`
		Hits   []hit                      `json:"hits"`
		Facets map[string][]corpus.Bucket `json:"facets,omitempty"`
	}
	var out strings.Builder
	for _, q := range queries {
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		qj, _ := json.Marshal(q)
		l := line{Query: string(qj), Total: res.Total, Facets: res.Facets}
		for _, h := range res.Hits {
			if h.Text != byID[h.Passage] {
				t.Errorf("Search(%s): hit %s text %.60q, want the passage's %.60q", qj, h.Passage, h.Text, byID[h.Passage])
			}
			meta := fmt.Sprintf("doc=%s title=%q authors=%q year=%d path=%q page=%d section=%q kind=%s lang=%s labels=%q codes=%q group=%s",
				h.Doc.Short(), h.Title, h.Authors, h.Year, filepath.Base(h.Path), h.Page, h.Section, h.Kind, h.Lang, h.Labels, h.Codes, h.Group)
			l.Hits = append(l.Hits, hit{ID: h.Passage, Score: fmt.Sprintf("%.6g", h.Score), Fragments: h.Fragments, Meta: meta})
		}
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(b)
		out.WriteByte('\n')
	}
	golden.Check(t, filepath.Join("testdata", "same.golden.jsonl"), []byte(out.String()))
}
