package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/atomicfile"
	"github.com/peermap/peermap/report"
)

// ReportOptions control Report: the report's own options plus a gold file
// whose scores go into the method note.
type ReportOptions struct {
	report.Options
	Gold string // gold file (JSONL) to score the annotator against; "" for none
}

// ReportFormats maps each report format to its writer.
var ReportFormats = map[string]func(io.Writer, *report.Report) error{
	"md": report.Markdown, "html": report.HTML, "csv": report.CSV, "json": report.JSON,
}

// ReportInput gathers what the report needs from the store.
func (w *Workspace) ReportInput(ctx context.Context) (report.Input, error) {
	in := report.Input{Vocab: w.Codebook().Vocabulary(), Annotator: w.Annotator()}
	docs, err := w.store.Documents(ctx)
	if err != nil {
		return in, err
	}
	in.Docs = docs
	for _, d := range docs {
		if d.Skip != corpus.NotSkipped {
			continue
		}
		vs, err := w.store.Views(d.ID)
		if err != nil {
			return in, err
		}
		in.Views = append(in.Views, vs...)
	}
	if in.Sources, err = w.store.Sources(); err != nil {
		return in, err
	}
	if in.Groups, err = w.store.Groups(); err != nil {
		return in, err
	}
	return in, nil
}

// Report builds the synthesis report of the workspace.
func (w *Workspace) Report(ctx context.Context, opts ReportOptions) (*report.Report, error) {
	in, err := w.ReportInput(ctx)
	if err != nil {
		return nil, err
	}
	if opts.Gold != "" {
		res, err := EvalGold(ctx, w.Codebook(), opts.Gold, w.log, EvalOptions{})
		if err != nil {
			return nil, err
		}
		sum := res.Summary()
		in.Eval = &sum
	}
	if opts.Logger == nil {
		opts.Logger = w.log
	}
	return report.Build(ctx, in, opts.Options)
}

// WriteReport writes r in format to path ("" means the workspace's
// reports/report.FORMAT) atomically and returns the path written.
func (w *Workspace) WriteReport(r *report.Report, path, format string) (string, error) {
	write, ok := ReportFormats[format]
	if !ok {
		return "", fmt.Errorf("report format %q: want md, html, csv or json", format)
	}
	if path == "" {
		path = filepath.Join(w.ReportDir(), "report."+format)
	}
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		return "", fmt.Errorf("write report: %w", err)
	}
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		return "", fmt.Errorf("write report %s: %w", path, err)
	}
	return path, nil
}

// ReadGold reads a gold file (JSONL).
func ReadGold(path string) ([]annotate.Gold, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	g, err := annotate.ReadGold(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// WriteReportTo builds the report and writes it in format to out.
func (w *Workspace) WriteReportTo(ctx context.Context, out io.Writer, format string, opts ReportOptions) error {
	write, ok := ReportFormats[format]
	if !ok {
		return fmt.Errorf("report format %q: want md, html, csv or json", format)
	}
	r, err := w.Report(ctx, opts)
	if err != nil {
		return err
	}
	return write(out, r)
}
