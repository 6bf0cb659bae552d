package index_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
)

// peerText is the shared folder of plain-text sources, relative to this
// package's directory.
var peerText = filepath.Join("..", "..", "shared", "corpus", "peer", "text")

// realViews reads every .md and .txt file under peerText, splits it into
// blank-line separated paragraphs and returns them as views. Files named
// fr_* are French, the others English. label, if non-nil, gives labels to
// a paragraph.
func realViews(t testing.TB, label func(file, para string) []string) []corpus.View {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(peerText, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []corpus.View
	for _, f := range files {
		if ext := filepath.Ext(f); ext != ".md" && ext != ".txt" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(f)
		doc := &corpus.Document{ID: corpus.NewDocID(raw), Path: f, Format: "text", Kind: corpus.KindGrey, Lang: "en", Title: base}
		if strings.HasPrefix(base, "fr_") {
			doc.Lang = "fr"
		}
		n := 0
		for _, para := range strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n\n") {
			para = strings.TrimSpace(para)
			if para == "" {
				continue
			}
			v := corpus.View{
				Passage: corpus.Passage{ID: corpus.NewPassageID(doc.ID, n), Doc: doc.ID, N: n, Text: para},
				Doc:     doc,
			}
			if label != nil {
				for _, l := range label(base, para) {
					v.Annotations = append(v.Annotations, corpus.Annotation{Type: corpus.AnnLabel, Label: l, Family: l})
				}
			}
			vs = append(vs, v)
			n++
		}
	}
	if len(vs) == 0 {
		t.Skipf("no text files under %s; the shared corpus is not here", peerText)
	}
	return vs
}

// TestRealText indexes the paragraphs of the shared plain-text sources and
// checks phrase search, the lang filter and a label filter against what a
// plain scan of the same paragraphs says.
func TestRealText(t *testing.T) {
	if _, err := os.Stat(peerText); err != nil {
		t.Skipf("shared corpus not found: %v", err)
	}
	peerWorker := regexp.MustCompile(`(?i)\bpeer[\s-]+workers?\b`)
	vs := realViews(t, func(_, para string) []string {
		if peerWorker.MatchString(para) {
			return []string{"peer worker"}
		}
		return nil
	})
	ix := newIndex(t, vs)
	ctx := context.Background()
	search := func(q corpus.Query) []corpus.Hit {
		t.Helper()
		q.Limit = len(vs)
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%v): %v", q, err)
		}
		if int(res.Total) != len(res.Hits) {
			t.Fatalf("Search(%v): total %d, %d hits", q, res.Total, len(res.Hits))
		}
		return res.Hits
	}
	set := func(keep func(corpus.View) bool) []corpus.PassageID {
		var out []corpus.PassageID
		for _, v := range vs {
			if keep(v) {
				out = append(out, v.Passage.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	hitIDs := func(hs []corpus.Hit) []corpus.PassageID {
		var out []corpus.PassageID
		for _, h := range hs {
			out = append(out, h.Passage)
		}
		slices.Sort(out)
		return out
	}

	t.Run("phrase", func(t *testing.T) {
		// "patient navigator" stems to "patient navig", which also covers
		// "Patient Navigation" and "patient navigators".
		re := regexp.MustCompile(`(?i)\bpatients?[\s-]+navigat`)
		want := set(func(v corpus.View) bool { return re.MatchString(v.Passage.Text) })
		hits := search(corpus.Query{Text: `"patient navigator"`})
		if got := hitIDs(hits); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("Search(\"patient navigator\") = %d passages, want the %d that say it:\ngot  %q\nwant %q", len(got), len(want), got, want)
		}
		tampa := false
		for _, h := range hits {
			tampa = tampa || strings.Contains(h.Path, "patient-navigator-tampa")
			if len(h.Fragments) == 0 || !strings.Contains(strings.Join(h.Fragments, " "), "<mark>") {
				t.Errorf("hit %s has no highlighted fragment: %q", h.Passage, h.Fragments)
			}
		}
		if !tampa {
			t.Errorf("Search(\"patient navigator\") found nothing in the Tampa patient navigator study")
		}
	})

	t.Run("lang fr", func(t *testing.T) {
		want := set(func(v corpus.View) bool { return v.Doc.Lang == "fr" })
		if got := hitIDs(search(corpus.Query{Langs: []string{"fr"}})); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("Search(lang:fr) = %d passages, want the %d French ones", len(got), len(want))
		}
		// A French phrase, written without accents, finds the bill on
		// "médiateurs de santé-pair" and nothing English.
		hits := search(corpus.Query{Text: `"mediateurs de sante pair"`})
		if len(hits) == 0 {
			t.Fatal(`Search("mediateurs de sante pair") found nothing`)
		}
		for _, h := range hits {
			if h.Lang != "fr" || !strings.Contains(h.Path, "mediateur-sante-pair") {
				t.Errorf(`Search("mediateurs de sante pair") hit %s in %s (lang %q)`, h.Passage, h.Path, h.Lang)
			}
		}
		// French stemming: "pair-aidance" in the plural still matches.
		if len(search(corpus.Query{Text: "pair-aidances", Langs: []string{"fr"}})) == 0 {
			t.Error("Search(pair-aidances lang:fr) found nothing")
		}
	})

	t.Run("label filter", func(t *testing.T) {
		want := set(func(v corpus.View) bool { return len(v.Labels()) > 0 })
		got := hitIDs(search(corpus.Query{Labels: []string{"peer worker"}}))
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("Search(label:\"peer worker\") = %d passages, want the %d labelled ones", len(got), len(want))
		}
		// The label narrows a text search.
		all := search(corpus.Query{Text: "support"})
		some := search(corpus.Query{Text: "support", Labels: []string{"peer worker"}})
		if len(some) == 0 || len(some) >= len(all) {
			t.Errorf("Search(support) = %d hits, with label:\"peer worker\" %d; want fewer but some", len(all), len(some))
		}
		for _, h := range some {
			if !slices.Contains(h.Labels, "peer worker") {
				t.Errorf("hit %s labels %q, want peer worker", h.Passage, h.Labels)
			}
		}
	})
}
