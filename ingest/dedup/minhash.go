package dedup

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/text"
)

// wordShingles returns the sorted, distinct hashes of the k-word shingles of
// the normalised text s.
func wordShingles(s string, k int) []uint64 {
	return uniq(shingles(keyWords(s), k))
}

// keyWords returns the words of text.Key(s), without making the key of
// the whole text: text.Key normalises, folds and splits all of it, which
// for a long text costs more than its MinHash. An ASCII byte that is not a
// letter or digit, followed by an ASCII byte or by the end of s, ends a
// word of the key, and the normalisation forms do not reach across it (an
// ASCII rune composes with no neighbour and is not reordered), so the key
// of s is the keys of the parts between such bytes, joined (for valid
// UTF-8: a text with invalid bytes is one part). A part of
// ASCII bytes only is one word (or none), folded by lowering its letters;
// the others go through text.Key. TestKeyWords compares the two on real
// texts; FuzzKeyWords on any.
func keyWords(s string) [][]byte {
	arena := make([]byte, 0, len(s))
	var ends []int
	start, ascii := 0, true
	part := func(end int) {
		p := s[start:end]
		switch {
		case len(p) == 0:
		case ascii:
			for i := 0; i < len(p); i++ {
				c := p[i]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				arena = append(arena, c)
			}
			ends = append(ends, len(arena))
		default:
			for w := range strings.FieldsSeq(text.Key(p)) {
				arena = append(arena, w...)
				ends = append(ends, len(arena))
			}
		}
	}
	n := len(s)
	if !utf8.ValidString(s) {
		// How normalisation treats an invalid byte depends on what
		// follows it, beyond a separator: the whole text is one part.
		n, ascii = 0, false
	}
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i+1 < len(s) && s[i+1] >= utf8.RuneSelf:
			ascii = false // the part goes on: what follows may combine
		default:
			part(i)
			start, ascii = i+1, true
		}
	}
	part(len(s))
	words := make([][]byte, len(ends))
	prev := 0
	for i, e := range ends {
		words[i] = arena[prev:e:e]
		prev = e
	}
	return words
}

// shingles returns the hashes of the k-word shingles of words, in order,
// repeated ones included: hash64 of the k words joined by spaces, without
// joining them.
func shingles(words [][]byte, k int) []uint64 {
	if len(words) < k {
		return nil
	}
	out := make([]uint64, 0, len(words)-k+1)
	for i := 0; i+k <= len(words); i++ {
		h := uint64(fnvOffset)
		for j, w := range words[i : i+k] {
			if j > 0 {
				h = (h ^ ' ') * fnvPrime
			}
			for _, b := range w {
				h = (h ^ uint64(b)) * fnvPrime
			}
		}
		out = append(out, h)
	}
	return out
}

// distinct returns the distinct values of s in the order they first
// appear, in s's array: a set for MinHash, whose signature does not depend
// on the order, without sorting.
func distinct(s []uint64) []uint64 {
	size := 16
	for size < 2*len(s) {
		size *= 2
	}
	seen := make([]uint64, size) // 0: empty slot
	zero := false
	mask := uint64(size - 1)
	out := s[:0]
	for _, x := range s {
		if x == 0 {
			if !zero {
				zero = true
				out = append(out, x)
			}
			continue
		}
		for i := (x * 0x9e3779b97f4a7c15) >> 32 & mask; ; i = (i + 1) & mask {
			if seen[i] == x {
				break
			}
			if seen[i] == 0 {
				seen[i] = x
				out = append(out, x)
				break
			}
		}
	}
	return out
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
// h_i(x) = splitmix64(x ^ seed_i), seeds fixed. Four functions at a time
// over the whole set, their minima in registers.
func signature(set []uint64, seeds []uint64) []uint64 {
	sig := make([]uint64, len(seeds))
	i := 0
	for ; i+4 <= len(seeds); i += 4 {
		s0, s1, s2, s3 := seeds[i], seeds[i+1], seeds[i+2], seeds[i+3]
		m0, m1, m2, m3 := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
		for _, x := range set {
			m0 = min(m0, splitmix64(x^s0))
			m1 = min(m1, splitmix64(x^s1))
			m2 = min(m2, splitmix64(x^s2))
			m3 = min(m3, splitmix64(x^s3))
		}
		sig[i], sig[i+1], sig[i+2], sig[i+3] = m0, m1, m2, m3
	}
	for ; i < len(seeds); i++ {
		m := ^uint64(0)
		for _, x := range set {
			m = min(m, splitmix64(x^seeds[i]))
		}
		sig[i] = m
	}
	return sig
}

// maxBucket bounds the pairs taken from one LSH bucket (see bandPairs).
const maxBucket = 256
