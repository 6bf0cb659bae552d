package pdf

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
)

// pdfTestWorkerMode is the worker child in the modes of the tests below; it
// exits.
//   - retire: every extraction "did not stop" (pdfServe's extract says so);
//   - lowhard: the hard RLIMIT_AS is lowered to 64 GiB first, so that the
//     worker cannot set the limit it is asked for (128 GiB plus headroom);
//   - probe: as lowhard, then tries the limit itself and prints the error;
//   - limit: applies pdfLimitAddressSpace(1 TiB) and prints RLIMIT_AS.
func pdfTestWorkerMode(mode string) {
	var err error
	switch mode {
	case "retire":
		stuck := func(ctx context.Context, name string, data []byte, opts Options) (*Result, bool, error) {
			return pdfSkip(corpus.SkipTimeout, "timed out"), true, nil
		}
		err = pdfServe(context.Background(), os.Stdin, os.Stdout, stuck, func(int64) error { return nil })
	case "lowhard":
		if err = pdfTestSetHardLimit(64 << 30); err == nil {
			err = Worker(context.Background(), os.Stdin, os.Stdout)
		}
	case "probe":
		if err = pdfTestSetHardLimit(64 << 30); err == nil {
			fmt.Println(pdfLimitAddressSpace(128 << 30))
		}
	case "limit":
		if err = pdfLimitAddressSpace(1 << 40); err == nil {
			var cur, max uint64
			cur, max, err = pdfTestAddressLimit()
			fmt.Println(cur, max)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

// TestWorkerRlimit checks that the worker caps its address space, and that
// when it cannot, every document it extracts says so (it used to ignore the
// failure and run with no hard limit, silently).
func TestWorkerRlimit(t *testing.T) {
	if _, _, err := pdfTestAddressLimit(); err != nil {
		t.Skipf("no RLIMIT_AS here: %v", err)
	}
	t.Run("applied", func(t *testing.T) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPDFWorkerProcess$")
		cmd.Env = append(os.Environ(), pdfTestWorkerEnv+"=limit")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("worker child: %v", err)
		}
		want := strconv.FormatUint(1<<40+1<<30, 10)
		if got := strings.Fields(string(out)); !slices.Equal(got, []string{want, want}) {
			t.Errorf("RLIMIT_AS after pdfLimitAddressSpace(1 TiB) = %q, want %s %s", got, want, want)
		}
	})
	t.Run("refused", func(t *testing.T) {
		probe := exec.Command(os.Args[0], "-test.run=^TestPDFWorkerProcess$")
		probe.Env = append(os.Environ(), pdfTestWorkerEnv+"=probe")
		out, err := probe.Output()
		if err != nil {
			t.Fatalf("probe child: %v", err)
		}
		if strings.TrimSpace(string(out)) == "<nil>" {
			t.Skip("this process may raise its hard RLIMIT_AS (CAP_SYS_RESOURCE): a failed setrlimit cannot be provoked")
		}
		t.Setenv(pdfTestWorkerEnv, "lowhard")
		data := pdfTestDoc([]string{"Peer support workers share lived experience."})
		doc, err := Extract(context.Background(), "a.pdf", data, Options{Worker: pdfTestWorker(), MemoryLimit: 128 << 30, PDFToText: "-"})
		if err != nil {
			t.Fatalf("Extract: %v", err)
		}
		if doc.Skip != corpus.NotSkipped {
			t.Fatalf("Extract = skip %v %q", doc.Skip, doc.SkipDetail)
		}
		i := slices.IndexFunc(doc.Warnings, func(w string) bool { return strings.Contains(w, "memory limit only soft") })
		if i < 0 {
			t.Fatalf("warnings %q do not say that the address-space limit failed", doc.Warnings)
		}
		if !strings.Contains(doc.Warnings[i], "RLIMIT_AS") {
			t.Errorf("warning %q does not name the failed limit", doc.Warnings[i])
		}
	})
}

// TestServe checks the child's side of the protocol with fakes: a failed
// limit is reported in every result (not only the first), and an
// extraction that did not stop ends the worker after its answer.
func TestServe(t *testing.T) {
	var in bytes.Buffer
	enc := gob.NewEncoder(&in)
	for _, name := range []string{"a.pdf", "b.pdf", "c.pdf"} {
		if err := enc.Encode(&pdfRequest{Name: name, MemoryLimit: 1 << 40}); err != nil {
			t.Fatal(err)
		}
	}
	ok := func(ctx context.Context, name string, data []byte, opts Options) (*Result, bool, error) {
		return &Result{Text: name}, name == "b.pdf", nil
	}
	failed := func(int64) error { return errors.New("operation not permitted") }
	var out bytes.Buffer
	err := pdfServe(context.Background(), &in, &out, ok, failed)
	if err == nil || !strings.Contains(err.Error(), "b.pdf") {
		t.Errorf("pdfServe = %v, want an error naming b.pdf, the extraction that did not stop", err)
	}
	dec := gob.NewDecoder(&out)
	for _, want := range []struct {
		name   string
		retire bool
	}{{"a.pdf", false}, {"b.pdf", true}} {
		var resp pdfResponse
		if err := dec.Decode(&resp); err != nil {
			t.Fatalf("response for %s: %v", want.name, err)
		}
		if resp.Doc.Text != want.name || resp.Retire != want.retire {
			t.Errorf("response = %q retire %v, want %q retire %v", resp.Doc.Text, resp.Retire, want.name, want.retire)
		}
		if !slices.ContainsFunc(resp.Doc.Warnings, func(w string) bool { return strings.Contains(w, "operation not permitted") }) {
			t.Errorf("response for %s: warnings %q lack the failed limit", want.name, resp.Doc.Warnings)
		}
	}
	var resp pdfResponse
	if err := dec.Decode(&resp); err == nil {
		t.Errorf("a response after the worker should have exited: %+v", resp)
	}
}

// TestPoolRetire checks the parent's side: a worker that says an
// extraction did not stop is not used again, and the next file gets a new
// worker.
func TestPoolRetire(t *testing.T) {
	data := pdfTestDoc([]string{"Peer navigators accompany patients to their appointments."})
	t.Setenv(pdfTestWorkerEnv, "retire")
	p := NewPool(pdfTestWorker(), 0)
	defer p.Close()
	doc, err := Extract(context.Background(), "a.pdf", data, Options{Pool: p, Timeout: time.Second})
	if err != nil || doc.Skip != corpus.SkipTimeout {
		t.Fatalf("Extract through a retiring worker = %v, %v; want SkipTimeout", doc, err)
	}
	if len(p.idle) != 0 {
		t.Fatal("a retiring worker went back to the pool")
	}
	t.Setenv(pdfTestWorkerEnv, "1")
	if doc, err := Extract(context.Background(), "b.pdf", data, Options{Pool: p, Timeout: time.Second}); err != nil || doc.Skip != corpus.NotSkipped {
		t.Fatalf("the next file: %v, %v", doc, err)
	}
}

// pdfTestProcs returns the command lines of the processes that hold marker.
func pdfTestProcs(t *testing.T, marker string) []string {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil || len(dirs) == 0 {
		t.Skip("no /proc here: cannot list processes")
	}
	var out []string
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err == nil && bytes.Contains(b, []byte(marker)) {
			out = append(out, d+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}

// TestWorkerKillsGroup checks that a worker killed mid-file (its context
// ended) takes the processes it started with it: here a pdftotext that
// never ends. It used to be killed alone, leaving pdftotext running.
func TestWorkerKillsGroup(t *testing.T) {
	dir := t.TempDir()
	marker := fmt.Sprintf("%d.%d", 3600+os.Getpid()%1000, time.Now().UnixNano()%1_000_000)
	fake := filepath.Join(dir, "pdftotext")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nexec sleep "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep command")
	}
	// ledongthuc cannot open this file, so pdftotext gets the whole of it.
	data := []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	t.Setenv(pdfTestWorkerEnv, "1")
	for _, tt := range []struct {
		name string
		opts func() (Options, func())
	}{
		{"worker", func() (Options, func()) { return Options{Worker: pdfTestWorker()}, func() {} }},
		{"pool", func() (Options, func()) {
			p := NewPool(pdfTestWorker(), 0)
			return Options{Pool: p}, func() { p.Close() }
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts, done := tt.opts()
			defer done()
			opts.PDFToText, opts.Timeout = fake, time.Minute
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				// Cancel once the fake pdftotext runs.
				for ctx.Err() == nil && len(pdfTestProcs(t, marker)) == 0 {
					time.Sleep(10 * time.Millisecond)
				}
				cancel()
			}()
			_, err := Extract(ctx, "stuck.pdf", data, opts)
			cancel()
			if !errors.Is(err, context.Canceled) && (err == nil || !strings.Contains(err.Error(), "canceled")) {
				t.Fatalf("Extract with its context cancelled = %v, want a cancellation error", err)
			}
			if left := pdfTestProcs(t, marker); len(left) > 0 {
				t.Errorf("processes left running after the worker was killed: %q", left)
				for _, l := range left {
					if pid, err := strconv.Atoi(strings.Split(strings.TrimPrefix(l, "/proc/"), "/")[0]); err == nil {
						if p, err := os.FindProcess(pid); err == nil {
							p.Kill()
						}
					}
				}
			}
		})
	}
}
