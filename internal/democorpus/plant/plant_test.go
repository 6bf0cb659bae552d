package plant_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/democorpus/plant"
)

// TestSpans checks that every annotation points at the words it stands
// for: a label span holds the label (or its plural), a code span the
// code's cue, and passages are their document's text.
func TestSpans(t *testing.T) {
	c := plant.Generate(1)
	if len(c.Docs) == 0 || len(c.Views) == 0 {
		t.Fatal("empty corpus")
	}
	for _, v := range c.Views {
		for _, a := range v.Annotations {
			for _, sp := range a.Spans {
				if sp.Start < 0 || sp.End > len(v.Passage.Text) || sp.Start >= sp.End {
					t.Fatalf("%s: span %v outside %q", v.Passage.ID, sp, v.Passage.Text)
				}
				got := strings.ToLower(v.Passage.Text[sp.Start:sp.End])
				if a.Type == corpus.AnnLabel && !strings.HasPrefix(got, a.Label) {
					t.Errorf("%s: label %q at %q", v.Passage.ID, a.Label, got)
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := plant.Generate(7), plant.Generate(7)
	if !reflect.DeepEqual(a, b) {
		t.Error("two corpora of seed 7 differ")
	}
	if reflect.DeepEqual(a.Views, plant.Generate(8).Views) {
		t.Error("seeds 7 and 8 give the same corpus")
	}
}

// TestTruth checks the planted structure the package promises: one family
// in two configurations, one configuration under three families.
func TestTruth(t *testing.T) {
	tr := plant.Generate(1).Truth
	split, shared := 0, map[string]int{}
	for _, cs := range tr.Links {
		if len(cs) >= 2 {
			split++
		}
		for _, c := range cs {
			shared[c]++
		}
	}
	if split < 1 {
		t.Error("no family planted in two configurations")
	}
	three := false
	for _, n := range shared {
		three = three || n >= 3
	}
	if !three {
		t.Errorf("no configuration under three families: %v", shared)
	}
	if len(tr.Profiles) < 25 {
		t.Errorf("%d planted profiles", len(tr.Profiles))
	}
}
