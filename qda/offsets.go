package qda

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// A runeIndex converts between byte offsets into a text (the store's unit)
// and REFI-QDA positions, which count Unicode code points from 0 (REFI-QDA
// 1.5, section 10.2: "Selections in a text file are defined by the first
// and the last character (Unicode codepoint) in the file. The first
// codepoint in the file has the number 0."). An end position is exclusive,
// as QualCoder, NVivo and MAXQDA write it. A code point outside the Basic
// Multilingual Plane counts once (not twice as in UTF-16).
//
// With crlfOne, a CR LF pair counts as one position, which is how ATLAS.ti
// counts the line breaks of the text files it exports.
type runeIndex struct {
	n      int   // positions
	size   int   // bytes
	starts []int // byte offset of each position; nil when every position is one byte
}

func newRuneIndex(s string, crlfOne bool) *runeIndex {
	x := &runeIndex{size: len(s)}
	if isASCII(s) && !(crlfOne && strings.Contains(s, "\r\n")) {
		x.n = len(s)
		return x
	}
	x.starts = make([]int, 0, utf8.RuneCountInString(s))
	prevCR := false
	for i, r := range s {
		if !(crlfOne && prevCR && r == '\n') {
			x.starts = append(x.starts, i)
		}
		prevCR = r == '\r'
	}
	x.n = len(x.starts)
	return x
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Pos returns the position of byte offset b, and false if b is not at the
// start of a position (inside a UTF-8 sequence or a counted-as-one CR LF)
// or outside the text. Pos(len(text)) is the number of positions.
func (x *runeIndex) Pos(b int) (int, bool) {
	if b < 0 || b > x.size {
		return 0, false
	}
	if x.starts == nil {
		return b, true
	}
	if b == x.size {
		return x.n, true
	}
	i := sort.SearchInts(x.starts, b)
	if i < x.n && x.starts[i] == b {
		return i, true
	}
	return 0, false
}

// Byte returns the byte offset of position p, and false if p is outside
// [0, number of positions].
func (x *runeIndex) Byte(p int) (int, bool) {
	if p < 0 || p > x.n {
		return 0, false
	}
	if x.starts == nil {
		return p, true
	}
	if p == x.n {
		return x.size, true
	}
	return x.starts[p], true
}

// A crlfMap maps byte offsets of a text with CR LF line breaks to offsets
// of the same text with LF alone (the store's texts never hold CR LF).
type crlfMap struct {
	crs []int // byte offset of each CR that starts a CR LF
}

func newCRLFMap(s string) crlfMap {
	var m crlfMap
	for i := 0; ; {
		j := strings.Index(s[i:], "\r\n")
		if j < 0 {
			return m
		}
		m.crs = append(m.crs, i+j)
		i += j + 2
	}
}

// lf returns the offset in the LF text of offset b of the CR LF text.
func (m crlfMap) lf(b int) int {
	return b - sort.SearchInts(m.crs, b) // CRs strictly before b
}
