package main

import (
	"context"
	"fmt"

	"github.com/peermap/peermap/report"
)

const demoHelp = `
Usage: peermap demo

Runs the whole pipeline (as 'peermap run') on the embedded example corpus:
short documents in English and French, in HTML, Markdown, text and PDF,
describing invented peer programmes whose labels hide different roles. The
files are written to DIR/demo-corpus/ first, so the report can cite them.
Then it prints where the report is and a few searches to try.

Example:
  peermap -w demo-out demo
`

func runDemo(ctx context.Context, e *env, args []string) error {
	var f ingestFlags
	var rf reportFlags
	fs := newFlags(e, "demo", demoHelp)
	f.bind(fs)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	rf.by, rf.minDocs, rf.minConfidence = "family", 2, report.DefaultMinConfidence
	return e.demo(ctx, f, rf)
}

func (e *env) demo(ctx context.Context, f ingestFlags, rf reportFlags) error {
	ws, created, err := e.init()
	if err != nil {
		return err
	}
	defer ws.Close()
	if created {
		fmt.Fprintf(e.stderr, "created workspace %s\n", e.dir)
	}
	dir, err := ws.DemoCorpus()
	if err != nil {
		return err
	}
	if err := e.runOn(ctx, ws, []string{dir}, f, rf); err != nil {
		return err
	}
	w := e.stdout
	if f.json {
		w = e.stderr
	}
	prog := e.prog
	if prog == "" {
		prog = "peermap"
	}
	fmt.Fprintf(w, `
Try:
  %[2]s -w %[1]s search '"peer navigator"'
  %[2]s -w %[1]s search -lang fr pair aidant
  %[2]s -w %[1]s search -code role.outreach -facets
  %[2]s -w %[1]s stats
  %[2]s -w %[1]s serve
`, e.dir, prog)
	return nil
}
