package pdf

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"

	"github.com/peermap/peermap/internal/text"
)

// Metadata from the info dictionary and the first page.
//
// Title: the info dict Title if it is plausible (producers often leave
// "paper.dvi", "Microsoft Word - x.doc", an ID or a single word), else the
// line(s) set in the largest font in the top part of page 1 (from the
// interpreter's font sizes), else the first substantial line of page 1.

var (
	pdfDOIRe      = text.Regexp(`(?i)\b(10\.\d{4,9}/[^\s"<>,;]+)`)
	pdfYearRe     = text.Regexp(`(?:©|\(c\)|Copyright|Published(?: online)?:?|Accepted:?)\s*(?:[A-Za-z]+\s+)?(?:\d{1,2}\s+)?(?:[A-Za-z]+\s+)?((?:19|20)\d{2})\b`)
	pdfAuthorSep  = text.Regexp(`\s*(?:;|,| and | & )\s*`)
	pdfJunkTitles = text.Regexp(`(?i)(\.(dvi|docx?|pdf|tex|indd|qxd|rtf|ps|p65)\b|^microsoft\s|^untitled|^doi:?\s*$|^title$|^\d|^[a-z]*\d[a-z0-9_\-.]*$|^document\d*$)`)
)

// pdfPlausibleTitle reports whether an info-dict title looks like a real title.
func pdfPlausibleTitle(t string) bool {
	t = strings.TrimSpace(t)
	if pdfJunkTitles().MatchString(t) {
		return false
	}
	words := strings.Fields(t)
	return len(words) >= 2 && pdfCountLetters(t) >= 10 && len(t) <= 400
}

// pdfMetadata fills Title, Authors, Year and DOI.
func pdfMetadata(doc *Result, info pdf.Value, pages []pdfPage) {
	var title, author, subject, keywords string
	func() {
		defer func() { _ = recover() }() // a broken info dict costs only metadata
		title = text.Normalize(info.Key("Title").Text())
		author = text.Normalize(info.Key("Author").Text())
		subject = text.Normalize(info.Key("Subject").Text())
		keywords = text.Normalize(info.Key("Keywords").Text())
		if d := info.Key("doi").Text(); d != "" {
			subject = d + " " + subject
		}
	}()
	title = strings.Join(strings.Fields(title), " ")
	if pdfPlausibleTitle(title) {
		doc.Title = title
	} else {
		// The first page with text: page 1 may be a scanned cover.
		for _, p := range pages {
			if pdfCountLetters(p.text) > 0 {
				doc.Title = pdfTitleFromPage(p)
				break
			}
		}
	}
	if a := strings.TrimSpace(author); a != "" && pdfCountLetters(a) >= 3 {
		for _, s := range pdfAuthorSep().Split(a, -1) {
			if s = strings.TrimSpace(s); pdfCountLetters(s) >= 2 {
				doc.Authors = append(doc.Authors, s)
			}
		}
	}
	first := ""
	for _, p := range doc.Pages {
		if p.End > p.Start {
			first = doc.Text[p.Start:p.End]
			break
		}
	}
	for _, s := range []string{subject, keywords, first} {
		if m := pdfDOIRe().FindStringSubmatch(s); m != nil {
			doc.DOI = strings.ToLower(strings.TrimRight(m[1], ".)]}"))
			break
		}
	}
	if m := pdfYearRe().FindStringSubmatch(first); m != nil {
		doc.Year, _ = strconv.Atoi(m[1])
	}
}

// pdfTitleFromPage returns the largest-font text near the top of a page,
// joining consecutive lines of that size, or the first substantial line.
func pdfTitleFromPage(p pdfPage) string {
	lines := p.lines
	if len(lines) > 0 {
		top, bottom := lines[0].y, lines[0].y
		for _, l := range lines {
			top = max(top, l.y)
			bottom = min(bottom, l.y)
		}
		cut := bottom + (top-bottom)*0.4 // the upper 60% of the text block
		best := -1
		for i, l := range lines {
			if l.y < cut || !pdfTitleCandidate(l.text) {
				continue
			}
			if best < 0 || l.size > lines[best].size+0.5 {
				best = i
			}
		}
		if best >= 0 {
			parts := []string{lines[best].text}
			for j := best + 1; j < len(lines) && j < best+6; j++ {
				l := lines[j]
				if l.size < lines[best].size-0.5 || l.size > lines[best].size+0.5 || lines[j-1].y-l.y > 2.5*l.size {
					break
				}
				parts = append(parts, l.text)
			}
			t := text.Normalize(text.Dehyphenate(strings.Join(parts, "\n")))
			return strings.Join(strings.Fields(t), " ")
		}
	}
	for _, l := range strings.Split(p.text, "\n") {
		if pdfTitleCandidate(l) {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	return ""
}

// pdfTitleCandidate reports whether a line could be (part of) a title.
func pdfTitleCandidate(s string) bool {
	s = strings.TrimSpace(s)
	if len(strings.Fields(s)) < 2 || len(s) > 300 {
		return false
	}
	letters := pdfCountLetters(s)
	if letters < 10 || float64(letters) < 0.6*float64(len([]rune(s))) {
		return false
	}
	l := strings.ToLower(s)
	for _, w := range []string{"journal", "vol.", "volume", "issn", "doi", "http", "www.", "©", "copyright", "page ", "research article", "original article", "open access"} {
		if strings.Contains(l, w) {
			return false
		}
	}
	r := []rune(s)
	return unicode.IsUpper(r[0]) || unicode.IsDigit(r[0]) || !unicode.IsLetter(r[0])
}
