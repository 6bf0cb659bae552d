package refs_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/refs"
)

// seed adds the first 4 KiB of each named real file
// (gunzipped if need be) to f; files that are absent are skipped.
func seed(f *testing.F, dir string, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", dir, n))
		if err != nil {
			continue
		}
		if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				b, _ = io.ReadAll(io.LimitReader(zr, 64<<10))
			}
		}
		f.Add(b[:min(len(b), 4096)])
		if len(b) <= 4<<10 {
			f.Add(b)
		}
	}
}

// fuzzRead reads b as format and checks the invariants: no panic, no hang
// (10 s), every yielded document is a numbered record with valid UTF-8 text.
func fuzzRead(t *testing.T, b []byte, format string) {
	done := make(chan string, 1)
	go func() { done <- fuzzReadCheck(b, format) }()
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Read(%q, %s) hangs", b, format)
	}
}

func fuzzReadCheck(b []byte, format string) string {
	t := &checker{}
	fuzzReadBody(t, b, format)
	return t.msg
}

// checker collects the first failure of fuzzReadBody, which runs on its own
// goroutine (where t.Fatal must not be called).
type checker struct{ msg string }

func (c *checker) Fatalf(format string, args ...any) {
	if c.msg == "" {
		c.msg = fmt.Sprintf(format, args...)
	}
}

func fuzzReadBody(t *checker, b []byte, format string) {
	n := 0
	for d, err := range refs.Read(context.Background(), bytes.NewReader(b), "fuzz", format) {
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz") {
				t.Fatalf("error does not name the file: %v", err)
				return
			}
			continue
		}
		n++
		if d.Record != n || d.Kind != corpus.KindRecord || len(d.ID) != 64 {
			t.Fatalf("record %d: Record=%d Kind=%q ID=%q", n, d.Record, d.Kind, d.ID)
			return
		}
		for _, s := range append([]string{d.Title, d.Abstract, d.Text, d.Venue, d.DOI, d.PMID, d.Lang}, append(d.Authors, d.Keywords...)...) {
			if !utf8.ValidString(s) {
				t.Fatalf("record %d: invalid UTF-8 %q", n, s)
				return
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
				t.Fatalf("record %d: control character in %q", n, s)
				return
			}
		}
		if d.Skip == corpus.NotSkipped && d.Title == "" && d.Abstract == "" {
			t.Fatalf("record %d: empty but not skipped", n)
			return
		}
	}
}

func FuzzRIS(f *testing.F) {
	seed(f, "meta", "asreview_embase.ris", "asreview_ovid_psycinfo.ris", "asreview_proquest.ris", "asreview_pubmed_endnote.ris.txt",
		"asreview_pubmed_zotero.ris", "asreview_scopus.ris", "asreview_web_of_science.ris.txt")
	f.Add([]byte("TY  - JOUR\r\nTI  - A\r\n  continued\r\nER  -\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "ris") })
}

func FuzzBibTeX(f *testing.F) {
	seed(f, "meta", "jabref_Chocolate.bib", "jabref_complex.bib", "jabref_jabref-authors.bib")
	f.Add([]byte(`@string{j = "J. " # {Med}} @article{k, title = {{\"O}ber \'{e}t\'e}, journal = j # " X", year = 2001}`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "bibtex") })
}

func FuzzCSL(f *testing.F) {
	seed(f, "meta", "deepreview_references.csl.json", "manubot_crossref-deep-review.csl.json", "manubot_pubmed-scihub-study.csl.json")
	f.Add([]byte(`{"title":["A"],"issued":{"date-parts":[["2001"]]},"author":[{"literal":"X"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "csl-json") })
}

func FuzzMedline(f *testing.F) {
	seed(f, "meta", "jabref_MedlineImporterTestArticleItalics.xml", "jabref_MedlineImporterTestNbib.xml",
		"pubmedparser_pubmed-29768149.xml", "pubmedparser_medline16n0902.xml.gz")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "medline-xml") })
}

func FuzzNbib(f *testing.F) {
	seed(f, "meta", "jabref_NbibImporterTest.nbib", "jabref_MedlinePlainImporterTestMultipleEntries.txt")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "nbib") })
}

func FuzzEndNote(f *testing.F) {
	seed(f, "meta", "jabref_EndnoteXmlImporterTestArticle2.xml")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "endnote-xml") })
}

func FuzzISI(f *testing.F) {
	seed(f, "meta", "jabref_IsiImporterTestWOS.isi")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "isi") })
}

func FuzzOvid(f *testing.F) {
	seed(f, "meta", "jabref_OvidImporterTest4.txt")
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, "ovid") })
}

func FuzzCSV(f *testing.F) {
	seed(f, "meta", "asreview_embase.csv", "deepreview_citations.tsv")
	f.Add([]byte("Title\tAbstract\tDOI\n\"a\"\tb\tdoi:10.1/x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRead(t, b, "csv")
		fuzzRead(t, b, "tsv")
	})
}

func FuzzOpenAlex(f *testing.F) {
	seed(f, "big", "synergy_Nelson_2002.works.tar.gz") // the gzip head: a tar header then JSON
	f.Add([]byte(`[{"title":"T","abstract_inverted_index":{"b":[1],"a":[0,2]},"ids":{"pmid":"https://pubmed.ncbi.nlm.nih.gov/1"}}]`))
	f.Add([]byte(`{"results":[{"display_name":"T","publication_year":2020}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Members of the tar start after a 512-byte header.
		if i := bytes.IndexAny(b, "[{"); i > 0 && i < 1024 {
			b = b[i:]
		}
		fuzzRead(t, b, "openalex")
	})
}

func FuzzDetect(f *testing.F) {
	entries, _ := os.ReadDir(filepath.Join("..", "..", "..", "shared", "corpus", "meta"))
	for _, e := range entries {
		seed(f, "meta", e.Name())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		format := refs.Detect(b, "fuzz.txt")
		if format == "" {
			return
		}
		// Whatever Detect says, Read must cope.
		fuzzRead(t, b, format)
		fuzzRead(t, b, "")
	})
}
