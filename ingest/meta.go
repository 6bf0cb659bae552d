package ingest

import (
	"regexp"
	"strconv"
	"strings"
)

// yearRe finds a plausible publication year.
var yearRe = regexp.MustCompile(`\b(1[5-9]\d\d|20\d\d)\b`)

// parseYear returns the first plausible year in s, 0 if none.
func parseYear(s string) int {
	m := yearRe.FindString(s)
	if m == "" {
		return 0
	}
	y, _ := strconv.Atoi(m)
	return y
}

// authorName formats a family and given name as "Family, Given".
func authorName(family, given string) string {
	family, given = collapse(family), collapse(given)
	switch {
	case family == "":
		return given
	case given == "":
		return family
	}
	return family + ", " + given
}

// splitList splits a keyword list on commas and semicolons.
func splitList(s string) []string {
	var out []string
	for _, k := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if k = collapse(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// firstNonEmpty returns the first non-blank string.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
