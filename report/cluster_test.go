package report

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// jaccard returns the Jaccard distance (the plain dissimilarity the
// clustering tests use) 1 - |a∩b|/|a∪b| of two sets of the
// same length; two empty sets are at distance 0.
func jaccard(a, b bitset) float64 {
	inter, union := 0, 0
	for i := range a {
		inter += bits.OnesCount64(a[i] & b[i])
		union += bits.OnesCount64(a[i] | b[i])
	}
	if union == 0 {
		return 0
	}
	return 1 - float64(inter)/float64(union)
}

// set makes a bitset over n codes holding the codes given.
func set(n int, codes ...int) bitset {
	s := newBitset(n)
	for _, c := range codes {
		s.set(c)
	}
	return s
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b []int
		want float64
	}{
		{nil, nil, 0},
		{[]int{1}, []int{1}, 0},
		{[]int{1}, []int{2}, 1},
		{[]int{1, 2}, []int{2, 3}, 1 - 1.0/3},
		{[]int{0, 70}, []int{70}, 0.5}, // across words of the bitset
	}
	for _, tt := range tests {
		if got := jaccard(set(80, tt.a...), set(80, tt.b...)); !near(got, tt.want) {
			t.Errorf("jaccard(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestUPGMA checks merges computed by hand, weights included: A = {1}
// twice, B = {1, 2}, C = {3}. d(A, B) = 1/2 joins first; then C is at 1 from
// both, and the weighted mean (2·1 + 1·1)/3 is 1.
func TestUPGMA(t *testing.T) {
	pts := []point{{set(4, 1), 2}, {set(4, 1, 2), 1}, {set(4, 3), 1}}
	got := upgma(pts, newDists(pts, jaccard))
	want := []merge{{0, 1, 0.5}, {0, 2, 1}}
	if len(got) != len(want) {
		t.Fatalf("upgma = %v, want %v", got, want)
	}
	for i := range want {
		if got[i].a != want[i].a || got[i].b != want[i].b || !near(got[i].h, want[i].h) {
			t.Errorf("merge %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// Weights change heights: with {1, 2} weighing 3, the cluster of A and
	// B is at (2·d(A,D) + 3·d(B,D))/5 from D = {2}: (2·1 + 3·0.5)/5 = 0.7.
	pts = []point{{set(4, 1), 2}, {set(4, 1, 2), 3}, {set(4, 2), 1}}
	got = upgma(pts, newDists(pts, jaccard))
	if !near(got[0].h, 0.5) || !near(got[1].h, 0.7) {
		t.Errorf("weighted heights = %v, want 0.5 then 0.7", got)
	}
}

// naiveUPGMA is the textbook O(m³) average linkage, for comparison: it
// merges the closest pair of clusters, recomputing the mean distance over
// all their members, and reports ties.
func naiveUPGMA(pts []point) (heights []float64, parts [][]int, tie bool) {
	type cluster struct{ members []int }
	var cs []cluster
	for i := range pts {
		cs = append(cs, cluster{[]int{i}})
	}
	avg := func(x, y cluster) float64 {
		sum, w := 0.0, 0.0
		for _, i := range x.members {
			for _, j := range y.members {
				ww := float64(pts[i].w * pts[j].w)
				sum += ww * jaccard(pts[i].set, pts[j].set)
				w += ww
			}
		}
		return sum / w
	}
	label := func() []int {
		out := make([]int, len(pts))
		for c, x := range cs {
			for _, i := range x.members {
				out[i] = c
			}
		}
		return canon(out)
	}
	for len(cs) > 1 {
		bi, bj, bh := -1, -1, math.Inf(1)
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				h := avg(cs[i], cs[j])
				if math.Abs(h-bh) < 1e-12 {
					tie = true
				}
				if h < bh-1e-12 {
					bi, bj, bh = i, j, h
				}
			}
		}
		heights = append(heights, bh)
		cs[bi].members = append(cs[bi].members, cs[bj].members...)
		cs = slices.Delete(cs, bj, bj+1)
		parts = append(parts, label())
	}
	return heights, parts, tie
}

// canon renumbers cluster labels by first appearance.
func canon(l []int) []int {
	ids := map[int]int{}
	out := make([]int, len(l))
	for i, x := range l {
		if _, ok := ids[x]; !ok {
			ids[x] = len(ids)
		}
		out[i] = ids[x]
	}
	return out
}

// TestUPGMAMatchesNaive compares the nearest-neighbour chain with the
// textbook algorithm on random weighted sets without ties: same heights,
// same partition at every cut.
func TestUPGMAMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	compared := 0
	for trial := range 200 {
		m := 3 + rng.IntN(12)
		pts := make([]point, m)
		for i := range pts {
			s := newBitset(60)
			for range 3 + rng.IntN(12) {
				s.set(rng.IntN(60))
			}
			pts[i] = point{s, 1 + rng.IntN(4)}
		}
		heights, parts, tie := naiveUPGMA(pts)
		if tie {
			continue
		}
		compared++
		got := upgma(pts, newDists(pts, jaccard))
		for i, mg := range got {
			if !near(mg.h, heights[i]) {
				t.Fatalf("trial %d: merge %d at %v, naive %v", trial, i, mg.h, heights[i])
			}
			k := m - i - 1
			if l := cut(m, got, k); !slices.Equal(canon(l), parts[i]) {
				t.Fatalf("trial %d: cut into %d = %v, naive %v", trial, k, canon(l), parts[i])
			}
		}
	}
	if compared < 100 {
		t.Errorf("only %d of 200 random trials were free of ties", compared)
	}
}

// TestSilhouette checks a value computed by hand and the special cases.
func TestSilhouette(t *testing.T) {
	// Two pairs: {1},{1,2} and {3},{3,4}. Within a pair d = 1/2, across 1:
	// every point has a = 1/2, b = 1, s = 1/2.
	pts := []point{{set(5, 1), 1}, {set(5, 1, 2), 1}, {set(5, 3), 1}, {set(5, 3, 4), 1}}
	if got := silhouette(pts, []int{0, 0, 1, 1}, 2, newDists(pts, jaccard)); !near(got, 0.5) {
		t.Errorf("two pairs: silhouette = %v, want 0.5", got)
	}
	// Copies of one set are at distance 0: a point of weight 3 in its own
	// cluster has a = 0 and s = 1; a singleton scores 0.
	pts = []point{{set(5, 1), 3}, {set(5, 2), 1}}
	if got := silhouette(pts, []int{0, 1}, 2, newDists(pts, jaccard)); !near(got, 0.75) {
		t.Errorf("copies: silhouette = %v, want 3/4", got)
	}
}

func TestBestCut(t *testing.T) {
	tests := []struct {
		name  string
		pts   []point
		wantK int
	}{
		{"one point", []point{{set(4, 1), 5}}, 1},
		{"two tight groups", []point{{set(6, 0, 1), 1}, {set(6, 0, 1, 2), 1}, {set(6, 0, 2), 1}, {set(6, 3, 4), 1}, {set(6, 3, 4, 5), 1}, {set(6, 4, 5), 1}}, 2},
		{"three groups", []point{
			{set(9, 0, 1, 2), 2}, {set(9, 0, 1), 1},
			{set(9, 3, 4, 5), 2}, {set(9, 4, 5), 1},
			{set(9, 6, 7, 8), 2}, {set(9, 6, 7), 1}}, 3},
		{"no structure: every pair at the same distance", []point{{set(3, 0), 1}, {set(3, 1), 1}, {set(3, 2), 1}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels, k, score, tried := bestCut(tt.pts, 12, jaccard)
			if k != tt.wantK {
				t.Errorf("k = %d (silhouette %v, tried %v), want %d", k, score, tried, tt.wantK)
			}
			if len(labels) != len(tt.pts) {
				t.Errorf("%d labels for %d points", len(labels), len(tt.pts))
			}
		})
	}
}

// TestGower checks the dissimilarity over dimensions: codes 0-2 are one
// dimension, 3-5 another, 6-7 a third.
func TestGower(t *testing.T) {
	sp := space{set(8, 0, 1, 2), set(8, 3, 4, 5), set(8, 6, 7)}
	tests := []struct {
		name string
		a, b []int
		want float64
	}{
		{"same", []int{0, 3}, []int{0, 3}, 0},
		{"one dimension differs, one agrees", []int{0, 3}, []int{1, 3}, 0.5},
		{"a dimension said by one only is left out", []int{0, 3, 6}, []int{0, 3}, 0},
		{"no dimension in common", []int{0}, []int{3}, 1},
		{"Jaccard inside a dimension", []int{0, 1, 3}, []int{1, 2, 3}, (1 - 1.0/3) / 2},
		{"many codes in one dimension weigh as one", []int{0, 1, 2, 6}, []int{0, 1, 2, 7}, 0.5},
	}
	for _, tt := range tests {
		if got := sp.gower(set(8, tt.a...), set(8, tt.b...)); !near(got, tt.want) {
			t.Errorf("%s: gower(%v, %v) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
		if back := sp.gower(set(8, tt.b...), set(8, tt.a...)); !near(back, sp.gower(set(8, tt.a...), set(8, tt.b...))) {
			t.Errorf("%s: not symmetric", tt.name)
		}
	}
}

func TestConfigID(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA"} {
		if got := configID(i); got != want {
			t.Errorf("configID(%d) = %q, want %q", i, got, want)
		}
	}
}
