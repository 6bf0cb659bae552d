package dedup

import (
	"slices"
	"strings"

	"github.com/peermap/peermap/internal/text"
)

// wordShingles returns the sorted, distinct hashes of the k-word shingles of
// the normalised text s.
func wordShingles(s string, k int) []uint64 {
	words := strings.Fields(text.Key(s))
	if len(words) < k {
		return nil
	}
	out := make([]uint64, 0, len(words)-k+1)
	for i := 0; i+k <= len(words); i++ {
		out = append(out, hash64(strings.Join(words[i:i+k], " ")))
	}
	return uniq(out)
}

// charShingles returns the sorted, distinct hashes of the k-rune shingles of s.
func charShingles(s string, k int) []uint64 {
	r := []rune(s)
	if len(r) < k {
		return nil
	}
	out := make([]uint64, 0, len(r)-k+1)
	for i := 0; i+k <= len(r); i++ {
		out = append(out, hash64(string(r[i:i+k])))
	}
	return uniq(out)
}

func uniq(s []uint64) []uint64 {
	slices.Sort(s)
	return slices.Compact(s)
}

// jaccard returns |a ∩ b| / |a ∪ b| of two sorted sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// splitmix64 is the SplitMix64 step: a fixed, well-mixed sequence for seeds
// and a good 64-bit mixer.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// signature returns the MinHash signature of set with n hash functions
// h_i(x) = splitmix64(x ^ seed_i), seeds fixed.
func signature(set []uint64, seeds []uint64) []uint64 {
	sig := make([]uint64, len(seeds))
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, x := range set {
		for i, s := range seeds {
			if h := splitmix64(x ^ s); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

// maxBucket bounds the pairs taken from one LSH bucket (see candidates).
const maxBucket = 256

// candidates returns the pairs (i < j, sorted) of non-empty sets that share
// at least one LSH band of their MinHash signatures (bands × rows hash
// functions). Two sets of Jaccard similarity s become candidates with
// probability 1 - (1 - s^rows)^bands.
func candidates(sets [][]uint64, bands, rows int) [][2]int {
	seeds := make([]uint64, bands*rows)
	x := uint64(0x5eed)
	for i := range seeds {
		x = splitmix64(x)
		seeds[i] = x
	}
	buckets := map[uint64][]int{}
	for i, set := range sets {
		if len(set) == 0 {
			continue
		}
		sig := signature(set, seeds)
		for b := range bands {
			h := uint64(b) * 0x9e3779b97f4a7c15
			for r := range rows {
				h = splitmix64(h ^ sig[b*rows+r])
			}
			buckets[h] = append(buckets[h], i)
		}
	}
	seen := map[[2]int]bool{}
	var out [][2]int
	for _, m := range buckets {
		// A huge bucket (thousands of texts with one band alike) would give
		// millions of pairs: there, each member is paired with the first
		// maxBucket members only.
		for a := 0; a < len(m) && a < maxBucket; a++ {
			for b := a + 1; b < len(m); b++ {
				p := [2]int{m[a], m[b]}
				if p[0] > p[1] {
					p[0], p[1] = p[1], p[0]
				}
				if p[0] != p[1] && !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
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
