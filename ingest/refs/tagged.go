package refs

import (
	"strings"

	"github.com/peermap/peermap/internal/text"
)

// nbibTag returns the tag of a MEDLINE text line "TAG - value": two to four
// upper-case letters padded with spaces so that the hyphen is at most in
// column 5 ("PMID- 1", "TI  - x", "FAU - y", also the sloppy "TI-" and "PMID-1").
func nbibTag(line string) (tag, val string, ok bool) {
	i := 0
	for i < len(line) && i < 4 && line[i] >= 'A' && line[i] <= 'Z' {
		i++
	}
	if i < 2 {
		return "", "", false
	}
	j := i
	for j < len(line) && j < 4 && line[j] == ' ' {
		j++
	}
	if j >= len(line) || line[j] != '-' {
		return "", "", false
	}
	return line[:i], strings.TrimSpace(line[j+1:]), true
}

// readNbib reads PubMed's MEDLINE text format (.nbib, .txt): a record is a
// block of tagged lines; blocks are separated by blank lines; a line that
// starts with white space continues the field above; a block with no tagged
// line (free text) is not a record.
//
// Fields: title TI (else BTI, CTI); authors FAU (else AU, CN); year DP (else
// DEP, EDAT); venue JT (else TA, BTI); DOI from LID/AID "... [doi]"; PMID
// PMID; abstract AB (repeated AB are joined); keywords OT, then MH; language LA.
func readNbib(r *utf8Reader, e *emitter) error {
	return readTagged(r, e, taggedFormat{line: nbibLine, more: nbibMore, conv: nbibRec, blocks: true})
}

// nbibLine classifies a MEDLINE line: a blank line ends a block; any other
// line belongs to one.
func nbibLine(line string) (lineKind, string, string) {
	if strings.TrimSpace(line) == "" {
		return lineGap, "", ""
	}
	if tag, val, ok := nbibTag(line); ok {
		return lineField, tag, val
	}
	return lineOther, "", ""
}

// nbibMore adds a line indented by white space to the field above; other
// untagged lines are free text, kept only in the raw record.
func nbibMore(rec tagged, line string) tagged {
	if line[0] == ' ' || line[0] == '\t' {
		rec.cont(" ", strings.TrimSpace(line))
	}
	return rec
}

func nbibRec(t tagged) *rec {
	r := &rec{
		title:    t.first("TI", "BTI", "CTI"),
		venue:    t.first("JT", "TA", "BTI"),
		abstract: strings.Join(t.all("AB"), "\n"),
		lang:     t.first("LA"),
		pmid:     t.first("PMID"),
		keywords: append(t.all("OT"), t.all("MH")...),
		authors:  t.all("FAU"),
	}
	if len(r.authors) == 0 {
		r.authors = append(t.all("AU"), t.all("CN")...)
	}
	r.year = year(t.first("DP", "DEP", "EDAT"))
	for _, v := range t.all("LID", "AID") {
		if strings.Contains(v, "[doi]") || strings.HasPrefix(strings.ToLower(v), "doi:") {
			r.doi = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "[doi]"))
			break
		}
	}
	return r
}

// readISI reads the Web of Science / ISI tagged format: two-character tags
// in column 1, continuation lines indented by three spaces, records from PT
// to ER. In AU, AF, CR and other list fields each continuation line is an
// item of its own.
//
// Fields: title TI; authors AF (else AU); year PY (else PD); venue SO (else
// JI, J9); DOI DI; PMID PM; abstract AB; keywords DE then ID ("; "-separated);
// language LA.
func readISI(r *utf8Reader, e *emitter) error {
	return readTagged(r, e, taggedFormat{line: isiLine, more: isiMore, conv: isiRec})
}

// isiLine classifies an ISI line: a tag is two capitals (or a capital and
// a digit) in column 1 followed by a space or the line end; PT opens a
// record (and is a field), ER closes it.
func isiLine(line string) (lineKind, string, string) {
	if len(line) < 2 || line[0] < 'A' || line[0] > 'Z' || !(line[1] >= 'A' && line[1] <= 'Z' || line[1] >= '0' && line[1] <= '9') ||
		len(line) > 2 && line[2] != ' ' {
		return lineOther, "", ""
	}
	switch tag := line[:2]; tag {
	case "PT":
		return lineStart, tag, strings.TrimSpace(line[2:])
	case "ER":
		return lineEnd, "", ""
	default:
		return lineField, tag, strings.TrimSpace(line[2:])
	}
}

// isiMore adds a continuation line: an item of its own in list fields
// (isiList), else joined to the field above.
func isiMore(rec tagged, line string) tagged {
	last := rec[len(rec)-1]
	if isiList[last.tag] {
		return append(rec, field{tag: last.tag, val: strings.TrimSpace(line)})
	}
	rec.cont(" ", strings.TrimSpace(line))
	return rec
}

// isiList holds the ISI tags whose continuation lines are separate items.
var isiList = map[string]bool{"AU": true, "AF": true, "BA": true, "BF": true, "CA": true, "CR": true, "C1": true, "ED": true}

func isiRec(t tagged) *rec {
	r := &rec{
		title:    t.first("TI"),
		venue:    t.first("SO", "JI", "J9"),
		abstract: t.first("AB"),
		lang:     t.first("LA"),
		doi:      t.first("DI"),
		pmid:     t.first("PM"),
		authors:  t.all("AF"),
	}
	if len(r.authors) == 0 {
		r.authors = t.all("AU")
	}
	r.year = year(t.first("PY", "PD"))
	for _, k := range t.all("DE", "ID") {
		r.keywords = append(r.keywords, strings.Split(k, ";")...)
	}
	return r
}

