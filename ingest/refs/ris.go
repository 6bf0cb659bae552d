package refs

import (
	"strings"
)

// A tagged record is a list of (tag, value) fields in file order, with
// continuation lines already joined to their field.
type field struct {
	tag, val string
	more     []string // continuation lines, joined to val by tagged.joined
	sep      string   // what joins them
}

// cont adds a continuation line to the last field, in amortised constant
// time (a field of a million wrapped lines must not be copied a million
// times).
func (t tagged) cont(sep, s string) {
	last := &t[len(t)-1]
	last.more, last.sep = append(last.more, s), sep
}

// joined joins the continuation lines of every field to its value.
func (t tagged) joined() tagged {
	for i := range t {
		if f := &t[i]; len(f.more) > 0 {
			parts := f.more
			if f.val != "" {
				parts = append([]string{f.val}, parts...)
			}
			f.val, f.more = strings.Join(parts, f.sep), nil
		}
	}
	return t
}

type tagged []field

func (t tagged) first(tags ...string) string {
	for _, tag := range tags {
		for _, f := range t {
			if f.tag == tag && strings.TrimSpace(f.val) != "" {
				return f.val
			}
		}
	}
	return ""
}

func (t tagged) all(tags ...string) []string {
	var out []string
	for _, f := range t {
		for _, tag := range tags {
			if f.tag == tag && strings.TrimSpace(f.val) != "" {
				out = append(out, f.val)
			}
		}
	}
	return out
}

// risTag returns the tag of a RIS line "XX  - value" (two upper-case letters
// or a letter and a digit, two spaces, a hyphen) and its value.
func risTag(line string) (tag, val string, ok bool) {
	if len(line) < 5 || line[2] != ' ' || line[3] != ' ' || line[4] != '-' {
		return "", "", false
	}
	a, b := line[0], line[1]
	if a < 'A' || a > 'Z' || !(b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
		return "", "", false
	}
	return line[:2], strings.TrimSpace(line[5:]), true
}

// readRIS reads RIS: records run from TY to ER; lines without a tag continue
// the previous field. Text between ER and the next TY is ignored. A record
// cut off by the end of the file (no ER) still counts.
//
// Field mapping, covering Scopus, Embase, Ovid, ProQuest, Web of Science,
// EndNote and Zotero exports: title TI, T1 (else CT, BT, ST); authors AU, A1
// (else A2 for records with none); year PY, Y1, DA, Y2; venue JF, JO, T2, JA,
// J2, BT; DOI DO (else a DOI in M3, L2, UR, N1); PMID from AN when the
// database is PubMed/MEDLINE, or "PMID: n" in N1/M1/C2; abstract AB (else
// N2); keywords KW; language LA.
func readRIS(r *utf8Reader, e *emitter) error {
	return readTagged(r, e, taggedFormat{line: risLine, more: risMore, conv: risRec})
}

// risLine classifies a RIS line: TY opens a record (and is a field), ER
// ("ER  - ", "ER -" or "ER" alone) closes it.
func risLine(line string) (lineKind, string, string) {
	tag, val, ok := risTag(line)
	switch {
	case ok && tag == "TY":
		return lineStart, tag, val
	case ok && tag == "ER", !ok && strings.HasPrefix(line, "ER") && strings.TrimSpace(strings.TrimLeft(line[2:], " -")) == "":
		return lineEnd, "", ""
	case ok:
		return lineField, tag, val
	}
	return lineOther, "", ""
}

// risMore adds a continuation line to the last field; EndNote writes one
// keyword per continuation line.
func risMore(rec tagged, line string) tagged {
	if rec[len(rec)-1].tag == "KW" {
		return append(rec, field{tag: "KW", val: strings.TrimSpace(line)})
	}
	rec.cont(" ", strings.TrimSpace(line))
	return rec
}

func risRec(t tagged) *rec {
	r := &rec{
		title:    t.first("TI", "T1", "CT", "BT", "ST"),
		venue:    t.first("JF", "JO", "T2", "JA", "J2", "BT"),
		abstract: t.first("AB", "N2"),
		lang:     t.first("LA"),
		doi:      t.first("DO"),
		keywords: t.all("KW"),
		authors:  t.all("AU", "A1"),
	}
	if r.venue == r.title {
		r.venue = t.first("JF", "JO", "T2", "JA", "J2")
	}
	if len(r.authors) == 0 {
		r.authors = t.all("A2")
	}
	for _, y := range t.all("PY", "Y1", "DA", "Y2") {
		if r.year = year(y); r.year != 0 {
			break
		}
	}
	if r.doi == "" {
		for _, v := range t.all("M3", "L2", "UR", "N1", "ID") {
			if strings.Contains(v, "10.") && (strings.Contains(strings.ToLower(v), "doi") || strings.HasPrefix(strings.TrimSpace(v), "10.")) {
				r.doi = v
				break
			}
		}
	}
	db := strings.ToLower(t.first("DB") + " " + t.first("DP"))
	if an := strings.TrimSpace(t.first("AN")); an != "" && (strings.Contains(db, "pubmed") || strings.Contains(db, "medline") || strings.Contains(db, "nlm")) {
		r.pmid = an
	}
	if r.pmid == "" {
		for _, v := range t.all("N1", "M1", "C2", "AN") {
			if i := strings.Index(strings.ToUpper(v), "PMID:"); i >= 0 {
				f := strings.Fields(v[i+5:])
				if len(f) > 0 {
					r.pmid = strings.TrimRight(f[0], ".;,")
					break
				}
			}
		}
	}
	// Some Ovid exports repeat KW as "a; b; c".
	var kw []string
	for _, k := range r.keywords {
		kw = append(kw, strings.Split(k, ";")...)
	}
	r.keywords = kw
	return r
}
