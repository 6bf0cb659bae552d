package text

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// A Work is what a citation shows of a document.
type Work struct {
	Authors []string // "Family, Given" or "Given Family"
	Year    int      // 0 if unknown
	Title   string
	Path    string // file path or URL, shown when the title is unknown
}

// Cite returns the citation of w, the one format peermap prints in the
// terminal, the web UI and the report:
//
//	Okafor & Mensah (2021). Peer navigators in hospital care.
//	Okafor et al. (n.d.). Peer navigators in hospital care.
//	Peer navigators in hospital care (2021).
//	navigators.pdf (2021).
//
// Up to two authors are named, then "et al.". A work with no authors is
// cited by its title, a work with no title by its file name, never as
// "Anon.". The result ends with one full stop (or the title's own ? or !).
func Cite(w Work) string {
	title := Title(w)
	year := "n.d."
	if w.Year > 0 {
		year = fmt.Sprint(w.Year)
	}
	var s string
	if a := Authors(w.Authors); a != "" {
		s = a + " (" + year + "). " + title
	} else if w.Year > 0 {
		s = strings.TrimRight(title, ".") + " (" + year + ")"
	} else {
		s = title
	}
	return endSentence(s)
}

// CiteAt returns the citation of a place in w: Cite(w) with the place
// (see Place) before its final full stop: "Okafor (2021). Title, p. 4.".
func CiteAt(w Work, place string) string {
	c := Cite(w)
	if place == "" {
		return c
	}
	return strings.TrimSuffix(c, ".") + ", " + place + "."
}

// Place names a passage's place in its document: "p. 4" when the page is
// known, else "§ Methods" (the section heading, shortened to 60 bytes),
// else "¶ 8" (its 0-based ordinal n plus one).
func Place(page int, section string, n int) string {
	switch {
	case page > 0:
		return fmt.Sprintf("p. %d", page)
	case strings.TrimSpace(section) != "":
		return "§ " + Shorten(section, 60)
	}
	return fmt.Sprintf("¶ %d", n+1)
}

// Authors returns the short form of an author list: "Okafor", "Okafor &
// Mensah" or "Okafor et al.", "" for none.
func Authors(as []string) string {
	var names []string
	for _, a := range as {
		if f := Family(a); f != "" {
			names = append(names, f)
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " & " + names[1]
	}
	return names[0] + " et al."
}

// Family returns the family name of "Family, Given" or "Given Family", or
// a group author ("NSW Users & AIDS Association (NUAA)", "World Health
// Organization") whole.
func Family(a string) string {
	a = strings.Join(strings.Fields(a), " ")
	if i := strings.IndexByte(a, ','); i > 0 {
		return strings.TrimSpace(a[:i])
	}
	f := strings.Fields(a)
	if len(f) == 0 {
		return ""
	}
	if group(f) {
		return a
	}
	return f[len(f)-1]
}

// groupWords are words that name organisations, not people.
var groupWords = map[string]bool{
	"agency": true, "alliance": true, "association": true, "board": true, "center": true, "centre": true,
	"coalition": true, "collaboration": true, "college": true, "commission": true, "committee": true,
	"council": true, "department": true, "foundation": true, "group": true, "health": true, "initiative": true,
	"institute": true, "ministry": true, "network": true, "office": true, "organisation": true,
	"organization": true, "partnership": true, "program": true, "programme": true, "project": true,
	"proyecto": true, "service": true, "services": true, "society": true, "team": true, "trust": true,
	"union": true, "university": true, "fondation": true, "ministère": true,
	"réseau": true, "université": true, "institut": true,
}

// group reports whether the words of a name without a comma name a group:
// an organisation word, an ampersand or brackets, or more than four words.
func group(words []string) bool {
	if len(words) > 4 {
		return true
	}
	for _, w := range words {
		if w == "&" || strings.ContainsAny(w, "()") || groupWords[Fold(strings.Trim(w, ".,;:"))] {
			return true
		}
	}
	return false
}

// Title returns w's title with its white space collapsed, or the base name
// of its path when it has none.
func Title(w Work) string {
	if t := strings.Join(strings.Fields(w.Title), " "); t != "" {
		return t
	}
	if w.Path != "" {
		p := strings.TrimRight(strings.ReplaceAll(w.Path, `\`, "/"), "/")
		return path.Base(p)
	}
	return "untitled"
}

// endSentence returns s ending with one full stop, unless it already ends
// with a full stop, a question or an exclamation mark.
func endSentence(s string) string {
	s = strings.TrimSpace(s)
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '?', '!', '…':
		return s
	}
	return s + "."
}

// Shorten returns s with its white space collapsed, cut to at most n bytes
// at a word boundary (or a rune boundary when the first word is longer)
// with "…" added when cut.
func Shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
