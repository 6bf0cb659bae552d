package dedup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/peermap/peermap/corpus"
)

// The MinHash LSH of grouping: titles by character 4-grams of the
// normalised title, texts by word 3-shingles.
const (
	titleBands, titleRows = 25, 4
	textBands, textRows   = 20, 5
)

var (
	titleSeeds = seeds(titleBands * titleRows)
	textSeeds  = seeds(textBands * textRows)
)

// seeds returns the fixed seeds of n hash functions.
func seeds(n int) []uint64 {
	out := make([]uint64, n)
	x := uint64(0x5eed)
	for i := range out {
		x = splitmix64(x)
		out[i] = x
	}
	return out
}

// bandKeys returns the LSH band keys of set: the MinHash signature with
// bands × rows hash functions, each band's rows hashed into one key. Two
// sets share a band key with probability 1 - (1 - s^rows)^bands, s their
// Jaccard similarity. An empty set has none.
func bandKeys(set []uint64, seeds []uint64, bands, rows int) []uint64 {
	if len(set) == 0 {
		return nil
	}
	sig := signature(set, seeds)
	keys := make([]uint64, bands)
	for b := range bands {
		h := uint64(b) * 0x9e3779b97f4a7c15
		for r := range rows {
			h = splitmix64(h ^ sig[b*rows+r])
		}
		keys[b] = h
	}
	return keys
}

// A Sketch is what grouping needs of one document, small enough to keep
// for a whole corpus: the band keys of its text and title and its text
// length, which only the text gives, and the metadata Groups compares
// (set by Meta). Text and title band keys are kept across runs (see
// AppendBinary), so that a corpus is grouped again without reading every
// text; a text is read again only when its document is a candidate near
// duplicate, to confirm it.
type Sketch struct {
	ID        corpus.DocID
	TextLen   int      // bytes of Document.Text
	TextKeys  []uint64 // band keys of the text's word 3-shingles; nil when it has fewer than minShingles
	TitleHash uint64   // hash of the normalised title TitleKeys were made from
	TitleKeys []uint64 // band keys of the title's character 4-grams; nil when it has fewer than minTitleWords words

	kind corpus.Kind
	in   info
	meta bool // Meta was called
}

// NewSketch returns the sketch of d, which must have its Text.
func NewSketch(d *corpus.Document) Sketch {
	s := Sketch{ID: d.ID, TextLen: len(d.Text)}
	if set := distinct(shingles(keyWords(d.Text), 3)); len(set) >= minShingles {
		s.TextKeys = bandKeys(set, textSeeds, textBands, textRows)
	}
	s.Meta(d)
	return s
}

// Meta sets what the sketch knows of d's metadata (kind, title, year,
// authors, DOI, PMID); d need not have its Text. The title's band keys are
// made again when the title is not the one they were made from.
func (s *Sketch) Meta(d *corpus.Document) {
	s.kind, s.in, s.meta = d.Kind, newInfo(d), true
	if h := hash64(s.in.title); h != s.TitleHash || (s.TitleKeys == nil && s.in.titleWords >= minTitleWords) {
		s.TitleHash, s.TitleKeys = h, nil
		if s.in.titleWords >= minTitleWords {
			s.TitleKeys = bandKeys(charShingles(s.in.title, 4), titleSeeds, titleBands, titleRows)
		}
	}
}

// sketchVersion changes whenever what a sketch holds, or how its keys are
// made, changes: sketches of another version are not read.
const sketchVersion = 1

// AppendBinary appends the kept part of s (ID, TextLen, TitleHash, band
// keys; not the metadata) to b as one record:
//
//	uvarint   length of the rest of the record
//	byte      sketchVersion
//	uvarint   len(ID), ID bytes
//	uvarint   TextLen
//	8 bytes   TitleHash, little endian
//	uvarint   len(TitleKeys), then each key as 8 bytes little endian
//	uvarint   len(TextKeys), then each key as 8 bytes little endian
func (s *Sketch) AppendBinary(b []byte) ([]byte, error) {
	var rec []byte
	rec = append(rec, sketchVersion)
	rec = binary.AppendUvarint(rec, uint64(len(s.ID)))
	rec = append(rec, s.ID...)
	rec = binary.AppendUvarint(rec, uint64(s.TextLen))
	rec = binary.LittleEndian.AppendUint64(rec, s.TitleHash)
	for _, keys := range [][]uint64{s.TitleKeys, s.TextKeys} {
		rec = binary.AppendUvarint(rec, uint64(len(keys)))
		for _, k := range keys {
			rec = binary.LittleEndian.AppendUint64(rec, k)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(rec)))
	return append(b, rec...), nil
}

// ErrSketch means a sketch record is damaged or of another version.
var ErrSketch = errors.New("not a sketch record of this version")

// maxSketch bounds one record: an ID, two lengths, a hash and the keys.
const maxSketch = 1 << 12

