package text

import (
	"strings"
)

// doiRe finds a DOI: "10.", a numeric registrant, "/", a suffix.
var doiRe = Regexp(`10\.[0-9]+(?:\.[0-9]+)*/[^\s"'<>]+`)

// DOI returns the first DOI in s in its bare, lower-case form, whatever way
// it is written ("10.1/X", "doi:10.1/x", "https://doi.org/10.1/x",
// "http://dx.doi.org/10.1/x", "10.1/x [doi]", "10.1%2Fx", or inside a
// sentence), without trailing punctuation; "" if s holds none. It is the one
// definition of "same DOI" in peermap.
func DOI(s string) string {
	if !strings.Contains(s, "10.") {
		return ""
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "%2F", "/"), "%2f", "/")
	m := doiRe().FindString(s)
	m = strings.TrimRight(m, ".,;:)]}>\"'")
	if m == "" || strings.HasSuffix(m, "/") {
		return ""
	}
	return strings.ToLower(m)
}
