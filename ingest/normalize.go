package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ligatures maps typographic ligatures that NFKC leaves or that PDFs carry
// in private forms to their letters.
var ligatures = strings.NewReplacer(
	"\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi", "\uFB04", "ffl",
	"\uFB05", "st", "\uFB06", "st", "\u00AD", "", // soft hyphen
	"\u200B", "", "\uFEFF", "", // zero width space, BOM
)

// normalizeText returns s as valid UTF-8, NFKC-normalised, with ligatures
// expanded, control characters (other than newline and tab) removed, and
// line ends unified to \n. It does not collapse spaces or join lines.
func normalizeText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = ligatures.Replace(s)
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\u00A0':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}
