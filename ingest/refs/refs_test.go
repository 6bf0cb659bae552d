package refs_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/refs"
)

// corpusDir returns ../shared/corpus/<sub> relative to the repository root
// (the test runs in ingest/refs), or skips the test if it is absent.
func corpusDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not found at %s: %v", dir, err)
	}
	return dir
}

// readAll reads every document of a file, failing the test on an error.
func readAll(t testing.TB, path, format string) []*corpus.Document {
	t.Helper()
	return readN(t, path, format, -1)
}

// readN reads the first n documents of a file (all if n < 0).
func readN(t testing.TB, path, format string, n int) []*corpus.Document {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []*corpus.Document
	for d, err := range refs.Read(context.Background(), f, filepath.Base(path), format) {
		if err != nil {
			t.Fatalf("Read(%s): %v", path, err)
		}
		docs = append(docs, d)
		if len(docs) == n {
			break
		}
	}
	return docs
}

func detectFile(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := f.Read(head)
	return refs.Detect(head[:n], filepath.Base(path))
}

// TestMetaCounts reads every file of ../shared/corpus/meta and checks the
// number of records against a count made independently of the parser. The
// commands that gave each count were run in ../shared/corpus/meta:
//
//	RIS:        grep -c '^ER  -' FILE
//	BibTeX:     echo $(( $(grep -ciE '^\s*@' FILE) - $(grep -ciE '^\s*@(string|comment|preamble)' FILE) ))
//	PubMed XML: grep -cE '<PubmedArticle>|<PubmedBookArticle>' FILE
//	MEDLINE:    zcat FILE | grep -c '<MedlineCitation '   (the DeleteCitation block is not a record)
//	EndNote:    grep -c '<record>' FILE
//	ISI:        grep -c '^ER' FILE
//	Ovid:       grep -cE '^<[0-9]+>' FILE
//	nbib:       grep -c '^PMID-' FILE   (NbibImporterTest.nbib)
//	MEDLINE text with records lacking PMID (MedlinePlainImporterTestMultipleEntries.txt):
//	            python3: blocks of re.split(r'\n\s*\n', text) holding a line matching (?m)^[A-Z]{2,4} *-  → 7
//	            (grep -c '^PMID-' gives 5: two records carry only PMC/PMCR; a free-text line is no record)
//	CSV:        python3 csv.reader rows with a non-blank cell, minus the header
//	TSV:        python3: non-blank lines minus the header
//	CSL-JSON:   python3: len(json.load(f)) for an array, 1 for an object
func TestMetaCounts(t *testing.T) {
	dir := corpusDir(t, "meta")
	want := map[string]struct {
		format string
		n      int
	}{
		"asreview_embase.csv":                                {"csv", 6},
		"asreview_embase.ris":                                {"ris", 6},
		"asreview_ovid_psycinfo.ris":                         {"ris", 6},
		"asreview_proquest.ris":                              {"ris", 6},
		"asreview_pubmed_endnote.ris.txt":                    {"ris", 6},
		"asreview_pubmed_zotero.ris":                         {"ris", 6},
		"asreview_scopus.ris":                                {"ris", 6},
		"asreview_web_of_science.ris.txt":                    {"ris", 10},
		"deepreview_citations.tsv":                           {"tsv", 635},
		"deepreview_references.csl.json":                     {"csl-json", 615},
		"jabref_Chocolate.bib":                               {"bibtex", 15},
		"jabref_EndnoteXmlImporterTestArticle2.xml":          {"endnote-xml", 2},
		"jabref_IsiImporterTestWOS.isi":                      {"isi", 2},
		"jabref_MedlineImporterTestArticleItalics.xml":       {"medline-xml", 1},
		"jabref_MedlineImporterTestNbib.xml":                 {"medline-xml", 2},
		"jabref_MedlinePlainImporterTestMultipleEntries.txt": {"nbib", 7},
		"jabref_NbibImporterTest.nbib":                       {"nbib", 1},
		"jabref_OvidImporterTest4.txt":                       {"ovid", 1},
		"jabref_complex.bib":                                 {"bibtex", 20},
		"jabref_jabref-authors.bib":                          {"bibtex", 212},
		"manubot_crossref-deep-review.csl.json":              {"csl-json", 1},
		"manubot_pubmed-scihub-study.csl.json":               {"csl-json", 1},
		"pubmedparser_medline16n0902.xml.gz":                 {"medline-xml", 604},
		"pubmedparser_pubmed-29768149.xml":                   {"medline-xml", 1},
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		name := ent.Name()
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expected count for %s: count its records independently and add it", name)
			}
			path := filepath.Join(dir, name)
			if got := detectFile(t, path); got != w.format {
				t.Errorf("Detect(%s) = %q, want %q", name, got, w.format)
			}
			docs := readAll(t, path, "")
			if len(docs) != w.n {
				t.Errorf("Read(%s) gave %d records, want %d", name, len(docs), w.n)
			}
			for i, d := range docs {
				checkDoc(t, d, name, i+1)
			}
		})
	}
}

