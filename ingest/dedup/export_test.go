package dedup

// For the tests of package dedup_test.

// KeyWords is keyWords, joined as text.Key joins them.
func KeyWords(s string) []string {
	var out []string
	for _, w := range keyWords(s) {
		out = append(out, string(w))
	}
	return out
}

// TextKeys are the band keys of a set of text shingles (NewSketch's
// TextKeys), nil for fewer than minShingles.
func TextKeys(set []uint64) []uint64 {
	if len(set) < minShingles {
		return nil
	}
	return bandKeys(set, textSeeds, textBands, textRows)
}

// BandPairs is bandPairs; MaxBucket maxBucket.
var BandPairs = bandPairs

const MaxBucket = maxBucket
