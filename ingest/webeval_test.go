package ingest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/peermap/peermap/internal/golden"
)

var webevalOut = flag.String("webeval.out", "", "write each webeval page's misses (missed and kept segments) to this file")

// evalPage is one page of the web main-text benchmark: segments the main
// text must contain (With) and must not contain (Without).
type evalPage struct {
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// evalScore counts segments: kept "with" (tp), missed "with" (fn), kept
// "without" (fp), dropped "without" (tn).
type evalScore struct{ tp, fn, fp, tn int }

func (s *evalScore) add(o evalScore) { s.tp += o.tp; s.fn += o.fn; s.fp += o.fp; s.tn += o.tn }

func (s evalScore) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s evalScore) recall() float64    { return ratio(s.tp, s.tp+s.fn) }
func (s evalScore) f1() float64        { return ratio(2*s.tp, 2*s.tp+s.fp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// spaceNorm folds runs of white space to one space and trims, as
// trafilatura's evaluation does before looking segments up.
func spaceNorm(s string) string { return strings.Join(strings.Fields(s), " ") }

// scorePage scores extracted text against a page's segments; missed and
// kept list the "with" segments not found and the "without" ones found.
func scorePage(text string, p evalPage) (s evalScore, missed, kept []string) {
	text = spaceNorm(text)
	for _, w := range p.With {
		if strings.Contains(text, spaceNorm(w)) {
			s.tp++
		} else {
			s.fn++
			missed = append(missed, w)
		}
	}
	for _, w := range p.Without {
		if strings.Contains(text, spaceNorm(w)) {
			s.fp++
			kept = append(kept, w)
		} else {
			s.tn++
		}
	}
	return s, missed, kept
}

func TestScorePage(t *testing.T) {
	p := evalPage{With: []string{"main  text", "missing"}, Without: []string{"Share", "Footer"}}
	tests := []struct {
		name, text string
		want       evalScore
	}{
		{"empty", "", evalScore{fn: 2, tn: 2}},
		{"white space folded", "the main\n\ntext here", evalScore{tp: 1, fn: 1, tn: 2}},
		{"boilerplate kept", "main text missing Share", evalScore{tp: 2, fp: 1, tn: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _, _ := scorePage(tt.text, p); got != tt.want {
				t.Errorf("scorePage(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
	s := evalScore{tp: 8, fp: 2, fn: 2}
	if s.precision() != 0.8 || s.recall() != 0.8 || s.f1() != 0.8 {
		t.Errorf("P, R, F1 of %+v = %v, %v, %v", s, s.precision(), s.recall(), s.f1())
	}
}

// webevalRecord is the last recorded benchmark result
// (testdata/webeval.json, rewritten with -update).
type webevalRecord struct {
	Note      string  `json:"note"`
	Pages     int     `json:"pages"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	EvenF1    float64 `json:"even_f1"`
	OddF1     float64 `json:"odd_f1"`
}

// TestWebEval runs HTML extraction over the web main-text benchmark in
// ../shared/corpus/webeval (see its SOURCES.md), prints precision, recall
// and F1 on all pages and on the even and odd halves (by file number), and
// fails if F1 falls below the value recorded in testdata/webeval.json.
// make webeval runs it; -update records the new figures.
func TestWebEval(t *testing.T) {
	if testing.Short() {
		t.Skip("webeval extracts 465 pages; skipped with -short")
	}
	dir := sharedCorpus(t, "webeval")
	raw, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages map[string]evalPage
	if err := json.Unmarshal(raw, &pages); err != nil {
		t.Fatalf("evaldata.json: %v", err)
	}
	var all, even, odd evalScore
	var misses strings.Builder
	for _, url := range slices.Sorted(maps.Keys(pages)) {
		p := pages[url]
		doc, _, err := File(context.Background(), filepath.Join(dir, "pages", p.File), Options{Now: fixedNow})
		text := ""
		if err != nil {
			t.Errorf("%s: %v", p.File, err) // scored as all missed
		} else {
			text = doc.Text
		}
		s, missed, kept := scorePage(text, p)
		all.add(s)
		n, _ := strconv.Atoi(strings.TrimSuffix(p.File, ".html"))
		if n%2 == 0 {
			even.add(s)
		} else {
			odd.add(s)
		}
		if len(missed)+len(kept) > 0 {
			fmt.Fprintf(&misses, "== %s %s (%s)\n", p.File, url, doc.Extractor)
			for _, m := range missed {
				fmt.Fprintf(&misses, "  missed %q\n", m)
			}
			for _, k := range kept {
				fmt.Fprintf(&misses, "  kept   %q\n", k)
			}
		}
	}
	for _, h := range []struct {
		name string
		s    evalScore
	}{{"all", all}, {"even", even}, {"odd", odd}} {
		t.Logf("webeval %-4s P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d tn %d)",
			h.name, h.s.precision(), h.s.recall(), h.s.f1(), h.s.tp, h.s.fp, h.s.fn, h.s.tn)
	}
	if *webevalOut != "" {
		if err := os.WriteFile(*webevalOut, []byte(misses.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := webevalRecord{
		Note:      "written by go test ./ingest -run TestWebEval -update; the test fails if F1 falls below f1",
		Pages:     len(pages),
		Precision: round3(all.precision()), Recall: round3(all.recall()), F1: round3(all.f1()),
		EvenF1: round3(even.f1()), OddF1: round3(odd.f1()),
	}
	path := filepath.Join("testdata", "webeval.json")
	if golden.Updating() {
		out, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err = os.ReadFile(path)
	if err != nil {
		t.Fatalf("read recorded score: %v (run with -update to record one)", err)
	}
	var want webevalRecord
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if got.F1 < want.F1 {
		t.Errorf("webeval F1 %.3f fell below the recorded %.3f (P %.3f R %.3f)", got.F1, want.F1, got.Precision, got.Recall)
	}
	if got.Pages != want.Pages {
		t.Errorf("webeval has %d pages, the record was made on %d", got.Pages, want.Pages)
	}
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
