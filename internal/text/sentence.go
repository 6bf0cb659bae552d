package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Span is a byte range [Start, End) of a string.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Sentences returns the sentences of s in order, each trimmed of white
// space, none empty. A sentence ends:
//   - after '.', '!', '?' or '…' (then any closing quotes or brackets) and
//     white space, when the next character is not a lower-case letter and a
//     full stop does not end an abbreviation or an initial ("et al.", "e.g.",
//     "Dr.", "J."; English and French, see abbreviations);
//   - after '。', '！' or '？', with or without white space;
//   - at a blank line, and at a line break before a list item;
//   - at a line break after a line that looks like a heading: it ends with
//     no punctuation, is at most 100 bytes and shorter than 0.7 times the
//     next line, which starts with a capital letter or a digit. Line breaks
//     inside running text (PDF lines) do not end a sentence.
func Sentences(s string) []Span {
	var out []Span
	for start := 0; start < len(s); {
		end := next(s, start, len(s))
		if sp, ok := Trim(s, start, end); ok {
			out = append(out, sp)
		}
		start = end
	}
	return out
}

// Widen returns the smallest run of whole sentences of s that covers the
// byte range [start, end), trimmed of white space. A range outside s is
// clamped to it.
func Widen(s string, start, end int) (int, int) {
	start = max(0, min(start, len(s)))
	end = max(start, min(end, len(s)))
	ws, we := 0, len(s)
	for b := 0; b < len(s); {
		n := next(s, b, len(s))
		if n <= start {
			ws = n
		}
		if n >= end && n > start {
			we = n
			break
		}
		b = n
	}
	if sp, ok := Trim(s, ws, we); ok {
		return sp.Start, sp.End
	}
	return start, start
}

// LastEnd returns the offset of the last sentence start b of s with
// from < b <= limit (the offset just after a sentence end and its white
// space), or -1 if no sentence ends in s[from:limit]. Sentences are read
// from from, which should be a sentence start.
func LastEnd(s string, from, limit int) int {
	last := -1
	for b := from; b < len(s); {
		n := next(s, b, limit)
		if n > limit || n >= len(s) {
			break
		}
		last, b = n, n
	}
	return last
}

// next returns the offset where the sentence after the one starting at
// from begins: the end of the white space after its last character, or
// len(s). It reads no further than a little past stop, and returns len(s)
// when no sentence starts at or before stop.
func next(s string, from, stop int) int {
	i := from
	// Skip leading white space: it belongs to no sentence.
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	for i < len(s) {
		if i > stop {
			return len(s)
		}
		if c := s[i]; c < utf8.RuneSelf && !asciiSpace(c) {
			i++ // the common case: an ASCII character that is not white space
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '。' || r == '！' || r == '？' {
			j := skipClosers(s, i+n)
			k := skipSpace(s, j)
			if k < len(s) {
				return k
			}
			return len(s)
		}
		if !unicode.IsSpace(r) {
			i += n
			continue
		}
		// A run of white space [i, k) after the text s[from:i].
		k := skipSpace(s, i)
		if k >= len(s) {
			return len(s)
		}
		if boundary(s, from, i, k) {
			return k
		}
		i = k
	}
	return len(s)
}

// boundary reports whether a sentence starts at k, after the text ending
// at ws and the white space s[ws:k].
func boundary(s string, from, ws, k int) bool {
	gap := s[ws:k]
	lines := strings.Count(gap, "\n")
	if lines >= 2 {
		return true
	}
	nr, _ := utf8.DecodeRuneInString(s[k:])
	// The last character before the gap, past closing quotes and brackets.
	j := ws
	for j > from {
		p, n := utf8.DecodeLastRuneInString(s[:j])
		if !isCloser(p) {
			break
		}
		j -= n
	}
	p, _ := utf8.DecodeLastRuneInString(s[:j])
	switch p {
	case '!', '?', '…':
		return !unicode.IsLower(nr)
	case '.':
		if unicode.IsLower(nr) {
			return false
		}
		return !abbreviation(s[from:j])
	case ':', ';':
		return lines == 1 && (listItem(s[k:]) || unicode.IsUpper(nr))
	}
	if lines == 0 {
		return false
	}
	if listItem(s[k:]) {
		return true
	}
	if !unicode.IsUpper(nr) && !unicode.IsDigit(nr) || unicode.IsPunct(p) && p != ')' {
		return false
	}
	prev := s[from:ws]
	if i := strings.LastIndexByte(prev, '\n'); i >= 0 {
		prev = prev[i+1:]
	}
	nextLine := s[k:]
	if i := strings.IndexByte(nextLine, '\n'); i >= 0 {
		nextLine = nextLine[:i]
	}
	return len(prev) <= 100 && float64(len(prev)) < 0.7*float64(len(nextLine))
}

// listItem reports whether line starts with a list marker: a bullet or a
// dash followed by a space, or a number with '.' or ')' and a space.
func listItem(line string) bool {
	r, n := utf8.DecodeRuneInString(line)
	switch r {
	case '•', '◦', '▪', '·', '–', '—', '-', '*':
		return n < len(line) && line[n] == ' '
	}
	i := 0
	for i < len(line) && i < 3 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '»', '”', '’':
		return true
	}
	return false
}

// abbreviations are the words (folded, without their final full stop)
// after which a full stop does not end a sentence, in English and French.
// "etc." is not one: it ends sentences more often than not.
var abbreviations = map[string]bool{
	"al": true, "approx": true, "art": true, "ca": true, "cf": true, "chap": true, "coll": true,
	"dept": true, "dir": true, "dr": true, "ed": true, "eds": true, "eq": true, "env": true,
	"fig": true, "figs": true, "inc": true, "jr": true, "ltd": true, "m": true, "mlle": true,
	"mm": true, "mme": true, "mmes": true, "mr": true, "mrs": true, "ms": true, "no": true,
	"nos": true, "p": true, "pp": true, "prof": true, "ref": true, "refs": true, "resp": true,
	"sr": true, "st": true, "suppl": true, "univ": true, "vol": true, "vs": true,
}

// abbreviation reports whether text, which ends with a full stop, ends with
// an abbreviation or an initial.
func abbreviation(text string) bool {
	w := strings.TrimRight(text, ".")
	if len(text)-len(w) > 1 {
		return false // "..." is an ellipsis
	}
	if i := strings.LastIndexAny(w, " \t\n([{\"“«"); i >= 0 {
		w = w[i+1:]
	}
	if w == "" {
		return false
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsLetter(r) // an initial: "J."
	}
	if strings.Contains(w, ".") {
		// "e.g.", "i.e.", "U.S.": letters and dots only.
		return strings.IndexFunc(w, func(r rune) bool { return r != '.' && !unicode.IsLetter(r) }) < 0
	}
	return abbreviations[Fold(w)]
}

// asciiSpace reports whether the ASCII byte c is white space, as
// unicode.IsSpace says.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiSpace(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

func skipClosers(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isCloser(r) {
			break
		}
		i += n
	}
	return i
}

// Trim narrows [start, end) of s to exclude white space at either end and
// reports whether anything is left.
func Trim(s string, start, end int) (Span, bool) {
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return Span{start, end}, end > start
}
