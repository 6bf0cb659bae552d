package ingest

import (
	"context"
	"io"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/pdf"
)

// A WorkerPool keeps PDF extraction workers running between files; see
// pdf.Pool. Callers of ingest need not import ingest/pdf.
type WorkerPool = pdf.Pool

// NewWorkerPool returns a pool that starts workers with argv (e.g.
// ["/path/peermap", "extract-worker"]) under memoryLimit bytes (0 means
// 2 GiB); see pdf.NewPool.
func NewWorkerPool(argv []string, memoryLimit int64) *WorkerPool {
	return pdf.NewPool(argv, memoryLimit)
}

// Worker is the child side of PDF extraction (`peermap extract-worker`):
// it serves the requests read from r until r ends; see pdf.Worker.
func Worker(ctx context.Context, r io.Reader, w io.Writer) error {
	return pdf.Worker(ctx, r, w)
}

// extractPDF extracts a PDF with ingest/pdf and makes the Result a
// Document. It sets no ID, Path, Kind or Lang; expected conditions are a
// Document with Skip set and a nil error, as for every format.
func extractPDF(ctx context.Context, name string, data []byte, opts Options) (*corpus.Document, error) {
	r, err := pdf.Extract(ctx, name, data, pdf.Options{
		Timeout:     opts.Timeout,
		MemoryLimit: opts.MemoryLimit,
		Worker:      opts.Worker,
		Pool:        opts.Pool,
		PDFToText:   opts.PDFToText,
		Logger:      opts.logger(),
	})
	if err != nil {
		return nil, err
	}
	return &corpus.Document{
		Format:     FormatPDF,
		Size:       int64(len(data)),
		Text:       r.Text,
		Pages:      r.Pages,
		Extractor:  r.Extractor,
		Warnings:   r.Warnings,
		Skip:       r.Skip,
		SkipDetail: r.SkipDetail,
		Title:      r.Title,
		Authors:    r.Authors,
		Year:       r.Year,
		DOI:        r.DOI,
	}, nil
}
