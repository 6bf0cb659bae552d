package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/peermap/peermap/pipeline"
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
	paths, err := e.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := f.check(e, paths); err != nil {
		return err
	}
	if len(paths) == 0 {
		return e.demo(ctx, f, rf)
	}
	return e.pipeline(ctx, paths, f, rf)
}

// pipeline runs init, ingest, annotate, index and report.
func (e *env) pipeline(ctx context.Context, paths []string, f ingestFlags, rf reportFlags) error {
	ws, created, err := e.init()
	if err != nil {
		return err
	}
	defer ws.Close()
	if created {
		fmt.Fprintf(e.stderr, "created workspace %s\n", e.dir)
	}
	return e.runOn(ctx, ws, paths, f, rf)
}

// runOn runs ingest, annotate, index and report on an open workspace and
// prints what each did.
func (e *env) runOn(ctx context.Context, ws *pipeline.Workspace, paths []string, f ingestFlags, rf reportFlags) error {
	iopts, flush := f.options(e)
	sum, err := ws.Run(ctx, paths, iopts, rf.options(e))
	flush()
	if sum.Ingest != nil {
		fmt.Fprintf(e.stderr, "ingest: %s\n", sum.Ingest)
	}
	if errors.Is(err, pipeline.ErrNothingIngested) {
		fmt.Fprintf(e.stderr, "peermap run: nothing was ingested from %s: no report written\n", strings.Join(paths, ", "))
		return &silentError{code: 1}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "annotate: %d documents, %d passages, %d annotations (%s)\n", sum.Annotate.Documents, sum.Annotate.Passages, sum.Annotate.Annotations, sum.Annotate.Annotator)
	if sum.IndexHeld != "" {
		fmt.Fprintf(e.stderr, "index: not updated: %s; the server updates it when it starts again, or run 'peermap index' once it has stopped\n", sum.IndexHeld)
	} else {
		printIndexSummary(e.stderr, sum.Index)
	}
	out := e.stdout
	if f.json {
		out = e.stderr // keep stdout pure JSON lines
	}
	fmt.Fprintf(out, "report: %s\n", strings.Join(sum.Reports, " and "))
	if sum.Ingest.Failed > 0 {
		fmt.Fprintf(e.stderr, "%d inputs failed: 'peermap stats -extraction' lists them with their errors\n", sum.Ingest.Failed)
		return &silentError{code: 1}
	}
	return nil
}
