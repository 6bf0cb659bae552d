package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/peermap/peermap/report"
)

const runHelp = `
Usage: peermap run [flags] PATH|URL...

Runs the whole pipeline: creates the workspace if needed, ingests PATH...
(files, folders, URLs, reference exports), annotates new passages, updates
the index and writes the report (Markdown and HTML) to DIR/reports/. Every
stage is incremental: running it again on the same inputs adds nothing.
With no PATH it runs on the embedded example corpus (as 'peermap demo').

The exit code is 1 if any file failed (skipped files are not failures: their
reasons are listed in the report and by 'peermap stats').

Examples:
  peermap -w review run ~/review/pdfs ~/review/exports
  peermap run -json papers/ > ingest.jsonl
`

func runRun(ctx context.Context, e *env, args []string) error {
	var f ingestFlags
	var rf reportFlags
	fs := newFlags(e, "run", runHelp)
	f.bind(fs)
	fs.BoolVar(&f.json, "json", false, "print one JSON object per input on stdout (as ingest -json)")
	fs.StringVar(&rf.by, "by", "family", "report rows by label `family` or by canonical label")
	fs.IntVar(&rf.minDocs, "min-docs", 2, "labels used in fewer `works` are listed apart in the report")
	fs.StringVar(&rf.gold, "gold", "", "score the annotator against this gold `file` for the report's method note")
	fs.Float64Var(&rf.minConfidence, "min-confidence", report.DefaultMinConfidence, "report: machine codes of lower `confidence` count for nothing; 0 counts all")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return e.demo(ctx, f, rf)
	}
	return e.pipeline(ctx, paths, f, rf)
}

// pipeline runs init, ingest, annotate, index and report.
func (e *env) pipeline(ctx context.Context, paths []string, f ingestFlags, rf reportFlags) error {
	s, created, err := e.initStore()
	if err != nil {
		return err
	}
	defer s.Close()
	if created {
		fmt.Fprintf(e.stderr, "created workspace %s\n", e.dir)
	}
	sum, err := e.ingest(ctx, s, paths, f)
	if err != nil {
		return err
	}
	if _, err := e.annotate(ctx, s, false); err != nil {
		return err
	}
	if err := e.index(ctx, s); err != nil {
		return err
	}
	var written []string
	for _, format := range []string{"md", "html"} {
		rf.format = format
		r, err := e.buildReport(ctx, s, rf)
		if err != nil {
			return err
		}
		path, err := e.writeReport(r, "", format, reportWriters[format])
		if err != nil {
			return err
		}
		written = append(written, path)
	}
	out := e.stdout
	if f.json {
		out = e.stderr // keep stdout pure JSON lines
	}
	fmt.Fprintf(out, "report: %s\n", strings.Join(written, " and "))
	if sum.failed > 0 {
		fmt.Fprintf(e.stderr, "%d inputs failed: 'peermap stats -extraction' lists them with their errors\n", sum.failed)
		return &silentError{code: 1}
	}
	return nil
}
