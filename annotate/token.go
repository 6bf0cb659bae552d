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
	sent       int    // ordinal of the sentence the token sits in, among the sentences that have tokens
	brk        bool   // a comma, colon, semicolon or bracket separates it from the previous token
	cut        bool   // its sentence was too long and cut into clauses
}

// tokenize splits s into tokens and numbers their sentences (the one
// sentence splitter, text.Sentences).
func tokenize(s string, toks []token) []token {
	return tokenizeSents(s, text.Sentences(s), toks)
}

// tokenizeSents splits s into tokens, numbering them by the sentences sents
// of s (text.Sentences): a token belongs to the first sentence that ends
// after its start. It allocates the token slice and, for ASCII words that
// are already in lower case, no strings. A word written with the middle dot
// of French inclusive writing ("patient·e") is one token whose norm stops
// at the dot ("patient").
func tokenizeSents(s string, sents []text.Span, toks []token) []token {
	toks = toks[:0]
	si := 0 // the sentence span of the token
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
		dot := -1
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
				if !inclusiveDot(s, i, r) {
					break
				}
				if dot < 0 {
					dot = i
				}
			}
			ascii = false
			i += size
		}
		word := s[start:i]
		if dot >= 0 {
			word = s[start:dot]
		}
		for si < len(sents)-1 && start >= sents[si].End {
			si++
		}
		brk := false
		if len(toks) > 0 && toks[len(toks)-1].sent == si && (start-gapStart != 1 || s[gapStart] != ' ') {
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
		toks = append(toks, token{start: start, end: i, norm: n, key: labelKey(n), sent: si, brk: brk})
		gapStart = i
	}
	// Number the sentences that have tokens densely, cutting a sentence of
	// more than longSentence tokens (a table row or a list run together,
	// as PDF text often is) into clauses of at least minClause tokens at
	// commas, colons, semicolons and brackets: a peer word then speaks
	// for its clause, not for a whole page.
	sent, last, from := -1, -1, 0
	for k := range toks {
		if toks[k].sent != last {
			last = toks[k].sent
			sent++
			from = k
			n := k + 1
			for n < len(toks) && toks[n].sent == last {
				n++
			}
			if n-k <= longSentence {
				from = -1 // not cut
			}
		} else if from >= 0 && toks[k].brk && k-from >= minClause {
			sent++
			from = k
		}
		toks[k].sent = sent
		toks[k].cut = from >= 0
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

// A sentence of more than longSentence tokens is cut into clauses of at
// least minClause tokens.
const (
	longSentence = 60
	minClause    = 15
)

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
			// "coaches", "brushes", "boxes": the plural adds "es".
			if len(n) > 5 && (strings.HasSuffix(n, "ches") || strings.HasSuffix(n, "shes") || strings.HasSuffix(n, "xes") || strings.HasSuffix(n, "sses")) {
				return n[:len(n)-2]
			}
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

// inclusiveDot reports whether the rune r at s[i] is the middle dot of
// French inclusive writing inside a word ("soignant·es", "patient·e"),
// which does not break the word.
func inclusiveDot(s string, i int, r rune) bool {
	if r != '·' {
		return false
	}
	j := i + utf8.RuneLen(r)
	if i == 0 || j >= len(s) {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	next, _ := utf8.DecodeRuneInString(s[j:])
	return isWordRune(prev) && isWordRune(next) && !(prev >= '0' && prev <= '9')
}
