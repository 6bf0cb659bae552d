package refs

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// csvColumns maps a lower-case column name to the field it holds.
var csvColumns = map[string]string{
	"title": "title", "article title": "title", "primary title": "title", "document title": "title", "ti": "title",
	"display_name": "title", "titles": "title",
	"abstract": "abstract", "ab": "abstract", "abstract note": "abstract", "abstracts": "abstract", "n2": "abstract",
	"doi": "doi", "di": "doi", "do": "doi", "digital object identifier": "doi",
	"pmid": "pmid", "pubmed id": "pmid", "pubmed_id": "pmid", "pubmedid": "pmid", "pm": "pmid",
	"authors": "authors", "author": "authors", "author names": "authors", "author full names": "authors", "au": "authors",
	"af": "authors", "author(s)": "authors",
	"year": "year", "publication year": "year", "publication_year": "year", "py": "year", "pubyear": "year", "date": "year",
	"journal": "venue", "source title": "venue", "publication title": "venue", "journal/book": "venue", "so": "venue",
	"source": "venue", "journal title": "venue", "venue": "venue", "t2": "venue", "secondary title": "venue",
	"keywords": "keywords", "author keywords": "keywords", "kw": "keywords", "de": "keywords", "manual tags": "keywords",
	"language": "lang", "la": "lang", "language of original document": "lang",
	"standard_id": "id", "identifier": "id",
}

// readCSV reads CSV (sep ',') or TSV (sep '\t') with a header row. Columns
// are found by name, case-insensitively (title, abstract, doi, pmid,
// authors, year, journal, keywords, language and their usual database
// spellings: see csvColumns). Each data row is one record; its raw bytes are
// the row re-encoded as CSV. A file with none of these columns is a fatal
// error.
//
// CSV is read with encoding/csv and LazyQuotes (fields may span lines). TSV
// is read line by line with no quoting (IANA TSV); a field wrapped whole in
// double quotes is unwrapped.
//
// An identifier column (standard_id, identifier) holding "doi:…" or
// "pmid:…" fills DOI or PMID. This is what the Manubot citations.tsv of
// deep-review holds: each row maps a citation key to a standard identifier
// and has no title or abstract, so each row is a record with a DOI or PMID
// (or an arXiv/URL identifier that peermap does not keep) that is yielded
// with Skip = corpus.SkipEmpty. Rows that repeat a standard identifier
// (several citation keys for one work) are still separate records.
func readCSV(r *utf8Reader, e *emitter, sep rune) error {
	var next func() ([]string, error)
	if sep == ',' {
		cr := csv.NewReader(r)
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = false
		next = func() ([]string, error) {
			for {
				row, err := cr.Read()
				var pe *csv.ParseError
				if errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount) {
					return nil, err
				}
				if err != nil {
					return nil, err
				}
				if !blankRow(row) {
					return row, nil
				}
			}
		}
	} else {
		ls := lines(r)
		next = func() ([]string, error) {
			for {
				line, ok := ls.next()
				if !ok {
					if ls.err != nil {
						return nil, ls.err
					}
					return nil, io.EOF
				}
				row := strings.Split(line, "\t")
				for i, f := range row {
					if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
						row[i] = strings.ReplaceAll(f[1:len(f)-1], `""`, `"`)
					}
				}
				if !blankRow(row) {
					return row, nil
				}
			}
		}
	}
	header, err := next()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.Trim(h, "\ufeff\"")))
		if f, ok := csvColumns[name]; ok {
			if _, seen := cols[f]; !seen {
				cols[f] = i
			}
		}
	}
	if len(cols) == 0 {
		return errors.New("no title, abstract or identifier column in the header")
	}
	get := func(row []string, f string) string {
		i, ok := cols[f]
		if !ok || i >= len(row) {
			return ""
		}
		return row[i]
	}
	for {
		row, err := next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(row)
		w.Flush()
		rc := &rec{
			title:    get(row, "title"),
			abstract: get(row, "abstract"),
			doi:      get(row, "doi"),
			pmid:     get(row, "pmid"),
			lang:     get(row, "lang"),
			venue:    get(row, "venue"),
			year:     year(get(row, "year")),
			authors:  splitAuthors(get(row, "authors")),
		}
		if rc.year == 0 {
			rc.year = year(rc.venue) // Embase: "Endoscopic Ultrasound (2014) 3:3 (152-160)"
		}
		if i := strings.Index(rc.venue, " ("); i > 0 && year(rc.venue[i:]) != 0 {
			rc.venue = rc.venue[:i]
		}
		rc.keywords = splitKeywords(get(row, "keywords"))
		if id := strings.TrimSpace(get(row, "id")); id != "" {
			switch l := strings.ToLower(id); {
			case strings.HasPrefix(l, "doi:") && rc.doi == "":
				rc.doi = id[4:]
			case strings.HasPrefix(l, "pmid:") && rc.pmid == "":
				rc.pmid = id[5:]
			}
		}
		if err := e.emit(buf.Bytes(), rc); err != nil {
			return err
		}
	}
}

func blankRow(row []string) bool {
	for _, f := range row {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// splitAuthors splits an author cell: on ';' when there is one, else on ','
// when every piece has a space ("Liu R., Adler D.G."), else it is one name.
func splitAuthors(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.Contains(s, ";") {
		return strings.Split(s, ";")
	}
	parts := strings.Split(s, ",")
	if len(parts) > 1 {
		for _, p := range parts {
			if !strings.Contains(strings.TrimSpace(p), " ") {
				return []string{s}
			}
		}
		return parts
	}
	return []string{s}
}

// splitKeywords splits a keyword cell on ';' when it has one, else on ','
// outside parentheses ("cyst (diagnosis, surgery), colonoscopy").
// isListSep reports whether c separates the items of a keyword field
// (BibTeX keywords, CSL-JSON keyword).
func isListSep(c rune) bool { return c == ',' || c == ';' }

func splitKeywords(s string) []string {
	if strings.Contains(s, ";") {
		return strings.Split(s, ";")
	}
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth <= 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
