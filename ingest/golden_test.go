package ingest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/golden"
)

// TestGoldenDocs extracts each small document in testdata/docs and
// compares the document (with its text) and passages, as JSON, with
// testdata/docs/<name>.golden.json (rewrite with -update and review the diff).
func TestGoldenDocs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "docs", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, ps, err := Bytes(context.Background(), filepath.Base(f), data, Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, f, doc, ps)
			out, err := json.MarshalIndent(struct {
				Doc      *corpus.Document
				Text     string
				Passages []corpus.Passage
			}{doc, doc.Text, ps}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, f+".golden.json", append(out, '\n'))
		})
	}
	if n == 0 {
		t.Fatal("no documents in testdata/docs")
	}
}
