package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/ingest/refs"
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
	json     bool
	kind     string
	workers  int
	timeout  time.Duration
	pdftotxt bool
}

func (f *ingestFlags) bind(fs interface {
	BoolVar(*bool, string, bool, string)
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&f.kind, "kind", "", "force document kind: article, grey or record")
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "files extracted at once")
	fs.DurationVar(&f.timeout, "timeout", 60*time.Second, "per-file extraction time limit")
	fs.BoolVar(&f.pdftotxt, "pdftotext", true, "use pdftotext (poppler-utils) as PDF fallback when installed")
}

func runIngest(ctx context.Context, e *env, args []string) error {
	var f ingestFlags
	fs := newFlags(e, "ingest", ingestHelp)
	f.bind(fs)
	fs.BoolVar(&f.json, "json", false, "print one JSON object per input on stdout")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("peermap ingest papers/", "no PATH or URL given")
	}
	if f.kind != "" && !corpus.Kind(f.kind).Valid() {
		return usagef("peermap ingest -kind grey PATH", "-kind %q: want article, grey or record", f.kind)
	}
	s, _, err := e.initStore()
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := e.ingest(ctx, s, paths, f)
	if err != nil {
		return err
	}
	if sum.failed > 0 {
		return &silentError{code: 1}
	}
	return nil
}

