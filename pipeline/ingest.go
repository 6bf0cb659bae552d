package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/ingest/refs"
)

// IngestOptions control Ingest. The zero value works.
type IngestOptions struct {
	Kind      corpus.Kind   // force this kind on every document; "" infers it
	Workers   int           // files extracted at once; <= 0 means 1
	Timeout   time.Duration // per-file extraction time limit; 0 means ingest's default
	NoPDFText bool          // never fall back to pdftotext
	Exclude   []string      // patterns of files to leave out, .gitignore syntax (see ingest.WalkOptions)
	// OnResult, when set, is called once per input, in input order, as soon
	// as the input is settled (stored, skipped, duplicate or failed).
	OnResult func(IngestResult)
}

// An IngestResult is what became of one input. It is also the line that
// 'peermap ingest -json' prints.
type IngestResult struct {
	Path       string `json:"path"`
	Status     string `json:"status"` // corpus.StatusIngested, StatusSkipped, StatusDuplicate or StatusFailed
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

// An IngestSummary counts the results of one Ingest.
type IngestSummary struct {
	Ingested, Skipped, Duplicate, Failed int
	Records, Passages                    int
	Excluded                             int            // files left out by Exclude or a .peermapignore
	Reasons                              map[string]int // skipped inputs by reason
}

// ErrNothingIngested is returned by Run when no input ended ingested or
// duplicate: there is nothing to annotate or report.
var ErrNothingIngested = errors.New("nothing was ingested")

// Empty reports whether no input ended ingested or duplicate.
func (s *IngestSummary) Empty() bool { return s.Ingested+s.Duplicate == 0 }

// Added reports whether the run stored anything new (ingested or skipped).
func (s *IngestSummary) Added() bool { return s.Ingested+s.Skipped > 0 }

// String is the one-line summary printed after ingesting.
func (s *IngestSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ingested %d, skipped %d", s.Ingested, s.Skipped)
	if len(s.Reasons) > 0 {
		var rs []string
		for r, n := range s.Reasons {
			rs = append(rs, fmt.Sprintf("%s %d", r, n))
		}
		slices.Sort(rs)
		fmt.Fprintf(&b, " (%s)", strings.Join(rs, "; "))
	}
	fmt.Fprintf(&b, ", duplicate %d, failed %d", s.Duplicate, s.Failed)
	if s.Excluded > 0 {
		fmt.Fprintf(&b, ", excluded %d", s.Excluded)
	}
	if s.Records > 0 {
		fmt.Fprintf(&b, "; %d records", s.Records)
	}
	fmt.Fprintf(&b, "; %d passages", s.Passages)
	return b.String()
}

func (s *IngestSummary) add(r IngestResult) {
	switch r.Status {
	case corpus.StatusIngested:
		s.Ingested++
	case corpus.StatusSkipped:
		s.Skipped++
		s.Reasons[r.Reason]++
	case corpus.StatusDuplicate:
		s.Duplicate++
	case corpus.StatusFailed:
		s.Failed++
	}
	s.Records += r.Records
	s.Passages += r.Passages
}

// Ingest adds paths (files, folders walked recursively, URLs) to the
// corpus. Each input ends ingested, skipped with a reason, duplicate or
// failed, and is recorded as a corpus.Source; a failed input is not an
// error of Ingest. New files are extracted opts.Workers at a time and
// stored in input order as they finish, so a killed run loses at most the
// files in flight. When anything was added, version groups are recomputed.
func (w *Workspace) Ingest(ctx context.Context, paths []string, opts IngestOptions) (*IngestSummary, error) {
	if w.opts.ReadOnly {
		return nil, errors.New("ingest: the workspace is open read-only")
	}
	s := w.store
	started := w.opts.Now()
	runN, err := s.BeginRun(corpus.Run{Command: "ingest", Args: paths, Version: w.opts.Version, Started: started})
	if err != nil {
		return nil, err
	}
	var urls, locals []string
	for _, p := range paths {
		if ingest.IsURL(p) {
			urls = append(urls, p)
		} else {
			locals = append(locals, p)
		}
	}
	walked, err := ingest.Walk(locals, ingest.WalkOptions{Exclude: opts.Exclude})
	if err != nil {
		return nil, err
	}
	files := walked.Files
	iopts := ingest.Options{
		Kind:     opts.Kind,
		Timeout:  opts.Timeout,
		FetchDir: w.FetchedDir(),
		Logger:   w.log,
		Now:      w.opts.Now,
	}
	if opts.NoPDFText {
		iopts.PDFToText = "-"
	}
	if w.opts.Worker != nil {
		// PDFs go to long-running child processes, one file at a time each.
		iopts.Pool = ingest.NewWorkerPool(w.opts.Worker, 0)
		defer iopts.Pool.Close()
		w.log.Debug("PDF extraction workers", zap.Strings("command", w.opts.Worker))
	}
	// Each document stored leaves its dedup sketch, for grouping below.
	w.sketches = w.openSketchLog()
	defer func() {
		w.sketches.close()
		w.sketches = nil
	}()
	sum := &IngestSummary{Reasons: map[string]int{}, Excluded: walked.Excluded}
	bar := w.progress(len(files)+len(urls)+len(walked.Problems), "ingest")
	emit := func(r IngestResult) {
		bar.Add(1)
		sum.add(r)
		if r.Status == corpus.StatusFailed {
			w.log.Warn("failed", zap.String(corpus.LogKeyPath, r.Path), zap.String(corpus.LogKeyReason, r.Reason))
		}
		if opts.OnResult != nil {
			opts.OnResult(r)
		}
	}

	for _, p := range walked.Problems {
		emit(w.recordFailure(runN, p.Path, p.Err))
	}
	// Pass 1, in order: decide per file whether it is new, a duplicate, or
	// a reference export.
	// The first new PDFs start the extraction workers (as many as
	// extract at once), so that their start overlaps the rest of pass 1.
	var jobs []job
	warm := 0
	if iopts.Pool != nil {
		warm = max(1, opts.Workers)
	}
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		r, j, err := w.triage(ctx, runN, path, iopts)
		if err != nil {
			return sum, err
		}
		if j != nil {
			if j.pdf && warm > 0 {
				iopts.Pool.Warm()
				warm--
			}
			jobs = append(jobs, *j)
			continue
		}
		emit(r)
	}
	// Pass 2: extract new files and read exports, stored and reported in
	// input order.
	if err := w.extract(ctx, runN, jobs, max(1, opts.Workers), iopts, emit); err != nil {
		return sum, err
	}
	for _, u := range urls {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		doc, ps, err := ingest.URL(ctx, u, iopts)
		if err != nil {
			emit(w.recordFailure(runN, u, err))
			continue
		}
		held, err := s.Has(doc.ID)
		if err != nil {
			return sum, err
		}
		if held {
			emit(IngestResult{Path: u, Status: corpus.StatusDuplicate, Reason: "same bytes already in the corpus", DocID: string(doc.ID)})
			continue
		}
		emit(w.storeDoc(runN, u, string(doc.ID), doc.Size, doc, ps, nil))
	}
	bar.Finish()
	if iopts.Pool != nil {
		// The workers are done: they exit while the groups are made.
		stopped := make(chan struct{})
		go func() {
			iopts.Pool.Close()
			close(stopped)
		}()
		defer func() { <-stopped }()
	}

	if err := w.sketches.close(); err != nil {
		w.log.Warn("sketches not kept", zap.Error(err))
	}
	if sum.Added() {
		if err := w.group(ctx); err != nil {
			return sum, err
		}
	}
	counts := map[string]int{"ingested": sum.Ingested, "skipped": sum.Skipped, "duplicate": sum.Duplicate, "failed": sum.Failed, "records": sum.Records, "passages": sum.Passages}
	if err := s.EndRun(corpus.Run{N: runN, Command: "ingest", Args: paths, Version: w.opts.Version, Started: started, Ended: w.opts.Now(), Counts: counts}); err != nil {
		return sum, err
	}
	return sum, nil
}

