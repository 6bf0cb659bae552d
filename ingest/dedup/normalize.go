package dedup

import (
	"strings"

	"github.com/peermap/peermap/internal/text"
)

// surname returns the normalised family name of an author written
// "Family, Given", "Given Family" or "Family GI".
func surname(author string) string {
	a := strings.TrimSpace(author)
	if a == "" {
		return ""
	}
	if i := strings.IndexByte(a, ','); i >= 0 {
		return text.Key(a[:i])
	}
	f := strings.Fields(a)
	// "Smith JA" (MEDLINE) puts initials, in capitals, after the family name;
	// "John Smith" puts the family name last.
	last := f[len(f)-1]
	if len(f) > 1 && len(last) <= 3 && strings.ToUpper(last) == last && strings.ToLower(last) != last {
		return text.Key(f[0])
	}
	return text.Key(last)
}
