package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
)

// bigInput returns a document of about size bytes in format f: paragraphs
// of prose, wrapped as the format wants.
func bigInput(t *testing.T, f string, size int) []byte {
	t.Helper()
	para := "Peer navigators accompany patients to their appointments and help them find their way through the services. "
	n := size / (len(para) + 16)
	var b bytes.Buffer
	each := func(open, close string) {
		for i := range n {
			fmt.Fprintf(&b, "%s%d. %s%s", open, i, para, close)
		}
	}
	switch f {
	case FormatText:
		each("", "\n\n")
	case FormatMarkdown:
		b.WriteString("# Peer support\n\n")
		each("", "\n\n")
	case FormatHTML:
		b.WriteString("<!DOCTYPE html><html><head><title>Peer support</title></head><body><article>")
		each("<p>", "</p>\n")
		b.WriteString("</article></body></html>")
	case FormatJATS:
		b.WriteString(`<?xml version="1.0"?><article><front><article-meta><title-group><article-title>Peer support</article-title></title-group></article-meta></front><body><sec><title>Results</title>`)
		each("<p>", "</p>\n")
		b.WriteString("</sec></body></article>")
	case FormatTEI:
		b.WriteString(`<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Peer support</title></titleStmt></fileDesc></teiHeader><text><body><div><head>Results</head>`)
		each("<p>", "</p>\n")
		b.WriteString("</div></body></text></TEI>")
	case FormatDOCX:
		var body bytes.Buffer
		body.WriteString(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
		for i := range n {
			fmt.Fprintf(&body, "<w:p><w:r><w:t>%d. %s</w:t></w:r></w:p>\n", i, para)
		}
		body.WriteString("</w:body></w:document>")
		zw := zip.NewWriter(&b)
		w, err := zw.Create("word/document.xml")
		if err == nil {
			_, err = w.Write(body.Bytes())
		}
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("no big input for %s", f)
	}
	return b.Bytes()
}

// extractRunning reports whether a goroutine of this process is still
// inside extract (a non-PDF extractor).
func extractRunning() bool {
	buf := make([]byte, 8<<20)
	n := runtime.Stack(buf, true)
	return bytes.Contains(buf[:n], []byte("ingest.extract("))
}

// TestExtractStops checks that a non-PDF extraction that runs out of time
// is stopped: when extractGuarded returns SkipTimeout, no goroutine is
// still extracting. The extractors used to ignore ctx, and the goroutine
// was left to finish on its own, using a core for as long as it took.
func TestExtractStops(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds 20-40 MB inputs")
	}
	if raceEnabled {
		t.Skip("-race: the race detector slows single calls over 40 MB past the 1 s grace; runs without -race")
	}
	for _, f := range []string{FormatText, FormatMarkdown, FormatHTML, FormatJATS, FormatTEI, FormatDOCX} {
		t.Run(f, func(t *testing.T) {
			size := 40 << 20
			if f == FormatHTML {
				size = 20 << 20
			}
			data := bigInput(t, f, size)
			if extractRunning() {
				t.Fatal("an extraction is running before the test")
			}
			doc := &corpus.Document{Path: "big." + f, Format: f}
			start := time.Now()
			if err := extractGuarded(context.Background(), doc, data, "", Options{Timeout: 5 * time.Millisecond}); err != nil {
				t.Fatalf("extractGuarded: %v", err)
			}
			took := time.Since(start)
			if doc.Skip != corpus.SkipTimeout {
				t.Fatalf("extractGuarded = skip %v %q after %s, want SkipTimeout (%d bytes in 5ms)", doc.Skip, doc.SkipDetail, took, len(data))
			}
			if extractRunning() {
				t.Errorf("extractGuarded returned SkipTimeout after %s but the extraction is still running", took.Round(time.Millisecond))
				for extractRunning() {
					time.Sleep(50 * time.Millisecond) // let it finish before the next case
				}
				return
			}
			t.Logf("%s: %d MB, stopped; extractGuarded returned after %s", f, len(data)>>20, took.Round(time.Millisecond))
		})
	}
}