// CountInputs returns how many inputs paths hold (files found in folders,
// less those exclude or a .peermapignore leaves out, plus URLs), without
// opening a workspace. A path that does not exist is an error.
func CountInputs(paths []string, exclude []string) (int, error) {
	var locals []string
	n := 0
	for _, p := range paths {
		if ingest.IsURL(p) {
			n++
		} else {
			locals = append(locals, p)
		}
	}
	w, err := ingest.Walk(locals, ingest.WalkOptions{Exclude: exclude})
	if err != nil {
		return 0, err
	}
	return n + len(w.Files) + len(w.Problems), nil
}

// A job is a new file to extract, or a reference export to read.
type job struct {
	path   string
	sha    string
	size   int64
	format string // the export format; "" for a file to extract
	pdf    bool   // a file that starts as a PDF (extracted by a worker process)
}

// triage settles a file that needs no extraction (already held, a
// duplicate) and returns its result, or returns the job of a file to
// extract or an export to read. An error is a store error that ends the run.
func (w *Workspace) triage(ctx context.Context, runN int, path string, iopts ingest.Options) (IngestResult, *job, error) {
	s := w.store
	sha, size, head, err := hashFile(path)
	if err != nil {
		return w.recordFailure(runN, path, err), nil, nil
	}
	src, err := s.Source(path)
	switch {
	case err == nil && src.SHA256 == sha && src.Status != corpus.StatusFailed:
		return IngestResult{Path: path, Status: corpus.StatusDuplicate, Reason: "already ingested (same path, same bytes)", DocID: firstDoc(src.Docs)}, nil, nil
	case err != nil && !errors.Is(err, corpus.ErrNotFound):
		return IngestResult{}, nil, err
	}
	if format := detectExport(head, path); format != "" {
		// The same export under another path (a copy, or the folder
		// named another way: "refs/x.ris", then "/home/me/refs/x.ris")
		// holds records the corpus has: not read again.
		switch same, err := s.SourceWithSHA(sha, corpus.StatusIngested, corpus.StatusDuplicate); {
		case err == nil:
			r := IngestResult{Path: path, Status: corpus.StatusDuplicate, Reason: "same bytes as " + same.Path, DocID: firstDoc(same.Docs)}
			err = s.PutSource(corpus.Source{Path: path, SHA256: sha, Size: size, Format: same.Format, Status: corpus.StatusDuplicate, Reason: r.Reason, Docs: same.Docs, Run: runN, Time: w.opts.Now()})
			if err != nil {
				return IngestResult{}, nil, err
			}
			return r, nil, nil
		case !errors.Is(err, corpus.ErrNotFound):
			return IngestResult{}, nil, err
		}
		// Read in pass 2, beside the files being extracted.
		return IngestResult{}, &job{path: path, sha: sha, size: size, format: format}, nil
	}
	id := corpus.DocID(sha)
	held, err := s.Has(id)
	if err != nil {
		return IngestResult{}, nil, err
	}
	if !held {
		return IngestResult{}, &job{path: path, sha: sha, size: size, pdf: isPDF(head)}, nil
	}
	d, err := s.Document(id)
	if err != nil {
		return IngestResult{}, nil, err
	}
	r := IngestResult{Path: path, Status: corpus.StatusDuplicate, Reason: "same bytes as " + d.Path, DocID: string(id)}
	err = s.PutSource(corpus.Source{Path: path, SHA256: sha, Size: size, Format: d.Format, Status: corpus.StatusDuplicate, Reason: r.Reason, Docs: []corpus.DocID{id}, Run: runN, Time: w.opts.Now()})
	if err != nil {
		return IngestResult{}, nil, err
	}
	return r, nil, nil
}

