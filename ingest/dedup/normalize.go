package dedup

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeDOI returns the bare, lower-case form of a DOI written in any of
// the usual ways ("10.1/X", "doi:10.1/x", "https://doi.org/10.1/x",
// "http://dx.doi.org/10.1/x", "10.1/x [doi]", "10.1%2Fx"), or "" if s holds
// no DOI.
func NormalizeDOI(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "%2f", "/")
	i := strings.Index(s, "10.")
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.IndexFunc(s, unicode.IsSpace); j >= 0 {
		s = s[:j]
	}
	s = strings.TrimRight(s, ".,;:)]}>\"'")
	slash := strings.IndexByte(s, '/')
	if slash < 4 || slash == len(s)-1 {
		return "" // "10.1234/" needs a registrant and a suffix
	}
	for _, r := range s[3:slash] {
		if (r < '0' || r > '9') && r != '.' {
			return ""
		}
	}
	return s
}

// NormalizeTitle returns s folded for comparison: lower case, accents
// removed, every run of characters that are not letters or digits replaced
// by one space, trimmed. "Peer-Support: a Review." and "peer support a
// review" normalise alike.
func NormalizeTitle(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// surname returns the normalised family name of an author written
// "Family, Given", "Given Family" or "Family GI".
func surname(author string) string {
	a := strings.TrimSpace(author)
	if a == "" {
		return ""
	}
	if i := strings.IndexByte(a, ','); i >= 0 {
		return NormalizeTitle(a[:i])
	}
	f := strings.Fields(a)
	// "Smith JA" (MEDLINE) puts initials, in capitals, after the family name;
	// "John Smith" puts the family name last.
	last := f[len(f)-1]
	if len(f) > 1 && len(last) <= 3 && strings.ToUpper(last) == last && strings.ToLower(last) != last {
		return NormalizeTitle(f[0])
	}
	return NormalizeTitle(last)
}
