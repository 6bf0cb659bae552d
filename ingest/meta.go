package ingest

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/peermap/peermap/internal/text"
)

// yearRe finds a plausible publication year.
var yearRe = text.Regexp(`\b(1[5-9]\d\d|20\d\d)\b`)

// parseYear returns the first plausible year in s, 0 if none.
func parseYear(s string) int {
	m := yearRe().FindString(s)
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

// Title checks. A declared title (front matter, a TEI or JATS header,
// citation_title) is kept unless it is junk: an author query left by the
// typesetter, a file listing, or site furniture. A title guessed from the
// first line or heading must also read as a title: not a glossary entry
// ("Ableism: A system of …."), not a sentence, not an instruction.

// proofQueryRe matches an author query of a proof ("AU: Please confirm
// that all heading levels are represented correctly:"), with or without
// the spaces PDF extraction loses.
var proofQueryRe = text.Regexp(`(?i)^\s*(?:AU|AQ|Q)\s*\d*\s*:\s*please`)

// proofQuery reports whether s is an author query of a proof.
func proofQuery(s string) bool { return proofQueryRe().MatchString(s) }

// fileLineRe matches a line that names files or folders rather than a work:
// "Index of /docs", "README.md", "paper.dvi", "src/ingest/text.go" (a
// path of three parts or more, so that "HIV/AIDS" stays a title).
var fileLineRe = text.Regexp(`(?i)^(?:index of\s+/.*|\.{0,2}/?(?:[\w.-]+/){2,}[\w.-]*|(?:[\w.-]+/)*[\w-]+(?:\.[\w-]+)*\.(?:md|markdown|txt|pdf|docx?|odt|rtf|html?|xml|csv|tsv|json|ya?ml|toml|tex|dvi|zip|gz))$`)

// boilerTitles are page furniture that a title fallback must not take.
var boilerTitles = map[string]bool{
	"table of contents": true, "contents": true, "skip to main content": true, "skip to content": true,
	"menu": true, "main menu": true, "navigation": true, "home": true, "untitled": true, "untitled document": true,
	"sommaire": true, "table des matières": true, "accueil": true,
}

// junkTitle reports whether a declared title is not a title at all.
func junkTitle(t string) bool {
	t = strings.TrimSpace(t)
	return t == "" || proofQuery(t) || fileLineRe().MatchString(t) || boilerTitles[strings.ToLower(strings.Trim(t, " .:"))]
}

// glossaryRe matches a glossary entry: a short term, a colon, then a
// definition ending as a sentence ends.
var glossaryRe = text.Regexp(`^[^:]{1,60}:\s+\S.*[.!?]$`)

// glossaryLine reports whether s is a glossary entry of at least 8 words.
func glossaryLine(s string) bool {
	return glossaryRe().MatchString(s) && len(strings.Fields(s)) >= 8
}

// titleLine reports whether s, a first line or first heading, can stand
// as a document's title: not junk, at most 30 words and 250 bytes, with
// letters, not a glossary entry, not a sentence of 15 or more words, not
// an instruction ("Please …").
func titleLine(s string) bool {
	s = strings.TrimSpace(s)
	words := strings.Fields(s)
	switch {
	case junkTitle(s), len(words) > 30, len(s) > 250, !strings.ContainsFunc(s, unicode.IsLetter):
		return false
	case glossaryLine(s):
		return false
	case strings.HasSuffix(s, ".") && len(words) >= 15:
		return false
	case strings.EqualFold(words[0], "please"):
		return false
	}
	return true
}

// Author cleaning. Bylines and info dictionaries carry more than names:
// "By Ana Sandoiu", "Par Sébastien Farcis", "By Nathan Willis March 25,
// 2015", "Written by X Edited by Y", "Nuala E. Tully {et al.}", account
// names ("ibm", "Proprietario") and section slugs ("sante").

var (
	bylineRe   = text.Regexp(`^(?i:(?:written|posted|reported)\s+)?(?i:by|par)\s+(\p{Lu})`)
	editedRe   = text.Regexp(`(?i)[,;]?\s+(?:and\s+)?(?:edited|reviewed|photographs?|illustrations?)\s+by\s+.*$`)
	degreeRe   = text.Regexp(`,\s*(?:MA|MS|MSc|MD|PhD|MPH|RN|BSc|BA|DrPH|MBBS|FRCP)\b.*$`)
	etAlRe     = text.Regexp(`(?i)\s*[{(\[]?\s*et\.?\s+al\.?\s*[})\]]?\s*$`)
	trailDate  = text.Regexp(`(?i)[,\s]+(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4})\s*$`)
	slugRe     = text.Regexp(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)
	noAuthor   = map[string]bool{"owner": true, "proprietario": true, "propriétaire": true, "administrator": true, "admin": true, "user": true, "utente": true, "usuario": true, "besitzer": true, "unknown": true, "anonymous": true, "author": true, "auteur": true}
	junkFamily = map[string]bool{"et": true, "al": true, "et al": true, "et al.": true}
)

// cleanAuthor returns a as a name, or "" when it is not one.
func cleanAuthor(a string) string {
	a = collapse(strings.Trim(a, "`"))
	if m := bylineRe().FindStringSubmatchIndex(a); m != nil {
		a = a[m[2]:] // from the capital that starts the name
	}
	a = editedRe().ReplaceAllString(a, "")
	a = trailDate().ReplaceAllString(a, "")
	a = etAlRe().ReplaceAllString(a, "")
	if m := degreeRe().FindStringIndex(a); m != nil && strings.Contains(a[:m[0]], " ") {
		a = a[:m[0]] // "Brenda Goodman, MA WebMD Health News"; not "Smith, MA" (initials)
	}
	a = strings.Trim(a, " ,;")
	low := strings.ToLower(a)
	family, _, _ := strings.Cut(low, ",")
	switch {
	case a == "", slugRe().MatchString(a), noAuthor[low], junkFamily[strings.TrimSpace(family)], strings.Contains(low, "orcid"):
		return ""
	}
	return a
}

// cleanAuthors cleans each author and drops those that are not names.
func cleanAuthors(as []string) []string {
	var out []string
	for _, a := range as {
		if a = cleanAuthor(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// titleSeps separate a page title from the site name appended to it.
var titleSeps = []string{" | ", " - ", " — ", " – ", " :: ", " · "}

// stripSiteSuffix removes from a page title a trailing " | Site" (or
// " - Site", " — Site"...) when Site is one of names (the site name, the
// publisher or an author): "How to Build a Terrarium | eHow" → "How to
// Build a Terrarium". A suffix that names nothing known is kept, and so is
// a title that would be left empty.
func stripSiteSuffix(title string, names ...string) string {
	for _, sep := range titleSeps {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		suffix := squash(title[i+len(sep):])
		for _, n := range names {
			// The name itself, or its start if the suffix is not a mere
			// initial ("Aktuálně.cz" of "Aktuálně.cz - Víte, co se právě děje").
			if n = squash(n); suffix != "" && (n == suffix || len(suffix) >= 4 && strings.HasPrefix(n, suffix)) {
				return strings.TrimSpace(title[:i])
			}
		}
	}
	return title
}

// squash returns s lower-cased with everything but letters and digits
// removed, for comparing names written differently.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
