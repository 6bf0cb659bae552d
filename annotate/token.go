package annotate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/text"
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

// tokenize splits s into tokens and numbers their sentences (the one
// sentence splitter, text.Sentences). It allocates the token slice, the
// sentence list and, for ASCII words that are already in lower case, no
// strings.
func tokenize(s string, toks []token) []token {
	toks = toks[:0]
	sents := text.Sentences(s)
	sent := 0
	gapStart := 0
	i := 0
	for i < len(s) {
		c := s[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		// A word starts at i.
		start := i
		ascii, lower := true, true
		for i < len(s) {
			c := s[i]
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
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				break
			}
			ascii = false
			i += size
		}
		word := s[start:i]
		for sent < len(sents)-1 && start >= sents[sent].End {
			sent++
		}
		brk := false
		if len(toks) > 0 && toks[len(toks)-1].sent == sent && (start-gapStart != 1 || s[gapStart] != ' ') {
			brk = clauseBreak(s[gapStart:start])
		}
		var n string
		switch {
		case ascii && lower:
			n = word
		case ascii:
			n = strings.ToLower(word)
		default:
			n = text.Fold(word)
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

// clauseBreak reports whether the gap between two tokens of one sentence
// holds a comma, colon, semicolon or bracket.
func clauseBreak(gap string) bool {
	return strings.ContainsAny(gap, ",;:()[]")
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
