package pdf

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
)

// A pdfVariant is a damaged copy of a corpus PDF.
type pdfVariant struct {
	file, kind string
	data       []byte
	pdftotext  bool // extracted with pdftotext as the fallback
}

// pdfObjects returns where the indirect objects of data lie: each from the
// end of the one before (or the header) to the end of its "endobj".
func pdfObjects(data []byte) [][2]int {
	var locs [][2]int
	start := min(len(data), 9)
	for {
		i := bytes.Index(data[start:], []byte("endobj"))
		if i < 0 {
			return locs
		}
		end := start + i + len("endobj")
		locs = append(locs, [2]int{start, end})
		start = end
	}
}

// pdfDamage returns n damaged copies of data (n ≤ 20), made from r: cut at
// many offsets, bytes flipped, ranges zeroed, the cross-reference section
// repeated, objects deleted, and a few of these at once.
func pdfDamage(r *rand.Rand, data []byte, n int) []pdfVariant {
	at := func(f float64) int { return int(f * float64(len(data))) }
	cut := func(i int) []byte { return bytes.Clone(data[:min(max(i, 0), len(data))]) }
	flip := func(b []byte, k int) []byte {
		b = bytes.Clone(b)
		for range k {
			if len(b) > 0 {
				b[r.IntN(len(b))] ^= byte(1 + r.IntN(255))
			}
		}
		return b
	}
	zero := func(b []byte, size int) []byte {
		b = bytes.Clone(b)
		if len(b) > 0 {
			start := r.IntN(len(b))
			clear(b[start:min(len(b), start+size)])
		}
		return b
	}
	xrefTwice := func() []byte {
		i := bytes.LastIndex(data, []byte("xref"))
		if i < 0 {
			i = max(0, len(data)-2048)
		}
		return append(bytes.Clone(data), data[i:]...) // a second xref, trailer and startxref
	}
	xrefInside := func() []byte {
		i := bytes.LastIndex(data, []byte("xref"))
		if i < 0 {
			return flip(data, 4)
		}
		j := r.IntN(i + 1) // a copy of the xref section inside the body
		return slices.Concat(data[:j], data[i:], data[j:])
	}
	objs := pdfObjects(data)
	deleteObjs := func(share float64, least int) []byte {
		locs := objs
		if len(locs) == 0 {
			return cut(at(r.Float64()))
		}
		k := max(least, int(share*float64(len(locs))))
		drop := map[int]bool{}
		for range k {
			drop[r.IntN(len(locs))] = true
		}
		var b []byte
		prev := 0
		for i, l := range locs {
			if drop[i] {
				b = append(b, data[prev:l[0]]...)
				prev = l[1]
			}
		}
		return append(b, data[prev:]...)
	}
	all := []pdfVariant{
		{kind: "cut 2%", data: cut(at(0.02))},
		{kind: "cut 10%", data: cut(at(0.10))},
		{kind: "cut 30%", data: cut(at(0.30))},
		{kind: "cut 50%", data: cut(at(0.50))},
		{kind: "cut 80%", data: cut(at(0.80))},
		{kind: "cut before the end", data: cut(len(data) - 1 - r.IntN(64))},
		{kind: "flip 1 byte", data: flip(data, 1)},
		{kind: "flip 8 bytes", data: flip(data, 8)},
		{kind: "flip 64 bytes", data: flip(data, 64)},
		{kind: "flip 512 bytes", data: flip(data, 512)},
		{kind: "zero 64 B", data: zero(data, 64)},
		{kind: "zero 4 KiB", data: zero(data, 4<<10)},
		{kind: "zero 64 KiB", data: zero(data, 64<<10)},
		{kind: "xref twice", data: xrefTwice()},
		{kind: "xref inside", data: xrefInside()},
		{kind: "delete 1 object", data: deleteObjs(0, 1)},
		{kind: "delete 5% objects", data: deleteObjs(0.05, 2)},
		{kind: "delete 25% objects", data: deleteObjs(0.25, 3)},
		{kind: "cut and flip", data: flip(cut(at(0.2+0.7*r.Float64())), 16)},
		{kind: "delete objects and zero", data: zero(deleteObjs(0.1, 1), 1<<10)},
	}
	return all[:min(n, len(all))]
}