// detectExport is refs.Detect, except that a file that starts as a PDF is
// never a reference export: Detect would run its patterns over the first
// 64 KiB of the PDF's binary content (a third of the time peermap spends
// on a small PDF) to find no RIS tag or BibTeX entry there.
func detectExport(head []byte, path string) string {
	if isPDF(head) {
		return ""
	}
	return refs.Detect(head, path)
}

// isPDF reports whether a file's first bytes are a PDF's header.
func isPDF(head []byte) bool { return bytes.HasPrefix(head, []byte("%PDF-")) }

// Extraction starts jobs out of input order, the largest file first, but
// stores them in input order: a long PDF late in a folder no longer runs
// alone at the end while the other workers wait (on the 26 PDFs of the
// shared corpus one file is half of the extraction time). A job may start
// when it lies within extractAhead jobs and extractAheadBytes bytes of
// input of the oldest job not yet stored, which bounds what waits in
// memory to be stored.
const (
	extractAhead      = 64       // jobs, per worker
	extractAheadBytes = 64 << 20 // bytes of input, per worker
)

// extracted is the outcome of one job.
type extracted struct {
	doc    *corpus.Document
	ps     []corpus.Passage
	sketch *dedup.Sketch // of doc, made by the worker
	err    error
	res    *IngestResult // an export's result: its records are stored already
}

