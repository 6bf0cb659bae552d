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
		// hash64 of the k words joined by spaces, without joining them.
		h := uint64(fnvOffset)
		for j, w := range words[i : i+k] {
			if j > 0 {
				h = (h ^ ' ') * fnvPrime
			}
			for b := 0; b < len(w); b++ {
				h = (h ^ uint64(w[b])) * fnvPrime
			}
		}
		out = append(out, h)
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

// FNV-1a, 64 bits (hash/fnv's constants).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

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

// maxBucket bounds the pairs taken from one LSH bucket (see bandPairs).
const maxBucket = 256