// pdfChildren returns the processes whose parent is this process.
func pdfChildren(t *testing.T) []string {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	self := fmt.Sprint(os.Getpid())
	var out []string
	for _, s := range stats {
		b, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ")".
		i := bytes.LastIndexByte(b, ')')
		if f := strings.Fields(string(b[i+1:])); len(f) > 1 && f[1] == self {
			out = append(out, string(b[:i+1]))
		}
	}
	return out
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// TestHostile runs damaged copies of every corpus PDF through a worker pool
// (two workers, as on the project machine), half of them with pdftotext as
// the fallback. Each must end extracted (valid text, pages inside it) or
// skipped with a reason, or with an error naming the file, within its time
// limit (plus the 2 s the pool gives a worker to report its own timeout);
// the test process must not crash; after the pool is closed no worker, no
// pdftotext, no goroutine and no temporary file may be left.
//
// 20 variants per file (520 on the 26 files); under -short or -race 2 per
// file, each file a different two (race-built workers are several times
// slower). Variants come from a
// fixed seed: a failure names the file and the damage, and the same run
// rebuilds it.
func TestHostile(t *testing.T) {
	files := pdfCorpusFiles(t)
	sample := testing.Short() || raceEnabled
	timeout := 15 * time.Second
	var variants []pdfVariant
	for i, f := range files {
		data := mustRead(t, f)
		r := rand.New(rand.NewPCG(15, uint64(i)))
		for j, v := range pdfDamage(r, data, 20) {
			if sample && j != i%20 && j != (i+10)%20 {
				continue // two kinds of damage per file, a different two for each
			}
			v.file = filepath.Base(f)
			v.pdftotext = (i+j)%2 == 0 // each kind of damage with and without it
			variants = append(variants, v)
		}
	}
	if want := 500; !sample && len(variants) < want {
		t.Fatalf("%d variants, want at least %d", len(variants), want)
	}
	goroutines := runtime.NumGoroutine()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the pool's workers make their folders here
	t.Setenv(pdfTestWorkerEnv, "1")
	pool := NewPool(pdfTestWorker(), 1<<30)

	type outcome struct {
		v    pdfVariant
		doc  *Result
		err  error
		took time.Duration
	}
	out := make([]outcome, len(variants))
	var wg sync.WaitGroup
	next := make(chan int)
	start := time.Now()
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v := variants[i]
				opts := Options{Pool: pool, Timeout: timeout}
				if !v.pdftotext {
					opts.PDFToText = "-"
				}
				t0 := time.Now()
				doc, err := Extract(context.Background(), v.file, v.data, opts)
				out[i] = outcome{v, doc, err, time.Since(t0)}
			}
		}()
	}
	for i := range variants {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	pool.Close()

	counts := map[string]int{}
	var crashes []string
	for _, o := range out {
		name := o.v.file + " (" + o.v.kind + ")"
		if o.took > timeout+2*time.Second+3*time.Second {
			t.Errorf("%s: took %s, over its limit of %s", name, o.took.Round(time.Millisecond), timeout)
		}
		switch {
		case o.err != nil:
			counts["error"]++
			if !strings.Contains(o.err.Error(), o.v.file) {
				t.Errorf("%s: error %q does not name the file", name, o.err)
			}
		case o.doc.Skip != corpus.NotSkipped:
			reason := o.doc.SkipDetail
			if reason == "" {
				t.Errorf("%s: skipped (%v) without a reason", name, o.doc.Skip)
			}
			if o.doc.Skip == corpus.SkipFailed || o.doc.Skip == corpus.SkipTimeout {
				crashes = append(crashes, name+": "+reason)
			}
			if i := strings.IndexAny(reason, ":;("); i > 0 {
				reason = reason[:i]
			}
			counts["skipped: "+strings.TrimSpace(reason)]++
		default:
			counts["extracted"]++
			if !utf8.ValidString(o.doc.Text) || strings.TrimSpace(o.doc.Text) == "" {
				t.Errorf("%s: extracted text empty or not valid UTF-8", name)
			}
			for _, p := range o.doc.Pages {
				if p.Start < 0 || p.End < p.Start || p.End > len(o.doc.Text) {
					t.Errorf("%s: page %+v outside text of %d bytes", name, p, len(o.doc.Text))
				}
			}
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range counts {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		t.Logf("%-60s %d", k, counts[k])
	}
	t.Logf("%d variants of %d files in %s; %d crashed or timed out", len(variants), len(files), elapsed.Round(time.Second), len(crashes))
	for _, c := range crashes {
		t.Logf("  %s", c)
	}

	if left := pdfChildren(t); !waitFor(5*time.Second, func() bool { left = pdfChildren(t); return len(left) == 0 }) {
		t.Errorf("processes left after the pool closed: %q", left)
	}
	if !waitFor(5*time.Second, func() bool { return runtime.NumGoroutine() <= goroutines }) {
		t.Errorf("%d goroutines after the run, %d before", runtime.NumGoroutine(), goroutines)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}
