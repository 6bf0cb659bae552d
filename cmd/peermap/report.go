package main

import (
	"context"
	"fmt"

	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/report"
)

const reportHelp = `
Usage: peermap report [flags]

Writes the synthesis report: corpus flow (found, ingested, skipped and why,
duplicates), the label × code matrix per dimension (works and passages),
labels that hide different roles (spread of each label's profile across
works, with contrasting quotes), different labels with the same role
(closest profiles), an evidence table (document × dimension, with
citations) and a method note. Every quote carries its citation and passage
ID. Output is deterministic: the same corpus and codebook give the same
bytes (no timestamp unless -stamp).

By default the report goes to DIR/reports/report.<format> and its path is
printed; -o - writes it to stdout.

Examples:
  peermap report
  peermap report -format html -o synthesis.html
  peermap report -format csv -o tables.csv -by label -min-docs 3
  peermap report -gold gold.jsonl     # adds the annotator's scores to the method note
`

type reportFlags struct {
	format, out, by, gold string
	minDocs, docLinks     int
	stamp                 bool
	passageURL            string
}

func (f *reportFlags) bind(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&f.format, "format", "md", "output `format`: md, html, csv or json")
	fs.StringVar(&f.out, "o", "", "output `file` (- for stdout; default DIR/reports/report.FORMAT)")
	fs.StringVar(&f.by, "by", "family", "rows by label `family` or by canonical label")
	fs.IntVar(&f.minDocs, "min-docs", 2, "labels used in fewer `works` are listed apart")
	fs.IntVar(&f.docLinks, "doc-links", 3, "link codes to labels named elsewhere in the document only in documents of at most `N` passages (-1: never)")
	fs.StringVar(&f.gold, "gold", "", "score the annotator against this gold `file` for the method note")
	fs.BoolVar(&f.stamp, "stamp", false, "print the generation time in the report")
	fs.StringVar(&f.passageURL, "passage-url", "http://localhost:8080/passage/", "link prefix for quotes in HTML (peermap serve)")
}

func (f *reportFlags) options(e *env) pipeline.ReportOptions {
	opts := pipeline.ReportOptions{
		Options: report.Options{By: f.by, MinDocs: f.minDocs, DocLinks: f.docLinks, PassageURL: f.passageURL, Logger: e.log},
		Gold:    f.gold,
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
