package dedup

import (
	"strings"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/text"
)

// key is text.Key(s), made here for ASCII s (most titles and names):
// text.Key normalises and folds, which leaves ASCII as it is but for
// lowering its letters, then keeps the runs of letters and digits, one
// space between runs. TestKey and FuzzKey compare the two.
func key(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return text.Key(s)
		}
	}
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

// surname returns the normalised family name of an author written
// "Family, Given", "Given Family" or "Family GI".
func surname(author string) string {
	a := strings.TrimSpace(author)
	if a == "" {
		return ""
	}
	if i := strings.IndexByte(a, ','); i >= 0 {
		return key(a[:i])
	}
	f := strings.Fields(a)
	// "Smith JA" (MEDLINE) puts initials, in capitals, after the family name;
	// "John Smith" puts the family name last.
	last := f[len(f)-1]
	if len(f) > 1 && len(last) <= 3 && strings.ToUpper(last) == last && strings.ToLower(last) != last {
		return key(f[0])
	}
	return key(last)
}
