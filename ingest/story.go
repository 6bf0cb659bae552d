package ingest

import (
	"path/filepath"
	"strings"

	"github.com/peermap/peermap/internal/text"

	"github.com/peermap/peermap/corpus"
)

// Story files. The CNN/Daily Mail summarisation corpus stores each item as
// a ".story" text: the article's paragraphs, then its summary sentences,
// each after a line "@highlight". Datasets built in that format from
// ClinicalTrials.gov (ejaybennett/healthdata, the ctgov_*.story.txt files
// of the peer corpus) hold a trial record: the brief title as the first
// line, the detailed description, a lone ".", the title again glued to
// the marker ("Patient Navigator Project@highlight"), then the brief
// summary. For controllable summarisation (Fan et al. 2018) the first
// line also carries a length-control token, "(firstQuint)" to
// "(fifthQuint)", which is no part of the title: it is what put
// "(fifthQuint)" in front of trial titles.

// storyMarkRe finds the highlight marker: "@highlight" ending a line.
var storyMarkRe = text.Regexp(`(?m)@highlight[ \t]*$`)

// controlTokenRe matches a control token glued to the start of a story:
// a camel-case word in parentheses directly followed by text.
var controlTokenRe = text.Regexp(`^\(([a-z]+[A-Z][A-Za-z]*)\)(\S)`)

// nctRe finds a ClinicalTrials.gov identifier, also in a file name
// ("ctgov_NCT00375024_x.txt", where \b would not match after "_").
var nctRe = text.Regexp(`(?:^|[^A-Za-z0-9])(NCT\d{8})(?:$|\D)`)

// isStory reports whether s is a story file: it has a highlight marker
// and text before it.
func isStory(s string) bool {
	loc := storyMarkRe().FindStringIndex(s)
	return loc != nil && strings.TrimSpace(s[:loc[0]]) != ""
}

// story reads a story file: the first line is the title (without a
// control token), the paragraphs up to the first marker the body, and the
// highlights a section "Summary" that is also the abstract. A
// ClinicalTrials.gov identifier in the file name becomes the venue
// ("ClinicalTrials.gov NCT00375024"), as a trial record is cited.
func story(doc *corpus.Document, s string) {
	doc.Extractor = "story"
	loc := storyMarkRe().FindStringIndex(s)
	body := blocks(s[:loc[0]])
	var highlights []string
	for _, p := range blocks(storyMarkRe().ReplaceAllString(s[loc[1]:], "")) {
		if p = collapse(p); p != "" {
			highlights = append(highlights, p)
		}
	}
	// The body's last block ends where the marker starts: in trial
	// records it is the title repeated ("Patient Navigator Project@highlight").
	var repeated string
	if n := len(body); n > 0 {
		if line := lastLine(s[:loc[0]]); line != "" {
			repeated = collapse(line)
			body[n-1] = strings.TrimSuffix(strings.TrimSpace(body[n-1]), line)
		}
	}
	var b builder
	if len(body) > 0 {
		first := controlTokenRe().ReplaceAllString(collapse(body[0]), "$2")
		title := strings.TrimRight(first, " .")
		switch {
		case titleLine(title):
			doc.Title = title
			body = body[1:]
		case repeated != "" && titleLine(repeated):
			doc.Title = repeated
			body[0] = first
		default:
			body[0] = first
		}
	}
	if doc.Title != "" {
		b.heading(doc.Title)
	}
	for _, p := range body {
		if p = collapse(p); strings.Trim(p, ". ") != "" { // a lone "." ends the article
			b.para(p)
		}
	}
	if len(highlights) > 0 {
		b.heading("Summary")
		for _, h := range highlights {
			b.para(h)
		}
		doc.Abstract = strings.Join(highlights, " ")
	}
	doc.Text, doc.Sections = b.done()
	if m := nctRe().FindStringSubmatch(filepath.Base(doc.Path)); m != nil && doc.Venue == "" {
		doc.Venue = "ClinicalTrials.gov " + m[1]
	}
}

// lastLine returns the last non-blank line of s, trimmed.
func lastLine(s string) string {
	s = strings.TrimRight(s, " \t")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[i+1:])
	}
	return strings.TrimSpace(s)
}
