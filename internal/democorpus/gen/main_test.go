package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/internal/pdfgen"
)

// TestUpToDate checks that the committed PDFs are what gen writes now, so
// a change to texts.go without `go generate` fails.
func TestUpToDate(t *testing.T) {
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			want, err := render(s)
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join("..", "files", s.name))
			if err != nil {
				t.Fatalf("read committed PDF: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("files/%s is stale: run go generate ./internal/democorpus", s.name)
			}
		})
	}
}

// TestLinesFit checks that every wrapped line stays inside the page's
// margins in Helvetica 10 pt.
func TestLinesFit(t *testing.T) {
	for _, s := range sources {
		for i, p := range s.pages {
			for _, l := range pdfgen.Wrap(p, pdfgen.CharsPerLine) {
				if w := pdfgen.TextWidth(l, 10); w > 483 {
					t.Errorf("%s page %d: line %q is %.0f pt wide, want <= 483", s.name, i+1, l, w)
				}
			}
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, s := range sources {
		if _, err := os.Stat(filepath.Join(dir, s.name)); err != nil {
			t.Errorf("run did not write %s: %v", s.name, err)
		}
	}
	if err := run(filepath.Join(dir, "missing")); err == nil {
		t.Error("run(missing dir) = nil, want an error")
	}
}
