package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/pipeline"
)

const ingestHelp = `
Usage: peermap ingest [flags] PATH|URL...

Adds files, folders (recursively) and URLs to the corpus: PDF, HTML, JATS and
TEI XML, DOCX, text and Markdown, and reference exports (RIS, BibTeX,
CSL-JSON, MEDLINE XML, PubMed nbib, EndNote XML, Web of Science, CSV/TSV,
OpenAlex/SYNERGY JSON, and .tar.gz/.zip/.gz archives of them). Formats are
detected by content. Each input ends ingested, skipped with a reason,
duplicate (same bytes already in the corpus) or failed; re-ingesting the same
files adds nothing. After ingesting, duplicates and versions of the same
work are grouped (nothing is deleted).

With -json, one JSON object per input is printed on stdout:
  {"path","status","reason","doc_id","kind","lang","pages","passages","extractor"}
(exports also give "records" and "skipped_records").

Examples:
  peermap ingest ~/review/pdfs ~/review/exports/scopus.ris
  peermap ingest -kind grey https://example.org/report.html
  peermap ingest -json papers/ | jq -r 'select(.status=="skipped") | [.path,.reason] | @tsv'
`

type ingestFlags struct {
	exclude  multiFlag
	json     bool
	kind     string
	workers  int
	timeout  time.Duration
	pdftotxt bool
}

func (f *ingestFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.kind, "kind", "", "force document kind: article, grey or record")
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "files extracted at once")
	fs.DurationVar(&f.timeout, "timeout", 60*time.Second, "per-file extraction time limit")
	fs.BoolVar(&f.pdftotxt, "pdftotext", true, "use pdftotext (poppler-utils) as PDF fallback when installed")
	fs.Var(&f.exclude, "exclude", "leave out files matching this `pattern` (.gitignore syntax, repeatable; a .peermapignore file in a folder does the same)")
}

// check checks the flags and the inputs before anything is written: every
// local path must exist.
func (f *ingestFlags) check(e *env, paths []string) error {
	if f.kind != "" && !corpus.Kind(f.kind).Valid() {
		return usagef("peermap ingest -kind grey PATH", "-kind %q: want article, grey or record", f.kind)
	}
	for _, p := range paths {
		if ingest.IsURL(p) {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return &usageError{msg: p + ": no such file or folder"}
			}
			return &usageError{msg: fmt.Sprintf("%s: %v", p, err)}
		}
	}
	n, err := pipeline.CountInputs(paths, f.exclude)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(e.stderr, "peermap: no files to ingest in %s (empty, or every file excluded)\n", strings.Join(paths, ", "))
		return &silentError{code: 1}
	}
	return nil
}

// options returns the pipeline's ingest options; with -json each result is
// printed on stdout as soon as it is settled.
func (f *ingestFlags) options(e *env) (pipeline.IngestOptions, func()) {
	opts := pipeline.IngestOptions{Kind: corpus.Kind(f.kind), Workers: f.workers, Timeout: f.timeout, NoPDFText: !f.pdftotxt, Exclude: f.exclude}
	if !f.json {
		return opts, func() {}
	}
	out := bufio.NewWriter(e.stdout)
	opts.OnResult = func(r pipeline.IngestResult) {
		data, _ := json.Marshal(r)
		out.Write(append(data, '\n'))
		out.Flush()
	}
	return opts, func() { out.Flush() }
}

func runIngest(ctx context.Context, e *env, args []string) error {
	var f ingestFlags
	fs := newFlags(e, "ingest", ingestHelp)
	f.bind(fs)
	fs.BoolVar(&f.json, "json", false, "print one JSON object per input on stdout")
	paths, err := e.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("peermap ingest papers/", "no PATH or URL given")
	}
	if err := f.check(e, paths); err != nil {
		return err
	}
	ws, _, err := e.init()
	if err != nil {
		return err
	}
	defer ws.Close()
	opts, flush := f.options(e)
	sum, err := ws.Ingest(ctx, paths, opts)
	flush()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "ingest: %s\n", sum)
	if sum.Empty() {
		fmt.Fprintf(e.stderr, "peermap ingest: nothing was ingested from %s\n", strings.Join(paths, ", "))
		return &silentError{code: 1}
	}
	if sum.Failed > 0 {
		return &silentError{code: 1}
	}
	return nil
}
