package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/peermap/peermap/pipeline"
)

// runProfile runs the pipeline stages in this process over the corpus, one
// CPU profile per stage (ingest.pprof, annotate.pprof, index.pprof,
// report.pprof, search.pprof) in the output folder.
func runProfile(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	out := fs.String("o", "profiles", "output `folder` for the profiles and the workspace")
	workers := fs.Int("workers", 2, "files extracted at once")
	fs.Bool("mem", false, "also write each stage's allocations (NAME.heap, cumulative from the start)")
	worker := fs.String("worker", "", "peermap `binary` for PDF extraction workers (default: extract in this process, so PDF parsing shows in the profile)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{defaultCorpus()}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	ws := filepath.Join(*out, "ws")
	if err := os.RemoveAll(ws); err != nil {
		return err
	}
	opts := pipeline.Options{Dir: ws}
	if *worker != "" {
		opts.Worker = []string{*worker, "extract-worker"}
	}
	w, _, err := pipeline.Init(opts)
	if err != nil {
		return err
	}
	defer w.Close()
	memprof := fs.Lookup("mem").Value.String() == "true"
	stage := func(name string, fn func() error) error {
		if memprof {
			runtime.GC()
			defer func() {
				if f, err := os.Create(filepath.Join(*out, name+".heap")); err == nil {
					pprof.Lookup("allocs").WriteTo(f, 0)
					f.Close()
				}
			}()
		}
		f, err := os.Create(filepath.Join(*out, name+".pprof"))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		start := time.Now()
		err = fn()
		pprof.StopCPUProfile()
		fmt.Fprintf(stdout, "%-9s %8.2f s\n", name, time.Since(start).Seconds())
		return err
	}
	if err := stage("ingest", func() error {
		_, err := w.Ingest(ctx, paths, pipeline.IngestOptions{Workers: *workers})
		return err
	}); err != nil {
		return err
	}
	if err := stage("annotate", func() error { _, err := w.Annotate(ctx, false); return err }); err != nil {
		return err
	}
	if err := stage("index", func() error { _, err := w.Index(ctx); return err }); err != nil {
		return err
	}
	return stage("report", func() error { _, err := w.Report(ctx, pipeline.ReportOptions{}); return err })
}
