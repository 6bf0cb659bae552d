package refs

import (
	"regexp"
	"strings"
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
	ls := lines(r)
	var (
		raw strings.Builder
		rec tagged
	)
	flush := func() error {
		if len(rec) == 0 {
			raw.Reset()
			return nil
		}
		err := e.emit([]byte(raw.String()), nbibRec(rec))
		raw.Reset()
		rec = rec[:0]
		return err
	}
	for {
		line, ok := ls.next()
		if !ok {
			break
		}
		if strings.TrimSpace(line) == "" {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		raw.WriteString(line)
		raw.WriteByte('\n')
		if tag, val, ok := nbibTag(line); ok {
			rec = append(rec, field{tag, val})
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(rec) > 0 {
			rec[len(rec)-1].val += " " + strings.TrimSpace(line)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return ls.err
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
	ls := lines(r)
	b := &taggedBuf{e: e, conv: isiRec}
	for {
		line, ok := ls.next()
		if !ok {
			break
		}
		tag := ""
		if len(line) >= 2 && line[0] >= 'A' && line[0] <= 'Z' && (line[1] >= 'A' && line[1] <= 'Z' || line[1] >= '0' && line[1] <= '9') &&
			(len(line) == 2 || line[2] == ' ') {
			tag = line[:2]
		}
		switch {
		case tag == "PT":
			if err := b.flush(); err != nil {
				return err
			}
			b.open = true
		case !b.open:
			continue
		}
		b.raw.WriteString(line)
		b.raw.WriteByte('\n')
		switch {
		case tag == "ER":
			if err := b.flush(); err != nil {
				return err
			}
		case tag != "":
			b.rec = append(b.rec, field{tag, strings.TrimSpace(line[2:])})
		case len(b.rec) > 0 && strings.TrimSpace(line) != "":
			last := b.rec[len(b.rec)-1]
			if isiList[last.tag] {
				b.rec = append(b.rec, field{last.tag, strings.TrimSpace(line)})
			} else {
				b.rec[len(b.rec)-1].val += " " + strings.TrimSpace(line)
			}
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return ls.err
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
	ls := lines(r)
	b := &taggedBuf{e: e, conv: ovidRec}
	for {
		line, ok := ls.next()
		if !ok {
			break
		}
		if reOvidStart.MatchString(line) {
			if err := b.flush(); err != nil {
				return err
			}
			b.open = true
			b.raw.WriteString(line)
			b.raw.WriteByte('\n')
			continue
		}
		if !b.open {
			continue
		}
		b.raw.WriteString(line)
		b.raw.WriteByte('\n')
		switch {
		case strings.TrimSpace(line) == "":
		case line[0] != ' ' && line[0] != '\t':
			b.rec = append(b.rec, field{strings.ToLower(strings.TrimSpace(line)), ""})
		case len(b.rec) > 0:
			last := &b.rec[len(b.rec)-1]
			if last.val != "" {
				last.val += "\n"
			}
			last.val += strings.TrimSpace(line)
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return ls.err
}

// reOvidType matches the publication type Ovid appends to titles ("...Germany.[Article]").
var reOvidType = regexp.MustCompile(`\.?\[[A-Za-z ]+\]\s*$`)

func ovidRec(t tagged) *rec {
	r := &rec{
		title:    reOvidType.ReplaceAllString(strings.ReplaceAll(t.first("title"), "\n", " "), "."),
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

// A taggedBuf collects one record of a line-tagged format (RIS, nbib, ISI,
// Ovid): its raw lines, from which the record's ID is made, and its fields.
type taggedBuf struct {
	raw  strings.Builder
	rec  tagged
	open bool // inside a record
	e    *emitter
	conv func(tagged) *rec
}

// flush emits the record being read, if any, and starts afresh.
func (b *taggedBuf) flush() error {
	if !b.open {
		return nil
	}
	b.open = false
	err := b.e.emit([]byte(b.raw.String()), b.conv(b.rec))
	b.raw.Reset()
	b.rec = b.rec[:0]
	return err
}
