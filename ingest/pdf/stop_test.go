package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
)

// pdfTestFlateDoc builds a one-page PDF (font F1, Helvetica) whose content
// stream is content, Flate-compressed, with a correct cross-reference table.
func pdfTestFlateDoc(t testing.TB, content func(w *zlib.Writer) error) []byte {
	t.Helper()
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err := content(zw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String()),
	}
	return pdfTestFile(objs)
}

// repeat writes s n times to w.
func repeat(w *zlib.Writer, s string, n int) error {
	chunk := []byte(strings.Repeat(s, max(1, (64<<10)/len(s))))
	per := len(chunk) / len(s)
	for done := 0; done < n; done += per {
		k := min(per, n-done)
		if _, err := w.Write(chunk[:k*len(s)]); err != nil {
			return err
		}
	}
	return nil
}

// extracting reports whether a goroutine of this process is still inside
// pdfExtract (an in-process extraction).
func extracting() bool {
	buf := make([]byte, 8<<20)
	n := runtime.Stack(buf, true)
	return bytes.Contains(buf[:n], []byte("ingest/pdf.pdfExtract("))
}

// TestExtractStops checks that an in-process extraction that runs out of
// time is stopped, not left running: when Extract returns SkipTimeout, no
// goroutine is still extracting. Each file keeps the interpreter busy where
// it used to check nothing: a 3-million-glyph string shown glyph by glyph,
// and 200 MB of comment that only the library's tokenizer reads.
func TestExtractStops(t *testing.T) {
	if raceEnabled {
		t.Skip("-race: the race detector slows the interpreter's loops past the 1 s grace; runs without -race")
	}
	tests := []struct {
		name    string
		content func(w *zlib.Writer) error
	}{
		{"glyph by glyph", func(w *zlib.Writer) error {
			fmt.Fprint(w, "BT /F1 1 Tf 50 Tc 72 720 Td (")
			if err := repeat(w, "a", 3_000_000); err != nil {
				return err
			}
			_, err := fmt.Fprint(w, ") Tj ET")
			return err
		}},
		{"comment", func(w *zlib.Writer) error {
			fmt.Fprint(w, "BT /F1 11 Tf 72 720 Td (x) Tj ET\n%")
			return repeat(w, "x", 200<<20)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := pdfTestFlateDoc(t, tt.content)
			if extracting() {
				t.Fatal("an extraction is running before the test")
			}
			start := time.Now()
			doc, err := Extract(context.Background(), tt.name+".pdf", data, Options{Timeout: 20 * time.Millisecond, PDFToText: "-"})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if doc.Skip != corpus.SkipTimeout {
				t.Fatalf("Extract = skip %v %q, want SkipTimeout (the file takes longer than 20ms)", doc.Skip, doc.SkipDetail)
			}
			if extracting() {
				t.Errorf("Extract returned SkipTimeout after %s but the extraction is still running", time.Since(start).Round(time.Millisecond))
			}
		})
	}
}
