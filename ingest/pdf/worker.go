package pdf

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/peermap/peermap/corpus"
)

// The extraction worker runs one PDF extraction in a child process, so that
// a hostile file can neither hang nor crash the run: the parent kills the
// child when the per-file timeout or its context ends, and the child runs
// under a memory limit.
//
// Wire format (stdin → child, child → stdout): one gob-encoded pdfRequest,
// then one gob-encoded pdfResponse. Gob values are self-delimiting, so the
// reader stops at the end of the value; anything the child writes after it
// is ignored. Gob (not JSON) because the text travels as is, with no
// escaping, and corpus.Document.Text is tagged json:"-".
// The child writes nothing else to stdout; logs go nowhere.

// pdfWorkerGC is the worker's GOGC once it has a memory limit. On the 8
// smallest PDFs of the shared corpus (two workers, 15 ingests each, in
// turn) the workers took 214-223 ms of CPU at 100, 170-178 at 200, 162-172
// at 400, whose heap (peak RSS 36 MiB against 28) is half again larger.
const pdfWorkerGC = 200

// pdfRequest is what the parent sends.
type pdfRequest struct {
	Name        string
	Data        []byte
	PDFToText   string        // as Options.PDFToText
	Timeout     time.Duration // as Options.Timeout
	MemoryLimit int64         // bytes; applied with debug.SetMemoryLimit and RLIMIT_AS
}

// pdfResponse is what the child sends back.
type pdfResponse struct {
	Doc    *Result
	Err    string // an unexpected error, with the file name in it
	Retire bool   // the extraction did not stop at its time limit: the child exits after this response
}

// Worker is the child side of PDF extraction: it reads requests from r
// until r ends, extracts each in this process and writes each result to w.
// `peermap extract-worker` calls it on stdin and stdout. A child started per
// file gets one request; a child of a Pool gets many in turn. It returns
// early, with an error, after answering a request whose extraction did not
// stop at its time limit: the process should exit, ending that extraction.
func Worker(ctx context.Context, r io.Reader, w io.Writer) error {
	return pdfServe(ctx, r, w, pdfExtractGuarded, pdfLimitAddressSpace)
}

// pdfServe is Worker with its extractor and its address-space limiter as
// parameters, so that tests can make them fail.
func pdfServe(ctx context.Context, r io.Reader, w io.Writer,
	extract func(ctx context.Context, name string, data []byte, opts Options) (*Result, bool, error),
	limit func(int64) error) error {
	dec, enc := gob.NewDecoder(r), gob.NewEncoder(w)
	limited := false
	var unlimited string // why the address space is not capped
	for {
		var req pdfRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read worker request: %w", err)
		}
		if req.MemoryLimit > 0 && !limited {
			debug.SetMemoryLimit(req.MemoryLimit)
			// Under that limit, collect when the heap has grown by
			// pdfWorkerGC% rather than the default 100%: a worker's live
			// heap is a few MiB, so it would collect every few
			// milliseconds (a tenth of its CPU on small articles); near
			// the limit the collector works as hard as it must anyway.
			debug.SetGCPercent(pdfWorkerGC)
			if err := limit(req.MemoryLimit); err != nil {
				unlimited = fmt.Sprintf("worker memory limit only soft (%d bytes): %v", req.MemoryLimit, err)
			}
			limited = true
		}
		opts := Options{PDFToText: req.PDFToText, Timeout: req.Timeout}
		doc, running, err := extract(ctx, req.Name, req.Data, opts)
		if doc != nil && unlimited != "" {
			doc.Warnings = append(doc.Warnings, unlimited)
		}
		resp := pdfResponse{Doc: doc, Retire: running}
		if err != nil {
			resp.Err = err.Error()
		}
		if err := enc.Encode(&resp); err != nil {
			return fmt.Errorf("write worker response: %w", err)
		}
		if running {
			return fmt.Errorf("extract %s: did not stop at its time limit (%s); worker exits", req.Name, req.Timeout)
		}
	}
}

// pdfRunWorker runs one extraction in a child started from opts.Worker.
func pdfRunWorker(ctx context.Context, name string, data []byte, opts Options) (*Result, error) {
	if len(opts.Worker) == 0 {
		return nil, fmt.Errorf("extract %s: empty worker command", name)
	}
	// The child gets a little longer than its own timeout, so that it can
	// report a timeout itself; past that it is killed.
	grace := opts.timeout() + 2*time.Second
	cctx, cancel := context.WithTimeout(ctx, grace)
	defer cancel()

	var in bytes.Buffer
	req := pdfRequest{Name: name, Data: data, PDFToText: opts.PDFToText, Timeout: opts.timeout(), MemoryLimit: opts.memoryLimit()}
	if err := gob.NewEncoder(&in).Encode(&req); err != nil {
		return nil, fmt.Errorf("extract %s: encode worker request: %w", name, err)
	}
	cmd := exec.CommandContext(cctx, opts.Worker[0], opts.Worker[1:]...)
	tmp, err := pdfPrepare(cmd, opts.memoryLimit())
	if err != nil {
		return nil, fmt.Errorf("extract %s: start worker: %w", name, err)
	}
	defer os.RemoveAll(tmp)
	cmd.Cancel = func() error { return pdfKill(cmd.Process) } // with its pdftotext
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &pdfTail{max: 4096, buf: &stderr}
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()

	var resp pdfResponse
	decErr := gob.NewDecoder(&out).Decode(&resp)
	if decErr == nil && resp.Doc != nil || decErr == nil && resp.Err != "" {
		if resp.Err != "" {
			return nil, errors.New(resp.Err)
		}
		return resp.Doc, nil
	}
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("extract %s: %w", name, ctx.Err())
	case cctx.Err() != nil:
		return pdfSkip(corpus.SkipTimeout, fmt.Sprintf("timed out after %s; worker killed", opts.timeout())), nil
	}
	var ee *exec.ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		// The worker could not be started at all: not this file's fault.
		return nil, fmt.Errorf("extract %s: start worker: %w", name, runErr)
	}
	detail := "worker crashed"
	if runErr != nil {
		detail += ": " + runErr.Error()
	} else {
		detail += ": no result"
	}
	if msg := pdfFirstLine(stderr.String()); msg != "" {
		detail += ": " + msg
	}
	return pdfSkip(corpus.SkipFailed, detail), nil
}

// pdfPrepare readies cmd to start a worker: in a process group of its own
// (pdfIsolate), under GOMEMLIMIT mem, and with a temporary folder of its
// own (TMPDIR) for the copies it hands to pdftotext. The caller removes tmp
// once the worker has exited: a killed worker cannot.
func pdfPrepare(cmd *exec.Cmd, mem int64) (tmp string, err error) {
	tmp, err = os.MkdirTemp("", "peermap-worker-")
	if err != nil {
		return "", err
	}
	pdfIsolate(cmd)
	cmd.Env = append(os.Environ(), "GOMEMLIMIT="+strconv.FormatInt(mem, 10), "TMPDIR="+tmp)
	return tmp, nil
}

// pdfTail keeps the first max bytes written to it (a Go crash prints its
// reason first, then the stacks).
type pdfTail struct {
	max int
	buf *bytes.Buffer
}

func (t *pdfTail) Write(p []byte) (int, error) {
	if room := t.max - t.buf.Len(); room > 0 {
		t.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// pdfFirstLine returns the first non-empty line of a crash message, such as
// "fatal error: runtime: out of memory" or "panic: ...".
func pdfFirstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 200 {
				l = l[:200]
			}
			return l
		}
	}
	return ""
}
