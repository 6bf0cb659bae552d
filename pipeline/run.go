package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/democorpus"
)

// A RunSummary says what Run did.
type RunSummary struct {
	Ingest   *IngestSummary
	Annotate AnnotateSummary
	Index    IndexSummary
	// IndexHeld says why the index was not updated: another process (peermap
	// serve) holds it; "" when it was.
	IndexHeld string
	Reports   []string // paths of the reports written
}

// Run ingests paths, annotates what is new, brings the index up to date and
// writes the report in each of formats (default md and html) to the
// workspace's reports folder. When no input ends ingested or duplicate, it
// stops after ingesting with ErrNothingIngested and writes no report.
func (w *Workspace) Run(ctx context.Context, paths []string, iopts IngestOptions, ropts ReportOptions, formats ...string) (*RunSummary, error) {
	sum := &RunSummary{}
	var err error
	if sum.Ingest, err = w.Ingest(ctx, paths, iopts); err != nil {
		return sum, err
	}
	if sum.Ingest.Empty() {
		return sum, ErrNothingIngested
	}
	if sum.Annotate, err = w.Annotate(ctx, false); err != nil {
		return sum, err
	}
	switch sum.Index, err = w.Index(ctx); {
	case errors.Is(err, corpus.ErrLocked):
		// peermap serve holds the index and brings it up to date when it
		// starts; the report is built from the store, not the index.
		sum.IndexHeld = err.Error()
	case err != nil:
		return sum, err
	}
	r, err := w.Report(ctx, ropts)
	if err != nil {
		return sum, err
	}
	if len(formats) == 0 {
		formats = []string{"md", "html"}
	}
	for _, format := range formats {
		path, err := w.WriteReport(r, "", format)
		if err != nil {
			return sum, err
		}
		sum.Reports = append(sum.Reports, path)
	}
	return sum, nil
}

// DemoCorpus writes the embedded example corpus into the workspace's
// demo-corpus folder (files that already hold the same bytes are left
// untouched) and returns the folder.
func (w *Workspace) DemoCorpus() (string, error) {
	dir := filepath.Join(w.Dir(), "demo-corpus")
	src := democorpus.FS()
	err := fs.WalkDir(src, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, path)
		if err != nil {
			return err
		}
		if old, err := os.ReadFile(target); err == nil && bytes.Equal(old, data) {
			return nil
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return fmt.Errorf("write demo corpus: %w", err)
		}
		return nil
	})
	return dir, err
}
