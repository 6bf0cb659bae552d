package pdf

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
)

// FuzzPDF feeds arbitrary bytes to the in-process extractor (recover and a
// 10 s timeout around the whole extraction, pdftotext off so that only our
// code and ledongthuc/pdf run). Invariants: no panic escapes, no hang, an
// error is never returned for bad input (it is a Skip), and extracted text
// is valid UTF-8 with page ranges inside it.
//
// Seeds: a built one-page PDF, corpus PDFs under 300 KB and truncated
// copies of them, plus testdata/fuzz/FuzzPDF.
func FuzzPDF(f *testing.F) {
	f.Add(pdfTestDoc([]string{"Peer support workers share lived experience."}))
	f.Add([]byte("%PDF-2.0\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF"))
	files, _ := filepath.Glob(filepath.Join(pdfCorpusDir, "*.pdf"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 300<<10 {
			continue
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(data[:len(data)*9/10])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{PDFToText: "-", Timeout: 10 * time.Second}
		doc, err := Extract(context.Background(), "fuzz.pdf", data, opts)
		if err != nil {
			t.Fatalf("extractPDF returned an error for bad input: %v", err)
		}
		switch doc.Skip {
		case corpus.SkipTimeout:
			t.Fatalf("extraction hung: %s", doc.SkipDetail)
		case corpus.SkipFailed:
			// A panic reached the document-level recover: every library
			// call that can panic should sit under a narrower one.
			t.Fatalf("extraction panicked: %s", doc.SkipDetail)
		}
		if !utf8.ValidString(doc.Text) {
			t.Fatal("text is not valid UTF-8")
		}
		for _, p := range doc.Pages {
			if p.Start < 0 || p.End < p.Start || p.End > len(doc.Text) {
				t.Fatalf("page %+v outside text of %d bytes", p, len(doc.Text))
			}
		}
	})
}
