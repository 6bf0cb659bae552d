package report_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/democorpus/plant"
	"github.com/peermap/peermap/report"
)

// TestPlanted is the known-answer test of the Findings: on a generated
// corpus with planted structure (one family split across two
// configurations, one configuration under three families, distractors
// that must not count), every planted family ↔ configuration link is
// found and no other one (precision and recall 1.0), for several seeds.
func TestPlanted(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		c := plant.Generate(seed)
		in := report.Input{Vocab: c.Vocab, Docs: c.Docs, Views: c.Views, Annotator: plant.Annotator}
		r := build(t, in, report.Options{})

		// Which planted configuration each found configuration is: all its
		// profiles must come from one.
		planted := map[string]string{}
		for _, cfg := range r.Configurations {
			from := map[string]int{}
			for _, cu := range cfg.Units {
				for _, w := range cu.Works {
					from[c.Truth.Profiles[plant.Profile{Work: w.Work, Family: cu.Unit}]]++
				}
			}
			if len(from) != 1 {
				t.Errorf("seed %d: configuration %s (%s) mixes planted configurations %v", seed, cfg.ID, cfg.Summary, from)
			}
			for p := range from {
				planted[cfg.ID] = p
			}
		}

		got := map[[2]string]bool{}
		var empty []string
		for _, f := range r.Findings {
			if f.Kind != report.FindingUnit {
				continue
			}
			if len(f.Configs) == 0 {
				empty = append(empty, f.Subject)
			}
			for _, id := range f.Configs {
				got[[2]string{f.Subject, planted[id]}] = true
				if !strings.Contains(f.Text, "("+id+")") {
					t.Errorf("seed %d: finding on %s names configuration %s but its text does not: %s", seed, f.Subject, id, f.Text)
				}
			}
		}
		want := map[[2]string]bool{}
		for fam, cfgs := range c.Truth.Links {
			for _, cfg := range cfgs {
				want[[2]string{fam, cfg}] = true
			}
		}
		tp := 0
		for l := range got {
			if want[l] {
				tp++
			} else {
				t.Errorf("seed %d: spurious link %s ↔ %s", seed, l[0], l[1])
			}
		}
		for l := range want {
			if !got[l] {
				t.Errorf("seed %d: planted link %s ↔ %s not found", seed, l[0], l[1])
			}
		}
		precision, recall := float64(tp)/float64(max(1, len(got))), float64(tp)/float64(len(want))
		t.Logf("seed %d: %d configurations (silhouette %.2f), %d links found, %d planted: precision %.2f, recall %.2f",
			seed, len(r.Configurations), r.Method.Clustering.Silhouette, len(got), len(want), precision, recall)
		if sort.Strings(empty); !slices.Equal(empty, c.Truth.Empty) {
			t.Errorf("seed %d: families with no configuration = %v, want %v", seed, empty, c.Truth.Empty)
		}

		// Every distractor kind was there to be refused.
		l := r.Method.Links
		if l.Scope == 0 || l.Geometry == 0 || l.Confidence == 0 || l.Overridden == 0 || l.Anaphora == 0 || l.Record == 0 {
			t.Errorf("seed %d: the corpus lacks a kind of link or distractor: %+v", seed, l)
		}
		checkHolds(t, r, in)
		byID := map[corpus.PassageID]corpus.Passage{}
		for _, v := range in.Views {
			byID[v.Passage.ID] = v.Passage
		}
		checkQuotes(t, r, byID)
	}
}
