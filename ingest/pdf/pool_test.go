package pdf

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
)

// TestWorkerPool checks that pooled workers are reused between files, and
// that a crashed or hung worker becomes a Skip and is replaced.
func TestWorkerPool(t *testing.T) {
	data := pdfTestDoc([]string{"Peer navigators accompany patients to their appointments."})
	t.Setenv(pdfTestWorkerEnv, "1")
	p := NewPool(pdfTestWorker(), 0)
	opts := Options{Pool: p, Timeout: time.Second}
	ctx := context.Background()
	for i := range 3 {
		doc, err := Extract(ctx, "a.pdf", data, opts)
		if err != nil || doc.Skip != corpus.NotSkipped || !strings.Contains(doc.Text, "Peer navigators") {
			t.Fatalf("file %d through the pool: %v, skip %q, text %q", i, err, doc.SkipDetail, doc.Text)
		}
	}
	if len(p.idle) != 1 || p.idle[0].served != 3 {
		t.Fatalf("after 3 files in turn: %d idle workers, want 1 that served 3", len(p.idle))
	}
	first := p.idle[0]

	// A worker that crashes gives a skip, and is not reused.
	first.kill() // as if it died between files
	doc, err := Extract(ctx, "b.pdf", data, opts)
	if err != nil || doc.Skip != corpus.SkipFailed || !strings.Contains(doc.SkipDetail, "worker crashed") {
		t.Fatalf("dead worker: %v, skip %v %q; want SkipFailed 'worker crashed'", err, doc.Skip, doc.SkipDetail)
	}
	if doc, err := Extract(ctx, "c.pdf", data, opts); err != nil || doc.Skip != corpus.NotSkipped {
		t.Fatalf("after a crash the next file: %v, %q", err, doc.SkipDetail)
	}

	// A hung worker is killed at the time limit.
	t.Setenv(pdfTestWorkerEnv, "hang")
	hung := NewPool(pdfTestWorker(), 0)
	doc, err = Extract(ctx, "d.pdf", data, Options{Pool: hung, Timeout: 100 * time.Millisecond})
	if err != nil || doc.Skip != corpus.SkipTimeout {
		t.Fatalf("hung worker: %v, skip %v %q; want SkipTimeout", err, doc.Skip, doc.SkipDetail)
	}
	if len(hung.idle) != 0 {
		t.Error("a killed worker went back to the pool")
	}

	// Close stops the idle workers.
	idle := p.idle[0]
	p.Close()
	select {
	case <-idle.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close left a worker running")
	}
}

// TestWorkerPoolWarm checks that a worker started ahead by Warm is the one
// the next extraction uses, and that Warm starts nothing once the pool is
// closed.
func TestWorkerPoolWarm(t *testing.T) {
	data := pdfTestDoc([]string{"Peer navigators accompany patients to their appointments."})
	t.Setenv(pdfTestWorkerEnv, "1")
	p := NewPool(pdfTestWorker(), 0)
	p.Warm()
	p.Warm()
	if len(p.idle) != 2 {
		t.Fatalf("after two Warm calls: %d idle workers, want 2", len(p.idle))
	}
	warmed := map[*pdfChild]bool{p.idle[0]: true, p.idle[1]: true}
	doc, err := Extract(context.Background(), "a.pdf", data, Options{Pool: p, Timeout: 5 * time.Second})
	if err != nil || doc.Skip != corpus.NotSkipped || !strings.Contains(doc.Text, "Peer navigators") {
		t.Fatalf("extraction by a warmed worker: %v, skip %q, text %q", err, doc.SkipDetail, doc.Text)
	}
	if len(p.idle) != 2 {
		t.Fatalf("after one file: %d idle workers, want the 2 warmed ones", len(p.idle))
	}
	served := 0
	for _, c := range p.idle {
		if !warmed[c] {
			t.Error("a worker other than the warmed ones was started")
		}
		served += c.served
	}
	if served != 1 {
		t.Errorf("the warmed workers served %d files, want 1", served)
	}
	idle := p.idle
	p.Close()
	for _, c := range idle {
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			t.Fatal("Close left a warmed worker running")
		}
	}
	p.Warm()
	if len(p.idle) != 0 {
		t.Error("Warm started a worker in a closed pool")
	}
}
