package ingest

import (
	"context"
	"os"
	"testing"
)

// readAll reads the files of shared corpus folders for a benchmark.
func readAll(b *testing.B, subs ...string) (names []string, data [][]byte, total int64) {
	b.Helper()
	for _, f := range corpusFiles(b, subs...) {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		names, data = append(names, f), append(data, d)
		total += int64(len(d))
	}
	return names, data, total
}

func benchBytes(b *testing.B, subs ...string) {
	names, data, total := readAll(b, subs...)
	ctx := context.Background()
	b.SetBytes(total)
	b.ReportAllocs()
	passages := 0
	for b.Loop() {
		passages = 0
		for i := range data {
			_, ps, err := Bytes(ctx, names[i], data[i], Options{})
			if err != nil {
				b.Fatal(err)
			}
			passages += len(ps)
		}
	}
	b.ReportMetric(float64(len(data))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(passages), "passages")
}

// BenchmarkHTML ingests every saved web page of the shared corpus.
func BenchmarkHTML(b *testing.B) { benchBytes(b, "html") }

// BenchmarkWebEval ingests the 465 pages of the web main-text benchmark.
func BenchmarkWebEval(b *testing.B) { benchBytes(b, "webeval/pages") }

// BenchmarkJATS ingests every JATS article of the shared corpus.
func BenchmarkJATS(b *testing.B) { benchBytes(b, "jats") }

// BenchmarkTEI ingests every GROBID TEI file of the peer corpus.
func BenchmarkTEI(b *testing.B) { benchBytes(b, "peer/tei") }

// BenchmarkText ingests the text and Markdown files of the peer corpus.
func BenchmarkText(b *testing.B) { benchBytes(b, "peer/text") }

// BenchmarkSplit splits the longest TEI article of the peer corpus.
func BenchmarkSplit(b *testing.B) {
	dir := sharedCorpus(b, "peer/tei")
	doc, _, err := File(context.Background(), dir+"/lindson-nd-motivational-interviewing-peer-educators.tei.xml", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc.Text)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(Split(doc, SplitOptions{}))
	}
	b.ReportMetric(float64(n), "passages")
}