// checkDoc checks the invariants every record holds.
func checkDoc(t *testing.T, d *corpus.Document, name string, n int) {
	t.Helper()
	if d.Record != n || d.Source != name || d.Path != name+"#"+itoa(n) || d.Kind != corpus.KindRecord {
		t.Errorf("%s record %d: Record=%d Source=%q Path=%q Kind=%q", name, n, d.Record, d.Source, d.Path, d.Kind)
	}
	if len(d.ID) != 64 {
		t.Errorf("%s record %d: ID %q", name, n, d.ID)
	}
	for _, s := range []string{d.Title, d.Abstract, d.Text, d.Venue, strings.Join(d.Authors, ";")} {
		if !utf8.ValidString(s) {
			t.Errorf("%s record %d: invalid UTF-8 %q", name, n, s)
		}
	}
	if d.Skip == corpus.NotSkipped && d.Title == "" && d.Abstract == "" {
		t.Errorf("%s record %d: no title and abstract but not skipped", name, n)
	}
	if d.DOI != "" && (!strings.HasPrefix(d.DOI, "10.") || strings.ToLower(d.DOI) != d.DOI) {
		t.Errorf("%s record %d: DOI %q not normalised", name, n, d.DOI)
	}
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// TestSynergy reads the five SYNERGY datasets (tar.gz of OpenAlex works
// JSON). Expected counts were made with python3 (tarfile + json.load over
// every member; "with abstract" = abstract_inverted_index not null and not
// empty) and agree with SOURCES.md.
func TestSynergy(t *testing.T) {
	if raceEnabled {
		t.Skip("3,900 records: skipped under -race (see race_test.go)")
	}
	dir := corpusDir(t, "big")
	want := []struct {
		file        string
		n, abstract int
	}{
		{"synergy_Meijboom_2021.works.tar.gz", 882, 825},
		{"synergy_Menon_2022.works.tar.gz", 975, 969},
		{"synergy_Nelson_2002.works.tar.gz", 366, 358},
		{"synergy_Oud_2018.works.tar.gz", 952, 937},
		{"synergy_van_der_Valk_2021.works.tar.gz", 725, 715},
	}
	var mu sync.Mutex
	total := 0
	t.Run("datasets", func(t *testing.T) {
		for _, w := range want {
			t.Run(w.file, func(t *testing.T) {
				t.Parallel()
				path := filepath.Join(dir, w.file)
				if got := detectFile(t, path); got != "tar.gz" {
					t.Errorf("Detect(%s) = %q, want tar.gz", w.file, got)
				}
				docs := readAll(t, path, "")
				abs := 0
				for i, d := range docs {
					checkDoc(t, d, w.file, i+1)
					if d.Format != "openalex" {
						t.Errorf("record %d: Format %q", i+1, d.Format)
					}
					if d.Abstract != "" {
						abs++
					}
				}
				if len(docs) != w.n || abs != w.abstract {
					t.Errorf("Read(%s) = %d records, %d with abstract; want %d, %d", w.file, len(docs), abs, w.n, w.abstract)
				}
				mu.Lock()
				total += len(docs)
				mu.Unlock()
			})
		}
	})
	if total != 3900 {
		t.Errorf("SYNERGY total = %d records, want 3900", total)
	}
}
