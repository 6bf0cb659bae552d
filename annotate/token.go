package annotate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A token is a run of letters and digits of the original text. Hyphens,
// apostrophes, spaces and punctuation separate tokens, so "peer-support
// worker" and "peer support worker" give the same tokens.
type token struct {
	start, end int    // byte offsets into the original text
	norm       string // lower case, accents removed
	key        string // norm without a plural s or x, for label matching
	sent       int    // ordinal of the sentence the token sits in
	brk        bool   // a comma, colon, semicolon or bracket separates it from the previous token
}

// tokenize splits text into tokens and sentences. It allocates one slice
// and, for ASCII words that are already in lower case, no strings.
func tokenize(text string, toks []token) []token {
	toks = toks[:0]
	sent := 0
	gapStart := 0
	i := 0
	for i < len(text) {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		// A word starts at i.
		start := i
		ascii, lower := true, true
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
					break
				}
				if c >= 'A' && c <= 'Z' {
					lower = false
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			ascii = false
			i += size
		}
		word := text[start:i]
		brk := false
		if len(toks) > 0 && (start-gapStart != 1 || text[gapStart] != ' ') {
			end, b := scanGap(text[gapStart:start], toks[len(toks)-1].norm)
			if end {
				sent++
			} else {
				brk = b
			}
		}
		var n string
		switch {
		case ascii && lower:
			n = word
		case ascii:
			n = strings.ToLower(word)
		default:
			n = fold(word)
		}
		if n == "" {
			continue // only combining marks
		}
		toks = append(toks, token{start: start, end: i, norm: n, key: labelKey(n), sent: sent, brk: brk})
		gapStart = i
	}
	return toks
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scanGap reads the gap between two tokens. end reports whether it ends a
// sentence: it holds a line break, or a full stop, question or exclamation
// mark followed by white space, and the previous word is not an
// abbreviation. brk reports a comma, colon, semicolon or bracket.
func scanGap(gap, prev string) (end, brk bool) {
	stop := byte(0)
	for k := 0; k < len(gap); k++ {
		switch c := gap[k]; c {
		case '\n':
			return true, false
		case '.', '!', '?':
			if stop == 0 {
				stop = c
			}
		case ' ', '\t', 0xa0: // 0xa0 ends the UTF-8 no-break space
			if stop != 0 {
				end = true
			}
		case ',', ';', ':', '(', ')', '[', ']':
			brk = true
		}
	}
	if end && stop == '.' {
		if len(prev) == 1 {
			return false, brk // initials, e.g., i.e.
		}
		switch prev {
		case "al", "vs", "etc", "dr", "mr", "mrs", "ms", "fig", "approx", "ca", "cf", "no", "st", "eg", "ie":
			return false, brk
		}
	}
	return end, brk
}

// fold lower-cases s and removes its accents ("Médiateur" → "mediateur").
func fold(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// labelKey returns the form of a normalised word used to match labels: the
// word without a final plural s or x, so singular and plural match.
func labelKey(n string) string {
	if len(n) > 3 {
		switch n[len(n)-1] {
		case 's':
			if n[len(n)-2] != 's' {
				return n[:len(n)-1]
			}
		case 'x':
			if strings.HasSuffix(n, "eaux") || strings.HasSuffix(n, "eux") {
				return n[:len(n)-1]
			}
		}
	}
	return n
}

// words tokenizes a phrase of the codebook and returns its normalised words.
func words(phrase string) []string {
	toks := tokenize(phrase, nil)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.norm
	}
	return out
}
