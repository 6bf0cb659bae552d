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
	"sync"
	"time"

	"github.com/peermap/peermap/corpus"
)

// pdfPoolMaxFiles is how many files one pooled worker extracts before it
// is replaced, so that memory a parser leaks cannot pile up.
const pdfPoolMaxFiles = 64

// A Pool keeps PDF extraction workers (child processes started from
// argv) running between files, so that each PDF does not pay for starting a
// process (about 50 ms for the peermap binary, as much as extracting a
// small article). Each worker still runs under the memory limit, one file at
// a time; a worker that crashes or overruns the time limit is killed and the
// next file gets a new one. It is safe for concurrent use; Close stops the
// idle workers.
type Pool struct {
	argv   []string
	mem    int64
	mu     sync.Mutex
	idle   []*pdfChild
	closed bool
}

// NewPool returns a pool that starts workers with argv (e.g.
// ["/path/peermap", "extract-worker"]) and memory limit memoryLimit bytes
// (0 means 2 GiB).
func NewPool(argv []string, memoryLimit int64) *Pool {
	return &Pool{argv: argv, mem: Options{MemoryLimit: memoryLimit}.memoryLimit()}
}

// Close stops the idle workers and waits for them to exit.
func (p *Pool) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	// Every worker is told to stop before any is waited for: they exit
	// together.
	for _, c := range idle {
		c.stdin.Close()
	}
	for _, c := range idle {
		c.stop()
	}
	return nil
}

// pdfChild is one running worker.
type pdfChild struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	enc    *gob.Encoder
	dec    *gob.Decoder
	stderr bytes.Buffer // first bytes of what the child wrote (a crash message)
	served int
	done   chan struct{} // closed when the process has exited
	err    error         // its exit status, once done is closed
}

func (p *Pool) start() (*pdfChild, error) {
	if len(p.argv) == 0 {
		return nil, errors.New("empty worker command")
	}
	c := &pdfChild{done: make(chan struct{})}
	c.cmd = exec.Command(p.argv[0], p.argv[1:]...)
	tmp, err := pdfPrepare(c.cmd, p.mem)
	if err != nil {
		return nil, err
	}
	c.cmd.Stderr = &pdfTail{max: 4096, buf: &c.stderr}
	stdin, err := c.cmd.StdinPipe()
	if err == nil {
		var stdout io.ReadCloser
		if stdout, err = c.cmd.StdoutPipe(); err == nil {
			c.dec = gob.NewDecoder(stdout)
			err = c.cmd.Start()
		}
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	c.stdin, c.enc = stdin, gob.NewEncoder(stdin)
	go func() {
		c.err = c.cmd.Wait()
		os.RemoveAll(tmp) // what pdftotext left there if the child was killed
		close(c.done)
	}()
	return c, nil
}

// stop ends a healthy child: it closes its input, so Worker returns.
func (c *pdfChild) stop() {
	c.stdin.Close()
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
		c.kill()
	}
}

// kill ends a child that misbehaves, with the processes it started, and
// waits for it.
func (c *pdfChild) kill() {
	pdfKill(c.cmd.Process)
	c.stdin.Close()
	<-c.done
}

// Warm starts one worker ahead of need and keeps it idle, so that its start
// (a Go process: some 15 ms of runtime and package initialisation) overlaps
// what the caller does before its first extraction. The caller bounds how
// many it warms (at most one per file it will extract, and its number of
// workers). An error to start is not returned: the first extraction that
// needs a worker tries again and reports it.
func (p *Pool) Warm() {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return
	}
	c, err := p.start()
	if err != nil {
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		c.stop()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

func (p *Pool) get() (*pdfChild, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return p.start()
}

func (p *Pool) put(c *pdfChild) {
	c.served++
	p.mu.Lock()
	if !p.closed && c.served < pdfPoolMaxFiles {
		p.idle = append(p.idle, c)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	c.stop()
}

// extract runs one extraction in a pooled worker. Like pdfRunWorker, it
// turns a crash or an overrun into a Skip and returns an error only when
// ctx ends or no worker can be started.
func (p *Pool) extract(ctx context.Context, name string, data []byte, opts Options) (*Result, error) {
	c, err := p.get()
	if err != nil {
		return nil, fmt.Errorf("extract %s: start worker: %w", name, err)
	}
	req := pdfRequest{Name: name, Data: data, PDFToText: opts.PDFToText, Timeout: opts.timeout(), MemoryLimit: p.mem}
	type result struct {
		resp pdfResponse
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		if r.err = c.enc.Encode(&req); r.err == nil {
			r.err = c.dec.Decode(&r.resp)
		}
		ch <- r
	}()
	// The child gets a little longer than its own timeout, so that it can
	// report a timeout itself; past that it is killed.
	timer := time.NewTimer(opts.timeout() + 2*time.Second)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			c.kill()
			detail := "worker crashed"
			if c.err != nil {
				detail += ": " + c.err.Error()
			}
			if msg := pdfFirstLine(c.stderr.String()); msg != "" {
				detail += ": " + msg
			}
			return pdfSkip(corpus.SkipFailed, detail), nil
		}
		if r.resp.Retire {
			c.kill() // it is exiting: an extraction it could not stop is still running
		} else {
			p.put(c)
		}
		if r.resp.Err != "" {
			return nil, errors.New(r.resp.Err)
		}
		if r.resp.Doc == nil {
			return pdfSkip(corpus.SkipFailed, "worker crashed: no result"), nil
		}
		return r.resp.Doc, nil
	case <-timer.C:
		c.kill()
		<-ch
		return pdfSkip(corpus.SkipTimeout, fmt.Sprintf("timed out after %s; worker killed", opts.timeout())), nil
	case <-ctx.Done():
		c.kill()
		<-ch
		return nil, fmt.Errorf("extract %s: %w", name, ctx.Err())
	}
}
