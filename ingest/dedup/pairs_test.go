package dedup_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/ingest/dedup"
)

// oldBandPairs is bandPairs as it was before it sorted keys alone: each
// band's (key, sketch) pairs sorted, buckets read off the runs.
func oldBandPairs(n, bands int, keys func(i int) []uint64) [][2]int {
	type kv struct {
		key uint64
		i   int32
	}
	seen := map[[2]int]bool{}
	var out [][2]int
	col := make([]kv, 0, n)
	for b := range bands {
		col = col[:0]
		for i := range n {
			if ks := keys(i); ks != nil {
				col = append(col, kv{ks[b], int32(i)})
			}
		}
		slices.SortFunc(col, func(x, y kv) int {
			if x.key != y.key {
				if x.key < y.key {
					return -1
				}
				return 1
			}
			return int(x.i - y.i)
		})
		for start := 0; start < len(col); {
			end := start + 1
			for end < len(col) && col[end].key == col[start].key {
				end++
			}
			m := col[start:end]
			for a := 0; a < len(m) && a < dedup.MaxBucket; a++ {
				for c := a + 1; c < len(m); c++ {
					p := [2]int{int(m[a].i), int(m[c].i)}
					if !seen[p] {
						seen[p] = true
						out = append(out, p)
					}
				}
			}
			start = end
		}
	}
	slices.SortFunc(out, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return out
}

// TestBandPairs compares bandPairs with the code before it on random
// band keys drawn from alphabets of several sizes: from every key shared
// by hundreds of sketches (buckets over MaxBucket) to almost none shared;
// some sketches have no keys.
func TestBandPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, tc := range []struct{ n, bands, alphabet int }{
		{0, 5, 10}, {1, 5, 10}, {50, 4, 3}, {700, 3, 2}, {2000, 20, 1 << 20}, {3000, 25, 5000}, {600, 2, 1},
	} {
		ks := make([][]uint64, tc.n)
		for i := range ks {
			if r.IntN(10) == 0 {
				continue
			}
			ks[i] = make([]uint64, tc.bands)
			for b := range ks[i] {
				ks[i][b] = uint64(r.IntN(tc.alphabet)) * 0x9e3779b97f4a7c15
			}
		}
		keys := func(i int) []uint64 { return ks[i] }
		got, want := dedup.BandPairs(tc.n, tc.bands, keys), oldBandPairs(tc.n, tc.bands, keys)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("n %d, bands %d, alphabet %d: (-old +new)\n%s", tc.n, tc.bands, tc.alphabet, diff)
		}
		t.Logf("n %d, bands %d, alphabet %d: %d pairs", tc.n, tc.bands, tc.alphabet, len(got))
	}
}
