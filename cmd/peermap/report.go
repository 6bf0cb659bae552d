package main

import (
	"context"
	"fmt"

	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/report"
)

const reportHelp = `
Usage: peermap report [flags]

Writes the synthesis report. It opens with Findings in plain sentences:
which configurations (clusters of what works say the peers draw on, do,
where, for whom, how placed) each label names, and which labels each
configuration goes by, with citations and links to quotes. Then the
configurations with their defining codes and a label × configuration
crosswalk, the corpus flow, the label × code matrix per dimension, an
evidence table and a method note. A code counts for a label only when the
text ties them (same sentence, or the label as subject of the sentence
before; work-wide in title+abstract records). Every quote is whole
sentences holding the label and the code's evidence, with its citation
and passage ID. Output is deterministic: the same corpus and codebook give
the same bytes (no timestamp unless -stamp).

By default the report goes to DIR/reports/report.<format> and its path is
printed; -o - writes it to stdout.

Examples:
  peermap report
  peermap report -format html -o synthesis.html
  peermap report -format csv -o tables.csv -by label -min-docs 3
  peermap report -format html -base-url http://localhost:8080/ -min-confidence 0.7
  peermap report -gold gold.jsonl     # adds the annotator's scores to the method note
`

type reportFlags struct {
	format, out, by, gold string
	minDocs               int
	stamp                 bool
	baseURL               string
	minConfidence         float64
}

func (f *reportFlags) bind(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	BoolVar(*bool, string, bool, string)
	Float64Var(*float64, string, float64, string)
}) {
	fs.StringVar(&f.format, "format", "md", "output `format`: md, html, csv or json")
	fs.StringVar(&f.out, "o", "", "output `file` (- for stdout; default DIR/reports/report.FORMAT)")
	fs.StringVar(&f.by, "by", "family", "rows by label `family` or by canonical label")
	fs.IntVar(&f.minDocs, "min-docs", 2, "labels used in fewer `works` are listed apart")
	fs.StringVar(&f.gold, "gold", "", "score the annotator against this gold `file` for the method note")
	fs.BoolVar(&f.stamp, "stamp", false, "print the generation time in the report")
	fs.StringVar(&f.baseURL, "base-url", "", "`URL` of peermap serve for passage links in HTML, e.g. http://localhost:8080/ (default: relative links, right under serve's /report)")
	fs.Float64Var(&f.minConfidence, "min-confidence", report.DefaultMinConfidence, "machine codes of lower `confidence` (a calibrated probability) count for nothing; 0 counts all")
}

func (f *reportFlags) options(e *env) pipeline.ReportOptions {
	opts := pipeline.ReportOptions{
		Options: report.Options{By: f.by, MinDocs: f.minDocs, BaseURL: f.baseURL, MinConfidence: f.minConfidence, Logger: e.log},
		Gold:    f.gold,
	}
	if f.minConfidence == 0 {
		opts.MinConfidence = -1 // report.Options: < 0 keeps every code
	}
	if f.stamp {
		opts.Stamp = e.now()
	}
	return opts
}

func runReport(ctx context.Context, e *env, args []string) error {
	var f reportFlags
	fs := newFlags(e, "report", reportHelp)
	f.bind(fs)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if f.by != "family" && f.by != "label" {
		return usagef("peermap report -by family", "-by %q: want family or label", f.by)
	}
	write, ok := pipeline.ReportFormats[f.format]
	if !ok {
		return usagef("peermap report -format html", "-format %q: want md, html, csv or json", f.format)
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	r, err := ws.Report(ctx, f.options(e))
	if err != nil {
		return err
	}
	if f.out == "-" {
		return write(e.stdout, r)
	}
	path, err := ws.WriteReport(r, f.out, f.format)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, path)
	return nil
}
