package text

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

// Normalize returns s as valid UTF-8, NFKC-normalised, with ligatures
// expanded, control characters (other than newline and tab) removed, the
// no-break space made a space, and line ends unified to \n. It does not
// collapse spaces or join lines.
func Normalize(s string) string {
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

// Dehyphenate joins words split at a line end: a lower-case letter, "-",
// a line break and a lower-case letter become one word ("commu-\nnity" →
// "community"). Real compounds split at their hyphen ("peer-\nled") are
// joined too: without a dictionary the two cannot be told apart, and
// pdftotext makes the same choice. A capital after the break ("Covid-\n19",
// "Anglo-\nSaxon") keeps the hyphen and the line break.
func Dehyphenate(s string) string {
	if !strings.Contains(s, "-\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, "-\n")
		if i < 0 {
			b.WriteString(s)
			break
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+2:])
		if unicode.IsLower(before) && unicode.IsLower(after) {
			// Join, and move the rest of the word up so the line stays whole.
			b.WriteString(s[:i])
			rest := s[i+2:]
			j := strings.IndexAny(rest, " \n")
			if j < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:j])
			if rest[j] == ' ' {
				b.WriteByte('\n')
				rest = rest[j+1:]
			} else {
				rest = rest[j:]
			}
			s = rest
			continue
		}
		b.WriteString(s[:i+2])
		s = s[i+2:]
	}
	return b.String()
}

// spacingAccents maps spacing accents, as TeX draws them (a separate glyph
// before the letter), to combining marks.
var spacingAccents = map[rune]rune{
	'\u00A8': '\u0308', // ¨
	'\u00B4': '\u0301', // ´
	'\u02C6': '\u0302', // ˆ
	'\u02DC': '\u0303', // ˜
	'\u00B8': '\u0327', // ¸
	'\u02C7': '\u030C', // ˇ
	'\u02D8': '\u0306', // ˘
	'\u02DA': '\u030A', // ˚
	'\u02D9': '\u0307', // ˙
	'\u02DD': '\u030B', // ˝
	'\u00AF': '\u0304', // ¯
}

// FixAccents puts a spacing accent drawn before a letter ("Lemaˆıtre",
// "R¨as¨anen") onto the letter as a combining mark, so that NFKC composes
// "Lemaître" and "Räsänen". Without this, NFKC turns "¨" into a space plus
// a combining mark and splits the word. Dotless ı and ȷ under an accent
// become i and j. Run it before Normalize.
func FixAccents(s string) string {
	if !strings.ContainsAny(s, "\u00A8\u00B4\u02C6\u02DC\u00B8\u02C7\u02D8\u02DA\u02D9\u02DD\u00AF") {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		mark, ok := spacingAccents[rs[i]]
		if !ok {
			out = append(out, rs[i])
			continue
		}
		j := i + 1
		if j < len(rs) && rs[j] == ' ' {
			j++
		}
		if j >= len(rs) || !unicode.IsLetter(rs[j]) {
			out = append(out, rs[i])
			continue
		}
		l := rs[j]
		switch l {
		case 'ı':
			l = 'i'
		case 'ȷ':
			l = 'j'
		}
		out = append(out, l, mark)
		i = j
	}
	return string(out)
}