// extract runs jobs workers at a time and stores each result in job order.
// Among the jobs it may start (see extractAhead) it starts the largest
// first; exports start in input order, one after the other, so that a
// record found in two exports is stored from the first, as in a serial
// run. An export takes one worker and stores its records as it reads them
// (its records' language and passages are found by up to workers
// goroutines of its own), so a large export runs beside the files instead
// of before them. On cancellation it stops starting jobs, waits for those
// running and returns ctx's error; what was stored stays, and what was
// extracted but not stored is extracted again by the next run.
func (w *Workspace) extract(ctx context.Context, runN int, jobs []job, workers int, iopts ingest.Options, emit func(IngestResult)) error {
	n := len(jobs)
	done := make([]chan extracted, n) // each job's outcome, sent once
	for i := range done {
		done[i] = make(chan extracted, 1)
	}
	stored := make(chan int, n+1) // how many jobs are stored, after each
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var g errgroup.Group
		g.SetLimit(workers)
		defer g.Wait() // before finished: every extraction has ended
		started := make([]bool, n)
		low, nStored := 0, 0 // every job below low has started
		var exportDone chan struct{}
		for low < n {
			pick := -1
			for ctx.Err() == nil {
				for len(stored) > 0 { // the latest count
					nStored = <-stored
				}
				if pick = pickJob(jobs, started, nStored, workers); pick >= 0 {
					break
				}
				select { // nothing may start before more are stored
				case nStored = <-stored:
				case <-ctx.Done():
				}
			}
			if ctx.Err() != nil {
				for i := low; i < n; i++ {
					if !started[i] {
						done[i] <- extracted{err: ctx.Err()}
					}
				}
				return
			}
			started[pick] = true
			for low < n && started[low] {
				low++
			}
			j, out := jobs[pick], done[pick]
			var after, exported chan struct{}
			if j.format != "" {
				after, exported = exportDone, make(chan struct{})
				exportDone = exported
			}
			g.Go(func() error {
				if exported != nil {
					defer close(exported)
					if after != nil {
						<-after
					}
				}
				if ctx.Err() != nil {
					out <- extracted{err: ctx.Err()}
					return nil
				}
				if j.format != "" {
					r := w.ingestExport(ctx, runN, j.path, j.sha, j.size, j.format, workers, iopts)
					out <- extracted{res: &r}
					return nil
				}
				doc, ps, err := ingest.File(ctx, j.path, iopts)
				x := extracted{doc: doc, ps: ps, err: err}
				if err == nil && doc.Skip == corpus.NotSkipped {
					sk := dedup.NewSketch(doc)
					x.sketch = &sk
				}
				out <- x
				return nil
			})
		}
	}()
	for i, j := range jobs {
		x := <-done[i]
		if ctx.Err() != nil {
			<-finished // the running jobs end
			return ctx.Err()
		}
		switch {
		case x.res != nil:
			emit(*x.res)
		case x.err != nil:
			emit(w.recordFailure(runN, j.path, x.err))
		default:
			emit(w.storeDoc(runN, j.path, j.sha, j.size, x.doc, x.ps, x.sketch))
		}
		stored <- i + 1
	}
	<-finished
	return ctx.Err()
}

