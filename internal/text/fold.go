package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case without accents, with the ligatures œ, æ and
// ß expanded: "Médiateur" → "mediateur", "Œuvre" → "oeuvre". It is the one
// accent folding of peermap: the annotator's words, the index's terms and
// the duplicate finder's titles all go through it. ASCII input in lower case
// is returned as it is, without allocating.
func Fold(s string) string {
	ascii, lower := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			lower = false
		}
	}
	switch {
	case ascii && lower:
		return s
	case ascii:
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	// NFD also splits what has no mark to lose (Hangul syllables): put it back.
	return norm.NFC.String(b.String())
}

// Key returns the comparison key of s: folded as by Fold, every run of
// characters that are not letters or digits replaced by one space, trimmed.
// "Peer-Support: a Review." and "peer support a review" have the same key.
func Key(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return fullKey(s)
		}
	}
	// ASCII (most titles and names): normalisation leaves it as it is and
	// folding only lowers its letters, so the key is made byte by byte.
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

// fullKey is Key for any s (TestKeyASCII and FuzzKeyASCII compare Key's
// ASCII path with it).
func fullKey(s string) string {
	f := Fold(norm.NFKC.String(s))
	var b strings.Builder
	b.Grow(len(f))
	space := false
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}
