package refs_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/ingest/refs"
)

// BenchmarkReadSynergy parses the five SYNERGY datasets (3,900 OpenAlex
// works, read from memory) and reports records/s for parsing alone.
func BenchmarkReadSynergy(b *testing.B) {
	dir := corpusDir(b, "big")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.works.tar.gz"))
	if len(paths) == 0 {
		b.Skip("no SYNERGY datasets")
	}
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i, data := range files {
			for _, err := range refs.Read(context.Background(), bytes.NewReader(data), paths[i], "") {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkReadMedline parses the 604-record MEDLINE XML file (gzip).
func BenchmarkReadMedline(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir(b, "meta"), "pubmedparser_medline16n0902.xml.gz"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, err := range refs.Read(context.Background(), bytes.NewReader(data), "medline16n0902.xml.gz", "") {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkReadText parses every line-based and BibTeX export of
// ../shared/corpus/meta (RIS, nbib, ISI, Ovid, BibTeX, CSV, TSV: the
// readers that go through the line and record limits).
func BenchmarkReadText(b *testing.B) {
	dir := corpusDir(b, "meta")
	var names []string
	var files [][]byte
	for _, pat := range []string{"*.ris", "*.ris.txt", "*.nbib", "*.isi", "*.bib", "*.csv", "*.tsv", "jabref_OvidImporterTest4.txt", "jabref_MedlinePlainImporterTestMultipleEntries.txt"} {
		paths, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			names, files = append(names, p), append(files, data)
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i, data := range files {
			for _, err := range refs.Read(context.Background(), bytes.NewReader(data), names[i], "") {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
