package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRatios(t *testing.T) {
	s := func(secs ...float64) []sample {
		var out []sample
		for _, x := range secs {
			out = append(out, sample{wall: time.Duration(x * float64(time.Second))})
		}
		return out
	}
	tests := []struct {
		name   string
		a, b   []sample
		want   []float64
		median float64
	}{
		{"paired, sorted", s(2, 6, 3), s(1, 2, 3), []float64{1, 2, 3}, 2},
		{"even count", s(1, 4), s(1, 1), []float64{1, 4}, 2.5},
		{"a zero reference is left out", s(1, 1), s(0, 2), []float64{0.5}, 0.5},
		{"unequal lengths pair the first ones", s(3), s(1, 1), []float64{3}, 3},
		{"nothing", nil, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ratios(tt.a, tt.b, wall)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ratios = %v, want %v", got, tt.want)
			}
			if m := medianOf(got); m != tt.median {
				t.Errorf("medianOf(%v) = %v, want %v", got, m, tt.median)
			}
		})
	}
}

func TestReplaceSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "perf.md")
	doc := "# P\n\n<!-- bench:table -->\nold table\n<!-- /bench:table -->\n\nafter\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := replaceSection(path, "bench:table", "new table\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# P\n\n<!-- bench:table -->\nnew table\n<!-- /bench:table -->\n\nafter\n"
	if string(got) != want {
		t.Errorf("after replaceSection:\n%s\nwant\n%s", got, want)
	}
	if err := replaceSection(path, "bench:scale", "x"); err == nil || !strings.Contains(err.Error(), "bench:scale") {
		t.Errorf("replaceSection of a missing section = %v, want an error naming it", err)
	}
}

func TestAbstractWords(t *testing.T) {
	got := abstractWords(map[string][]int{"peer": {0, 3}, "support": {1}, "helps": {2}, "gap": {6}})
	if want := []string{"peer", "support", "helps", "peer", "gap"}; !slices.Equal(got, want) {
		t.Errorf("abstractWords = %q, want %q", got, want)
	}
}

// TestPairBefore checks the rows of a whole-process row with and without a
// -before binary: the before row is measured against the same reference.
func TestPairBefore(t *testing.T) {
	s := func(secs ...float64) []sample {
		var out []sample
		for _, x := range secs {
			d := time.Duration(x * float64(time.Second))
			out = append(out, sample{wall: d, cpu: d, rss: 1 << 20})
		}
		return out
	}
	tests := []struct {
		name    string
		before  string
		ss      [][]sample
		haveRef bool
		rows    int
		wall    []float64 // of each row, medians
	}{
		{"no reference", "", [][]sample{s(1, 2)}, false, 1, []float64{0}},
		{"reference only", "", [][]sample{s(2, 4), s(1, 2)}, true, 1, []float64{2}},
		{"reference and before", "/x/peermap.old", [][]sample{s(2, 4), s(1, 2), s(3, 6)}, true, 2, []float64{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &bench{o: tableOptions{before: tt.before}}
			rs := b.pair(result{stage: "PDF ingest"}, tt.ss, tt.haveRef)
			if len(rs) != tt.rows {
				t.Fatalf("%d rows, want %d", len(rs), tt.rows)
			}
			for i, r := range rs {
				if got := medianOf(r.wall); got != tt.wall[i] {
					t.Errorf("row %d (%s): wall ratio %v, want %v", i, r.stage, got, tt.wall[i])
				}
			}
			if tt.rows == 2 {
				if rs[1].stage != "PDF ingest, before (peermap.old)" || !strings.Contains(rs[1].note, "after/before, wall **0.67**") {
					t.Errorf("before row: stage %q, note %q", rs[1].stage, rs[1].note)
				}
			}
		})
	}
}

// TestIncremental checks the incremental cell of the scale table: one
// re-run as before, several as their median and range.
func TestIncremental(t *testing.T) {
	run := func(ms ...int) []stageTime {
		var out []stageTime
		for _, m := range ms {
			d := time.Duration(m) * time.Millisecond
			out = append(out, stageTime{"stage", sample{wall: d, cpu: 2 * d}})
		}
		return out
	}
	tests := []struct {
		name  string
		r     scaleResult
		wall  time.Duration
		share string
	}{
		{"one run", scaleResult{incr: [][]stageTime{run(10, 20)}}, 30 * time.Millisecond, "3.0%"},
		{"three runs: the median", scaleResult{incr: [][]stageTime{run(50), run(10), run(20, 10)}}, 30 * time.Millisecond, "3.0% (1.0–5.0%, 3 runs)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wall, cpu, share := incremental(tt.r, time.Second)
			if wall != tt.wall || cpu != 2*tt.wall || share != tt.share {
				t.Errorf("incremental = %v, %v, %q; want %v, %v, %q", wall, cpu, share, tt.wall, 2*tt.wall, tt.share)
			}
		})
	}
}

func TestCopyDir(t *testing.T) {
	src := t.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "index", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"corpus.db": "db", "index/store/root.bolt": "root", "index/index_meta.json": "{}"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy")
	if err := copyDir(src, dst); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	if err := copyDir(src, dst); err == nil {
		t.Error("copyDir over an existing copy: no error")
	}
}
