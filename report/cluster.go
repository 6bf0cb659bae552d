package report

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// A bitset is a set of code indexes.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) set(i int) { s[i/64] |= 1 << (i % 64) }

// A space says which codes of a bitset belong to which dimension.
type space []bitset

// gower returns the Gower dissimilarity of two code sets over the
// dimensions of sp: the mean, over the dimensions in which both sets have
// a code, of the Jaccard distance of their codes in that dimension; 1 when
// they have no dimension in common. A dimension that one profile says
// nothing about is unknown for it, not different (Gower 1971, with
// missing values); every dimension weighs the same, however many codes it
// has or a profile carries.
func (sp space) gower(a, b bitset) float64 {
	n, sum := 0, 0.0
	for _, m := range sp {
		inter, ua, ub, union := 0, 0, 0, 0
		for i := range m {
			x, y := a[i]&m[i], b[i]&m[i]
			inter += bits.OnesCount64(x & y)
			union += bits.OnesCount64(x | y)
			ua += bits.OnesCount64(x)
			ub += bits.OnesCount64(y)
		}
		if ua == 0 || ub == 0 {
			continue
		}
		n++
		sum += 1 - float64(inter)/float64(union)
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

// A point is a distinct code set and how many profiles have it.
type point struct {
	set bitset
	w   int
}

// dists is a condensed matrix of the dissimilarities of m points: the
// upper triangle, row by row.
type dists struct {
	m int
	d []float64
}

// newDists computes the dissimilarities of pts.
func newDists(pts []point, dist func(a, b bitset) float64) dists {
	m := len(pts)
	x := dists{m: m, d: make([]float64, m*(m-1)/2)}
	for i := range m {
		for j := i + 1; j < m; j++ {
			x.d[x.at(i, j)] = dist(pts[i].set, pts[j].set)
		}
	}
	return x
}

// at returns the index of the pair (i, j), i != j.
func (x dists) at(i, j int) int {
	if i > j {
		i, j = j, i
	}
	return i*(2*x.m-i-1)/2 + j - i - 1
}

// get returns the dissimilarity of points i and j (0 when i == j).
func (x dists) get(i, j int) float64 {
	if i == j {
		return 0
	}
	return x.d[x.at(i, j)]
}

// A merge joins the clusters whose smallest points are a < b at distance h.
type merge struct {
	a, b int
	h    float64
}

// upgma clusters pts by average linkage on the dissimilarity dist (UPGMA,
// each profile weighing 1, so a point weighs its multiplicity) and returns the
// m-1 merges in order of height. It uses the nearest-neighbour chain
// (Murtagh 1983; Müllner 2011), exact for average linkage, in O(m²) time
// and m(m-1)/2 distances of memory (a copy of dx). Ties go to the previous element of the
// chain, then to the lowest index, so the result depends only on the order
// of pts.
func upgma(pts []point, dx dists) []merge {
	m := len(pts)
	if m < 2 {
		return nil
	}
	d := slices.Clone(dx.d) // the working copy the merges update
	at := dx.at
	size := make([]float64, m)
	active := make([]bool, m)
	for i := range m {
		size[i], active[i] = float64(pts[i].w), true
	}
	var out []merge
	var chain []int
	for left := m; left > 1; left-- {
		if len(chain) == 0 {
			chain = append(chain, slices.Index(active, true))
		}
		var a, b int
		var h float64
		for {
			a = chain[len(chain)-1]
			b, h = -1, math.Inf(1)
			if len(chain) >= 2 {
				b = chain[len(chain)-2]
				h = d[at(a, b)]
			}
			prev := b
			for j := range m {
				if active[j] && j != a {
					if x := d[at(a, j)]; x < h {
						b, h = j, x
					}
				}
			}
			if b == prev {
				chain = chain[:len(chain)-2]
				break
			}
			chain = append(chain, b)
		}
		lo, hi := min(a, b), max(a, b)
		out = append(out, merge{lo, hi, h})
		for k := range m {
			if active[k] && k != a && k != b {
				d[at(lo, k)] = (size[a]*d[at(a, k)] + size[b]*d[at(b, k)]) / (size[a] + size[b])
			}
		}
		size[lo] += size[hi]
		active[hi] = false
	}
	slices.SortStableFunc(out, func(x, y merge) int { return cmp.Compare(x.h, y.h) })
	return out
}

// cut returns, for every point, its cluster (0..k-1) after the first
// m-k merges; clusters are numbered by their smallest point.
func cut(m int, merges []merge, k int) []int {
	parent := make([]int, m)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, mg := range merges[:max(0, min(len(merges), m-k))] {
		ra, rb := find(mg.a), find(mg.b)
		parent[max(ra, rb)] = min(ra, rb)
	}
	ids := map[int]int{}
	out := make([]int, m)
	for i := range m {
		r := find(i)
		if _, ok := ids[r]; !ok {
			ids[r] = len(ids)
		}
		out[i] = ids[r]
	}
	return out
}

// silhouette returns the mean silhouette (Rousseeuw 1987) of the clustering
// labels of pts, over profiles: a point of weight w counts w times, its
// copies being at distance 0 from each other. A profile alone in its
// cluster scores 0.
func silhouette(pts []point, labels []int, k int, dx dists) float64 {
	wk := make([]float64, k)
	total := 0.0
	for i, p := range pts {
		wk[labels[i]] += float64(p.w)
		total += float64(p.w)
	}
	if total == 0 {
		return 0
	}
	sum := make([]float64, k)
	score := 0.0
	for i, p := range pts {
		clear(sum)
		for j, q := range pts {
			if j != i {
				sum[labels[j]] += float64(q.w) * dx.get(i, j)
			}
		}
		own := labels[i]
		if wk[own] <= 1 {
			continue
		}
		a := sum[own] / (wk[own] - 1)
		b := math.Inf(1)
		for c := range k {
			if c != own && wk[c] > 0 {
				b = min(b, sum[c]/wk[c])
			}
		}
		if math.IsInf(b, 1) || max(a, b) == 0 {
			continue
		}
		score += float64(p.w) * (b - a) / max(a, b)
	}
	return score / total
}

// bestCut returns the clustering of pts with the highest mean silhouette
// over 2..maxK clusters (ties to fewer clusters), and the scores tried. It
// returns one cluster when there are fewer than two distinct points or no
// cut scores above 0 (no point is closer to its own cluster than to the
// next one, on average: there is no structure to show).
func bestCut(pts []point, maxK int, dist func(a, b bitset) float64) (labels []int, k int, score float64, tried []KScore) {
	m := len(pts)
	dx := newDists(pts, dist)
	merges := upgma(pts, dx)
	k = 1
	for c := 2; c <= min(maxK, m); c++ {
		l := cut(m, merges, c)
		s := round3(silhouette(pts, l, c, dx))
		tried = append(tried, KScore{K: c, Silhouette: s})
		if s > score {
			labels, k, score = l, c, s
		}
	}
	if k == 1 {
		return make([]int, m), 1, 0, tried
	}
	return labels, k, score, tried
}