// ingestResult is one line of 'ingest -json'.
type ingestResult struct {
	Path       string `json:"path"`
	Status     string `json:"status"`
	Reason     string `json:"reason,omitempty"`
	DocID      string `json:"doc_id,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Lang       string `json:"lang,omitempty"`
	Format     string `json:"format,omitempty"`
	Pages      int    `json:"pages"`
	Passages   int    `json:"passages"`
	Extractor  string `json:"extractor,omitempty"`
	Records    int    `json:"records,omitempty"`
	SkippedRec int    `json:"skipped_records,omitempty"`
}

type ingestSummary struct {
	ingested, skipped, duplicate, failed, records, passages int
	reasons                                                 map[string]int
	added                                                   bool
}

// ingest runs the ingest stage over paths, storing as it goes so that a
// killed run loses at most the files in flight.
func (e *env) ingest(ctx context.Context, s *corpus.Store, paths []string, f ingestFlags) (*ingestSummary, error) {
	log := e.log.Named("ingest")
	started := e.now()
	runN, err := s.BeginRun(corpus.Run{Command: "ingest", Args: paths, Version: versionString(), Started: started})
	if err != nil {
		return nil, err
	}
	var urls, locals []string
	for _, p := range paths {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			urls = append(urls, p)
		} else {
			locals = append(locals, p)
		}
	}
	files, err := ingest.Walk(locals)
	if err != nil {
		return nil, err
	}
	opts := ingest.Options{
		Kind:     corpus.Kind(f.kind),
		Timeout:  f.timeout,
		FetchDir: e.fetchedDir(),
		Logger:   e.log,
		Now:      e.now,
	}
	if !f.pdftotxt {
		opts.PDFToText = "-"
	}
	if e.worker != nil {
		// PDFs go to long-running child processes, one file at a time each.
		opts.Pool = ingest.NewWorkerPool(e.worker, 0)
		defer opts.Pool.Close()
	}
	sum := &ingestSummary{reasons: map[string]int{}}
	bar := e.progress(len(files)+len(urls), "ingest")
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	emit := func(r ingestResult) {
		bar.Add(1)
		switch r.Status {
		case corpus.StatusIngested:
			sum.ingested++
			sum.added = true
		case corpus.StatusSkipped:
			sum.skipped++
			sum.reasons[r.Reason]++
			sum.added = true
		case corpus.StatusDuplicate:
			sum.duplicate++
		case corpus.StatusFailed:
			sum.failed++
			log.Warn("failed", zap.String(corpus.LogKeyPath, r.Path), zap.String(corpus.LogKeyReason, r.Reason))
		}
		sum.records += r.Records
		sum.passages += r.Passages
		if f.json {
			data, _ := json.Marshal(r)
			out.Write(append(data, '\n'))
			out.Flush()
		}
	}

	// Pass 1, in order: decide per file whether it is new, a duplicate, or
	// a reference export (streamed here, in the writer's goroutine).
	type job struct {
		i    int
		path string
		sha  string
		size int64
	}
	var jobs []job
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		sha, size, head, err := hashFile(path)
		if err != nil {
			emit(e.recordFailure(s, runN, path, err))
			continue
		}
		if src, err := s.Source(path); err == nil && src.SHA256 == sha && src.Status != corpus.StatusFailed {
			emit(ingestResult{Path: path, Status: corpus.StatusDuplicate, Reason: "already ingested (same path, same bytes)", DocID: firstDoc(src.Docs)})
			continue
		}
		if format := refs.Detect(head, path); format != "" {
			emit(e.ingestExport(ctx, s, runN, path, sha, size, format, opts))
			continue
		}
		if id := corpus.DocID(sha); s.Has(id) {
			d, _ := s.Document(id)
			r := ingestResult{Path: path, Status: corpus.StatusDuplicate, Reason: "same bytes as " + d.Path, DocID: string(id)}
			s.PutSource(corpus.Source{Path: path, SHA256: sha, Size: size, Format: d.Format, Status: corpus.StatusDuplicate, Reason: r.Reason, Docs: []corpus.DocID{id}, Run: runN, Time: e.now()})
			emit(r)
			continue
		}
		jobs = append(jobs, job{i: len(jobs), path: path, sha: sha, size: size})
	}

	// Pass 2: extract new files with a bounded pool; store and print in input order.
	type done struct {
		doc *corpus.Document
		ps  []corpus.Passage
		err error
	}
	results := make([]chan done, len(jobs))
	for i := range results {
		results[i] = make(chan done, 1)
	}
	workers := max(1, f.workers)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	go func() {
		for _, j := range jobs {
			sem <- struct{}{}
			wg.Add(1)
			go func(j job) {
				defer wg.Done()
				defer func() { <-sem }()
				if ctx.Err() != nil {
					results[j.i] <- done{err: ctx.Err()}
					return
				}
				doc, ps, err := ingest.File(ctx, j.path, opts)
				results[j.i] <- done{doc, ps, err}
			}(j)
		}
	}()
	for _, j := range jobs {
		d := <-results[j.i]
		if errors.Is(d.err, context.Canceled) || ctx.Err() != nil {
			wg.Wait()
			return sum, ctx.Err()
		}
		if d.err != nil {
			emit(e.recordFailure(s, runN, j.path, d.err))
			continue
		}
		emit(e.store(s, runN, j.path, j.sha, j.size, d.doc, d.ps))
	}
	wg.Wait()
	for _, u := range urls {
		doc, ps, err := ingest.URL(ctx, u, opts)
		if err != nil {
			emit(e.recordFailure(s, runN, u, err))
			continue
		}
		if s.Has(doc.ID) {
			emit(ingestResult{Path: u, Status: corpus.StatusDuplicate, Reason: "same bytes already in the corpus", DocID: string(doc.ID)})
			continue
		}
		emit(e.store(s, runN, u, string(doc.ID), doc.Size, doc, ps))
	}
	bar.Finish()
	out.Flush()

	if sum.added {
		if err := e.group(ctx, s); err != nil {
			return sum, err
		}
	}
	counts := map[string]int{"ingested": sum.ingested, "skipped": sum.skipped, "duplicate": sum.duplicate, "failed": sum.failed, "records": sum.records, "passages": sum.passages}
	s.EndRun(corpus.Run{N: runN, Command: "ingest", Args: paths, Version: versionString(), Started: started, Ended: e.now(), Counts: counts})
	fmt.Fprintf(e.stderr, "ingest: %s\n", sum)
	return sum, nil
}

func (s *ingestSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ingested %d, skipped %d", s.ingested, s.skipped)
	if len(s.reasons) > 0 {
		var rs []string
		for r, n := range s.reasons {
			rs = append(rs, fmt.Sprintf("%s %d", r, n))
		}
		slices.Sort(rs)
		fmt.Fprintf(&b, " (%s)", strings.Join(rs, "; "))
	}
	fmt.Fprintf(&b, ", duplicate %d, failed %d", s.duplicate, s.failed)
	if s.records > 0 {
		fmt.Fprintf(&b, "; %d records", s.records)
	}
	fmt.Fprintf(&b, "; %d passages", s.passages)
	return b.String()
}

func firstDoc(ids []corpus.DocID) string {
	if len(ids) == 0 {
		return ""
	}
	return string(ids[0])
}

// hashFile returns the SHA-256 of path (streamed), its size and its first 64 KiB.
func hashFile(path string) (sha string, size int64, head []byte, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", 0, nil, err
	}
	defer fh.Close()
	h := sha256.New()
	var hb bytes.Buffer
	n, err := io.Copy(h, io.TeeReader(io.LimitReader(fh, 64<<10), &hb))
	if err == nil {
		var m int64
		m, err = io.Copy(h, fh)
		n += m
	}
	if err != nil {
		return "", 0, nil, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, hb.Bytes(), nil
}

// store writes an extracted document (ingested or skipped) and its source record.
func (e *env) store(s *corpus.Store, runN int, path, sha string, size int64, doc *corpus.Document, ps []corpus.Passage) ingestResult {
	r := ingestResult{Path: path, DocID: string(doc.ID), Kind: string(doc.Kind), Lang: doc.Lang, Format: doc.Format, Pages: len(doc.Pages), Passages: len(ps), Extractor: doc.Extractor}
	src := corpus.Source{Path: path, SHA256: sha, Size: size, Format: doc.Format, Docs: []corpus.DocID{doc.ID}, Warnings: doc.Warnings, Run: runN, Time: e.now()}
	if doc.Skip != corpus.NotSkipped {
		r.Status, r.Reason, r.Passages = corpus.StatusSkipped, doc.SkipReason(), 0
		ps = nil
	} else {
		r.Status = corpus.StatusIngested
	}
	src.Status, src.Reason = r.Status, r.Reason
	if err := s.PutDocument(doc, ps); err != nil {
		return e.recordFailure(s, runN, path, err)
	}
	if err := s.PutSource(src); err != nil {
		return e.recordFailure(s, runN, path, err)
	}
	e.log.Named("ingest").Debug("stored", zap.String(corpus.LogKeyPath, path), zap.String("status", r.Status), zap.Int("passages", r.Passages))
	return r
}

func (e *env) recordFailure(s *corpus.Store, runN int, path string, err error) ingestResult {
	s.PutSource(corpus.Source{Path: path, Status: corpus.StatusFailed, Reason: err.Error(), Run: runN, Time: e.now()})
	return ingestResult{Path: path, Status: corpus.StatusFailed, Reason: err.Error()}
}

// ingestExport streams the records of a reference export into the store in
// batches; records already held are not stored again.
func (e *env) ingestExport(ctx context.Context, s *corpus.Store, runN int, path, sha string, size int64, format string, opts ingest.Options) ingestResult {
	fh, err := os.Open(path)
	if err != nil {
		return e.recordFailure(s, runN, path, err)
	}
	defer fh.Close()
	r := ingestResult{Path: path, Status: corpus.StatusIngested, Format: format, Kind: string(corpus.KindRecord), Extractor: "refs/" + format}
	src := corpus.Source{Path: path, SHA256: sha, Size: size, Format: format, Run: runN, Time: e.now()}
	var batch []corpus.Entry
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.PutDocuments(batch)
		batch = batch[:0]
		return err
	}
	var recErrs []string
	for doc, err := range refs.Read(ctx, fh, path, format) {
		if err != nil {
			if ctx.Err() != nil {
				return e.recordFailure(s, runN, path, ctx.Err())
			}
			recErrs = append(recErrs, err.Error())
			continue
		}
		r.Records++
		src.Docs = append(src.Docs, doc.ID)
		if doc.Skip != corpus.NotSkipped {
			r.SkippedRec++
			src.Skipped++
		}
		if s.Has(doc.ID) {
			continue
		}
		if opts.Kind != "" {
			doc.Kind = opts.Kind
		}
		if doc.Added.IsZero() {
			doc.Added = e.now()
		}
		if doc.Lang == "" && doc.Skip == corpus.NotSkipped {
			doc.Lang = ingest.DetectLang(doc.Text)
		}
		var ps []corpus.Passage
		if doc.Skip == corpus.NotSkipped {
			ps = ingest.Split(doc, ingest.SplitOptions{})
			r.Passages += len(ps)
		}
		batch = append(batch, corpus.Entry{Doc: doc, Passages: ps})
		if len(batch) >= 500 {
			if err := flush(); err != nil {
				return e.recordFailure(s, runN, path, err)
			}
		}
	}
	if err := flush(); err != nil {
		return e.recordFailure(s, runN, path, err)
	}
	if len(recErrs) > 0 {
		src.Warnings = recErrs
		if r.Records == 0 {
			return e.recordFailure(s, runN, path, errors.New(recErrs[0]))
		}
	}
	if r.Records == 0 {
		r.Status, r.Reason = corpus.StatusSkipped, "reference export with no records"
	}
	src.Status, src.Reason = r.Status, r.Reason
	if len(src.Docs) > 0 {
		r.DocID = string(src.Docs[0])
	}
	if err := s.PutSource(src); err != nil {
		return e.recordFailure(s, runN, path, err)
	}
	return r
}

// group recomputes version groups over the whole corpus.
func (e *env) group(ctx context.Context, s *corpus.Store) error {
	metas, err := s.Documents(ctx)
	if err != nil {
		return err
	}
	docs := make([]*corpus.Document, 0, len(metas))
	for _, m := range metas {
		if m.Skip != corpus.NotSkipped {
			continue
		}
		d, err := s.Document(m.ID)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	groups, err := dedup.Groups(ctx, docs, dedup.Options{Logger: e.log})
	if err != nil {
		return err
	}
	return s.PutGroups(groups)
}

// progress returns a progress bar on stderr when it is a terminal, and a
// silent one otherwise.
func (e *env) progress(n int, what string) *progressbar.ProgressBar {
	if !isTerminal(e.stderr) || n < 2 {
		return progressbar.DefaultSilent(int64(n))
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}