// pickJob returns the job extract starts next, -1 if none may start yet:
// the largest of the jobs not started that lie within
// extractAhead jobs and extractAheadBytes bytes of input of job nStored
// (the oldest not stored; it may always start), the first in input order
// on equal sizes. Of the exports only the first not started may start.
func pickJob(jobs []job, started []bool, nStored, workers int) int {
	pick := -1
	var ahead int64 // bytes of input from job nStored on
	export := false // an export not started was met: later ones wait for it
	for i := nStored; i < len(jobs) && i < nStored+extractAhead*workers; i++ {
		ahead += jobs[i].size
		if i > nStored && ahead > extractAheadBytes*int64(workers) {
			break
		}
		if started[i] {
			continue
		}
		if jobs[i].format != "" {
			if export {
				continue
			}
			export = true
		}
		if pick < 0 || jobs[i].size > jobs[pick].size {
			pick = i
		}
	}
	return pick
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

// storeDoc writes an extracted document (ingested or skipped) and its
// source record, and keeps the sketch of an ingested one (made here when
// sk is nil).
func (w *Workspace) storeDoc(runN int, path, sha string, size int64, doc *corpus.Document, ps []corpus.Passage, sk *dedup.Sketch) IngestResult {
	r := IngestResult{Path: path, DocID: string(doc.ID), Kind: string(doc.Kind), Lang: doc.Lang, Format: doc.Format, Pages: len(doc.Pages), Passages: len(ps), Extractor: doc.Extractor}
	src := corpus.Source{Path: path, SHA256: sha, Size: size, Format: doc.Format, Docs: []corpus.DocID{doc.ID}, Warnings: doc.Warnings, Run: runN, Time: w.opts.Now()}
	if doc.Skip != corpus.NotSkipped {
		r.Status, r.Reason, r.Passages = corpus.StatusSkipped, doc.SkipReason(), 0
		ps = nil
	} else {
		r.Status = corpus.StatusIngested
	}
	src.Status, src.Reason = r.Status, r.Reason
	// One transaction (one pair of fsyncs, not two): a run killed before
	// it commits stored nothing of this file, which the next run extracts
	// again; after it, both the document and its source are there.
	if err := w.store.PutDocuments([]corpus.Entry{{Doc: doc, Passages: ps, Source: &src}}); err != nil {
		return w.recordFailure(runN, path, err)
	}
	if doc.Skip == corpus.NotSkipped {
		if sk == nil {
			s := dedup.NewSketch(doc)
			sk = &s
		}
		w.sketches.add(*sk)
	}
	w.log.Debug("stored", zap.String(corpus.LogKeyPath, path), zap.String("status", r.Status), zap.Int("passages", r.Passages))
	return r
}

// recordFailure records that path failed. If even that cannot be stored,
// the reason says so too.
func (w *Workspace) recordFailure(runN int, path string, err error) IngestResult {
	r := IngestResult{Path: path, Status: corpus.StatusFailed, Reason: err.Error()}
	if perr := w.store.PutSource(corpus.Source{Path: path, Status: corpus.StatusFailed, Reason: err.Error(), Run: runN, Time: w.opts.Now()}); perr != nil {
		r.Reason += "; and the failure could not be recorded: " + perr.Error()
	}
	return r
}

// maxRecordErrors is how many record errors of one export are kept with
// its source; the rest are counted.
const maxRecordErrors = 100

// exportChunk is how many records of an export are prepared (language,
// passages) and stored together, in one transaction.
const exportChunk = 500

// ingestExport streams the records of a reference export into the store in
// chunks; records already held, or met before in the same export, are not
// stored again. The language and passages of a chunk's records are found
// by up to workers goroutines while the next chunk is being read.
func (w *Workspace) ingestExport(ctx context.Context, runN int, path, sha string, size int64, format string, workers int, iopts ingest.Options) IngestResult {
	s := w.store
	fh, err := os.Open(path)
	if err != nil {
		return w.recordFailure(runN, path, err)
	}
	defer fh.Close()
	r := IngestResult{Path: path, Status: corpus.StatusIngested, Format: format, Kind: string(corpus.KindRecord), Extractor: "refs/" + format}
	src := corpus.Source{Path: path, SHA256: sha, Size: size, Format: format, Run: runN, Time: w.opts.Now()}

	// The chunk before is prepared and stored in its own goroutine while
	// this one reads the next; at most one runs at a time, so chunks are
	// stored in order.
	var batch []corpus.Entry
	passages := 0 // written by the chunk's goroutine before it sends on pending
	pending := make(chan error, 1)
	pending <- nil
	flush := func() error {
		err := <-pending // the chunk before is stored
		if err != nil || len(batch) == 0 {
			pending <- err
			return err
		}
		entries := batch
		batch = nil
		go func() {
			n, err := w.storeRecords(ctx, entries, workers)
			passages += n
			pending <- err
		}()
		return nil
	}
	wait := func() error {
		err := <-pending
		pending <- err
		return err
	}
	seen := map[corpus.DocID]bool{}
	var recErrs []string
	nErrs := 0
	for doc, err := range refs.Read(ctx, fh, path, format) {
		if err != nil {
			if ctx.Err() != nil {
				wait()
				return w.recordFailure(runN, path, ctx.Err())
			}
			if nErrs++; len(recErrs) < maxRecordErrors {
				recErrs = append(recErrs, err.Error())
			}
			continue
		}
		r.Records++
		if len(src.Docs) == 0 {
			// The first record only: an export may hold a million, and each
			// record's Document.Source names its export already.
			src.Docs = []corpus.DocID{doc.ID}
		}
		if doc.Skip != corpus.NotSkipped {
			r.SkippedRec++
		}
		if seen[doc.ID] {
			continue // the same record twice in one export: the first is kept
		}
		seen[doc.ID] = true
		held, err := s.Has(doc.ID)
		if err != nil {
			wait()
			return w.recordFailure(runN, path, err)
		}
		if held {
			continue
		}
		if iopts.Kind != "" {
			doc.Kind = iopts.Kind
		}
		if doc.Added.IsZero() {
			doc.Added = w.opts.Now()
		}
		batch = append(batch, corpus.Entry{Doc: doc})
		if len(batch) >= exportChunk {
			if err := flush(); err != nil {
				return w.recordFailure(runN, path, err)
			}
		}
	}
	if err := flush(); err != nil {
		return w.recordFailure(runN, path, err)
	}
	if err := wait(); err != nil {
		return w.recordFailure(runN, path, err)
	}
	r.Passages = passages
	if nErrs > len(recErrs) {
		recErrs = append(recErrs, fmt.Sprintf("and %d more record errors", nErrs-len(recErrs)))
	}
	if len(recErrs) > 0 {
		src.Warnings = recErrs
		if r.Records == 0 {
			return w.recordFailure(runN, path, errors.New(recErrs[0]))
		}
	}
	switch {
	case r.Records == 0:
		r.Status, r.Reason = corpus.StatusSkipped, "reference export with no records"
	case r.SkippedRec == r.Records:
		r.Status, r.Reason = corpus.StatusSkipped, "every record skipped (no title and no abstract, or unreadable)"
	}
	src.Records, src.Skipped = r.Records, r.SkippedRec
	src.Status, src.Reason = r.Status, r.Reason
	if len(src.Docs) > 0 {
		r.DocID = string(src.Docs[0])
	}
	if err := s.PutSource(src); err != nil {
		return w.recordFailure(runN, path, err)
	}
	return r
}

// storeRecords finds the language (when the record has none), the
// passages and the dedup sketch of the records of entries, workers at a
// time, then stores them in one transaction. It returns how many passages
// it stored.
func (w *Workspace) storeRecords(ctx context.Context, entries []corpus.Entry, workers int) (int, error) {
	sks := make([]dedup.Sketch, len(entries))
	prepare := func(i int) {
		e := &entries[i]
		doc := e.Doc
		if doc.Skip != corpus.NotSkipped {
			return
		}
		if doc.Lang == "" {
			doc.Lang = ingest.DetectLang(doc.Text)
		}
		e.Passages = ingest.Split(doc, ingest.SplitOptions{})
		sks[i] = dedup.NewSketch(doc)
	}
	if workers <= 1 {
		for i := range entries {
			prepare(i)
		}
	} else {
		var g errgroup.Group
		per := (len(entries) + workers - 1) / workers
		for start := 0; start < len(entries); start += per {
			g.Go(func() error {
				for i := start; i < min(start+per, len(entries)); i++ {
					prepare(i)
				}
				return nil
			})
		}
		g.Wait()
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		n += len(e.Passages)
	}
	if err := w.store.PutDocuments(entries); err != nil {
		return 0, err
	}
	for i, e := range entries {
		if e.Doc.Skip == corpus.NotSkipped {
			w.sketches.add(sks[i])
		}
	}
	return n, nil
}