// ReadSketch reads one record written by AppendBinary. It returns io.EOF
// at the end of r, io.ErrUnexpectedEOF for a record cut short (the end of
// a file a killed process was writing), and an error wrapping ErrSketch
// for anything else that is not a record. Meta must be called on the
// sketch before it is grouped.
func ReadSketch(r *bufio.Reader) (Sketch, error) {
	head, err := r.Peek(binary.MaxVarintLen64) // fewer bytes at the end of r
	if len(head) == 0 {
		if err == io.EOF {
			return Sketch{}, io.EOF
		}
		return Sketch{}, io.ErrUnexpectedEOF
	}
	n, k := uvarint(head)
	switch {
	case k == 0 && len(head) < binary.MaxVarintLen64:
		return Sketch{}, io.ErrUnexpectedEOF
	case k <= 0:
		return Sketch{}, fmt.Errorf("%w: record length", ErrSketch)
	case n == 0 || n > maxSketch:
		return Sketch{}, fmt.Errorf("%w: length %d", ErrSketch, n)
	}
	r.Discard(k)
	// The record is read in place from r's buffer when it fits (it is
	// copied out below: the ID and the keys), else into its own.
	var rec []byte
	if int(n) <= r.Size() {
		if rec, err = r.Peek(int(n)); err != nil {
			return Sketch{}, io.ErrUnexpectedEOF
		}
		defer r.Discard(int(n))
	} else {
		rec = make([]byte, n)
		if _, err := io.ReadFull(r, rec); err != nil {
			return Sketch{}, io.ErrUnexpectedEOF
		}
	}
	bad := func(what string) (Sketch, error) { return Sketch{}, fmt.Errorf("%w: %s", ErrSketch, what) }
	if rec[0] != sketchVersion {
		return bad(fmt.Sprintf("version %d", rec[0]))
	}
	rec = rec[1:]
	uv := func() (uint64, bool) {
		v, k := uvarint(rec)
		if k <= 0 {
			return 0, false
		}
		rec = rec[k:]
		return v, true
	}
	var s Sketch
	idLen, ok := uv()
	if !ok || idLen > uint64(len(rec)) {
		return bad("ID")
	}
	s.ID, rec = corpus.DocID(rec[:idLen]), rec[idLen:]
	textLen, ok := uv()
	if !ok || textLen > 1<<40 {
		return bad("text length")
	}
	s.TextLen = int(textLen)
	if len(rec) < 8 {
		return bad("title hash")
	}
	s.TitleHash, rec = binary.LittleEndian.Uint64(rec), rec[8:]
	all := make([]uint64, 0, len(rec)/8) // both lists of keys, one allocation
	for _, keys := range []*[]uint64{&s.TitleKeys, &s.TextKeys} {
		k, ok := uv()
		if !ok || k > uint64(len(rec))/8 {
			return bad("band keys")
		}
		if k > 0 {
			start := len(all)
			for range k {
				all, rec = append(all, binary.LittleEndian.Uint64(rec)), rec[8:]
			}
			*keys = all[start:len(all):len(all)]
		}
	}
	if len(rec) != 0 || (s.TitleKeys != nil && len(s.TitleKeys) != titleBands) || (s.TextKeys != nil && len(s.TextKeys) != textBands) {
		return bad("length")
	}
	return s, nil
}

// uvarint is binary.Uvarint that also refuses a number written in more
// bytes than AppendUvarint writes (0x80 0x00 for 0), so that a record
// read back is written as the same bytes: k < 0 for such a number or an
// overflow, 0 when b ends inside the number.
func uvarint(b []byte) (v uint64, k int) {
	v, k = binary.Uvarint(b)
	if k > 1 && b[k-1] == 0 {
		return 0, -k
	}
	return v, k
}

// bandPairs returns the pairs (i < j, sorted) of sketches that share a
// band key, band by band: keys(i) gives the keys of sketch i (nil: none).
// In one band, the members of a bucket are paired with each other, except
// that a bucket of thousands (texts alike in one band) pairs each member
// with its first maxBucket members only. Going band by band keeps one
// band's keys in memory, not every key of the corpus. A band's buckets
// are found in one pass over the sketches, in order, with a hash table of
// the keys seen: most keys are held by one sketch, and only the buckets
// of those held by more are kept.
func bandPairs(n, bands int, keys func(i int) []uint64) [][2]int {
	type slot struct {
		key    uint64
		band   int32 // band+1 for a slot used in this band, else empty
		first  int32 // the first sketch with the key
		bucket int32 // its bucket in members, -1 while it has one member
	}
	size := 16
	for size < 2*n {
		size *= 2
	}
	table := make([]slot, size)
	mask := uint64(size - 1)
	seen := map[[2]int]bool{}
	var out [][2]int
	var members [][]int32 // the buckets of more than one sketch, each in order
	for b := range bands {
		for k := range members {
			members[k] = members[k][:0]
		}
		members = members[:0]
		used := int32(b + 1)
		for i := range n {
			ks := keys(i)
			if ks == nil {
				continue
			}
			k := ks[b]
			for h := (k * 0x9e3779b97f4a7c15) >> 32 & mask; ; h = (h + 1) & mask {
				s := &table[h]
				if s.band != used {
					*s = slot{key: k, band: used, first: int32(i), bucket: -1}
					break
				}
				if s.key != k {
					continue
				}
				if s.bucket < 0 {
					s.bucket = int32(len(members))
					if len(members) < cap(members) {
						members = members[:len(members)+1]
					} else {
						members = append(members, nil)
					}
					members[s.bucket] = append(members[s.bucket][:0], s.first)
				}
				members[s.bucket] = append(members[s.bucket], int32(i))
				break
			}
		}
		for _, m := range members {
			for a := 0; a < len(m) && a < maxBucket; a++ {
				for c := a + 1; c < len(m); c++ {
					p := [2]int{int(m[a]), int(m[c])}
					if !seen[p] {
						seen[p] = true
						out = append(out, p)
					}
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