// readOvid reads Ovid's citation text export (not Ovid RIS): a record starts
// with a line "<n>"; field names stand in column 1 and their values follow on
// lines indented by white space.
//
// Fields: Title; Author / Authors (";"-separated, affiliation numbers
// dropped); Year of Publication / Publication Year / Source; Source / Journal
// Name; DOI / DOI Number / Digital Object Identifier; Unique Identifier /
// PubMed ID (PMID); Abstract; Author Keywords / Keywords / Keyword Heading;
// Language.
func readOvid(r *utf8Reader, e *emitter) error {
	return readTagged(r, e, taggedFormat{line: ovidLine, more: ovidMore, conv: ovidRec})
}

// ovidLine classifies an Ovid line: "<n>" opens a record; a line that
// starts in column 1 names a field (in lower case), whose value follows.
func ovidLine(line string) (lineKind, string, string) {
	switch {
	case reOvidStart().MatchString(line):
		return lineStart, "", ""
	case strings.TrimSpace(line) == "", line[0] == ' ' || line[0] == '\t':
		return lineOther, "", ""
	}
	return lineField, strings.ToLower(strings.TrimSpace(line)), ""
}

// ovidMore adds an indented value line to the field above, one line each.
func ovidMore(rec tagged, line string) tagged {
	rec.cont("\n", strings.TrimSpace(line))
	return rec
}

// reOvidType matches the publication type Ovid appends to titles ("...Germany.[Article]").
var reOvidType = text.Regexp(`\.?\[[A-Za-z ]+\]\s*$`)

func ovidRec(t tagged) *rec {
	r := &rec{
		title:    reOvidType().ReplaceAllString(strings.ReplaceAll(t.first("title"), "\n", " "), "."),
		abstract: t.first("abstract"),
		lang:     t.first("language"),
		doi:      t.first("doi", "doi number", "digital object identifier"),
		pmid:     t.first("pubmed id", "pmid"),
	}
	if id := t.first("unique identifier"); r.pmid == "" && cleanPMID(id) != "" {
		r.pmid = id
	}
	for _, a := range strings.Split(strings.ReplaceAll(t.first("author", "authors"), "\n", ";"), ";") {
		a = strings.TrimSpace(a)
		// "Kohler, Lars 1" carries an affiliation number.
		a = strings.TrimRight(a, "0123456789, ")
		if a != "" {
			r.authors = append(r.authors, a)
		}
	}
	src := strings.ReplaceAll(t.first("source"), "\n", " ")
	r.venue = t.first("journal name")
	if r.venue == "" {
		// "Ecohydrology.   8(6):1048-1064, September 2015."
		v := src
		if i := strings.Index(v, ". "); i > 0 {
			v = v[:i]
		}
		r.venue = v
	}
	r.year = year(t.first("year of publication", "publication year", "date of publication"))
	if r.year == 0 {
		r.year = year(src)
	}
	for _, k := range strings.Split(strings.ReplaceAll(t.first("author keywords", "keywords", "keyword heading"), "\n", ";"), ";") {
		r.keywords = append(r.keywords, strings.TrimSuffix(strings.TrimSpace(k), "."))
	}
	return r
}

// lineKind is what a line is to readTagged.
type lineKind uint8

const (
	lineOther lineKind = iota // untagged: a continuation (given to more) or free text
	lineField                 // a tagged field of the record
	lineStart                 // opens a record, ending the one before; a field too if it has a tag
	lineEnd                   // closes the record (and belongs to it)
	lineGap                   // ends a block record and belongs to none (taggedFormat.blocks)
)

// A taggedFormat describes one line-tagged export format (RIS, nbib, ISI,
// Ovid) for readTagged.
type taggedFormat struct {
	// line classifies a line and returns the tag and value of a field.
	line func(line string) (kind lineKind, tag, val string)
	// more adds a non-blank untagged line to a record that has fields.
	more func(rec tagged, line string) tagged
	// conv makes a record of the fields.
	conv func(tagged) *rec
	// blocks: records are blocks of lines between gaps, with no start or
	// end line, and a block without a field is free text, not a record.
	blocks bool
}

// readTagged reads the records of a line-tagged format: the lines of a
// record, raw, give its ID; its fields, in order, give the record. Outside
// a record lines are ignored, except that in a block format any line but a
// gap opens one. A record cut off by the end of the input still counts.
func readTagged(r *utf8Reader, e *emitter, f taggedFormat) error {
	ls := lines(r)
	var (
		raw  strings.Builder
		rec  tagged
		open bool // inside a record
	)
	flush := func() error {
		if !open {
			return nil
		}
		open = false
		var err error
		if len(rec) > 0 || !f.blocks {
			err = e.emit([]byte(raw.String()), f.conv(rec.joined()))
		}
		raw.Reset()
		rec = rec[:0]
		return err
	}
	for {
		line, ok := ls.next()
		if !ok {
			break
		}
		kind, tag, val := f.line(line)
		switch {
		case kind == lineStart, kind == lineGap:
			if err := flush(); err != nil {
				return err
			}
			open = kind == lineStart
		case f.blocks:
			open = true
		}
		if !open {
			continue
		}
		raw.WriteString(line)
		raw.WriteByte('\n')
		switch {
		case kind == lineEnd:
			if err := flush(); err != nil {
				return err
			}
		case tag != "":
			rec = append(rec, field{tag: tag, val: val})
		case len(rec) > 0 && strings.TrimSpace(line) != "":
			rec = f.more(rec, line)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return ls.err
}
