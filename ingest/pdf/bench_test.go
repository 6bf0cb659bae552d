package pdf

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/peermap/peermap/corpus"
)

// pdfBenchFiles returns the text PDFs of the corpus (those pdfWant expects
// to be extracted), their bytes and their total page count.
func pdfBenchFiles(b *testing.B) (paths []string, data [][]byte, pages int) {
	b.Helper()
	for _, f := range pdfCorpusFiles(b) {
		w, ok := pdfWant[filepath.Base(f)]
		if !ok || w.skip != corpus.NotSkipped {
			continue
		}
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		paths = append(paths, f)
		data = append(data, d)
		pages += w.pages
	}
	return paths, data, pages
}

// pdfParallel runs do(i) for i in [0, n) on two goroutines.
func pdfParallel(n int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				do(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// BenchmarkPDF extracts all text PDFs of the corpus with two workers and
// reports pages/s. "inprocess" runs two goroutines in this process (the
// Options.Worker == nil path); "worker" starts a child process per file, two
// at a time, the child being this test binary; "pool" keeps two such
// children running between files (the path `peermap ingest` uses). Run it with BenchmarkPdftotext in the same invocation to compare:
//
//	go test ./ingest -run '^$' -bench 'PDF|Pdftotext' -benchtime 3x
func BenchmarkPDF(b *testing.B) {
	_, data, pages := pdfBenchFiles(b)
	run := func(b *testing.B, opts Options) {
		b.ReportAllocs()
		for b.Loop() {
			pdfParallel(len(data), func(i int) {
				doc, err := Extract(context.Background(), "bench.pdf", data[i], opts)
				if err != nil || doc.Skip != corpus.NotSkipped {
					b.Errorf("extractPDF: %v %v", err, doc)
				}
			})
		}
		b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
	}
	b.Run("inprocess", func(b *testing.B) { run(b, Options{}) })
	b.Run("worker", func(b *testing.B) {
		b.Setenv(pdfTestWorkerEnv, "1")
		run(b, Options{Worker: pdfTestWorker()})
	})
	b.Run("pool", func(b *testing.B) {
		b.Setenv(pdfTestWorkerEnv, "1")
		p := NewPool(pdfTestWorker(), 0)
		defer p.Close()
		run(b, Options{Pool: p})
	})
}

// BenchmarkPdftotext runs pdftotext (reading order, as our fallback does)
// over the same files, two processes at a time, and reports pages/s.
func BenchmarkPdftotext(b *testing.B) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		b.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	paths, _, pages := pdfBenchFiles(b)
	b.ReportAllocs()
	for b.Loop() {
		pdfParallel(len(paths), func(i int) {
			cmd := exec.Command(bin, "-q", "-enc", "UTF-8", paths[i], "-")
			cmd.Stdout = io.Discard
			if err := cmd.Run(); err != nil {
				b.Errorf("pdftotext %s: %v", paths[i], err)
			}
		})
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
}
