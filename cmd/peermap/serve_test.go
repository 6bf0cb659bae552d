package main

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/pipeline"
)

// syncBuffer is a bytes.Buffer a running command writes while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is a 'peermap serve' running in-process.
type server struct {
	URL    string // http://127.0.0.1:PORT
	stop   context.CancelFunc
	done   chan int
	stderr *syncBuffer
}

var servingRe = regexp.MustCompile(`serving \S+ on (http://\S+)/ `)

// serve starts 'peermap -w dir serve args...' and waits until it listens.
func serve(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stop: cancel, done: make(chan int, 1), stderr: &syncBuffer{}}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: s.stderr, log: zap.NewNop(), now: time.Now}
	go func() { s.done <- run(ctx, e, append([]string{"-w", dir, "serve"}, args...)) }()
	for range 200 {
		if m := servingRe.FindStringSubmatch(s.stderr.String()); m != nil {
			s.URL = m[1]
			t.Cleanup(func() { s.Stop(t) })
			return s
		}
		select {
		case code := <-s.done:
			cancel()
			t.Fatalf("serve exited with %d before listening: %s", code, s.stderr)
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s", s.stderr)
	return nil
}

// Stop stops the server and waits for it; a second Stop does nothing.
func (s *server) Stop(t *testing.T) {
	t.Helper()
	if s.done == nil {
		return
	}
	s.stop()
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("serve exited with %d: %s", code, s.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Error("serve did not stop within 10 s")
	}
	s.done = nil
}

// copyWorkspace copies the workspace src (store and index) to a new folder.
func copyWorkspace(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ws")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestServeRefusesOpenNetwork: serve on a non-loopback address does not
// start without a coder account, and does with one.
func TestServeRefusesOpenNetwork(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if code, _, errs := peermap(t, ws, "init"); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs := peermap(t, ws, "serve", "-addr", "0.0.0.0:0")
	if code != 2 || !strings.Contains(errs, "needs coder accounts") || !strings.Contains(errs, "-add-coder") {
		t.Fatalf("serve -addr 0.0.0.0:0 without accounts: exit %d, %q; want 2 and a hint", code, errs)
	}
	code, out, errs := peermap(t, ws, "serve", "-add-coder", "ana")
	token := strings.TrimSpace(out)
	if code != 0 || len(token) < 40 || strings.Contains(errs, token) {
		t.Fatalf("serve -add-coder ana: exit %d, stdout %q, stderr %q; want the token on stdout only", code, out, errs)
	}
	acc, err := pipeline.ReadAccounts(ws)
	if err != nil {
		t.Fatal(err)
	}
	if name, ok := acc.Coder(token); !ok || name != "ana" {
		t.Errorf("the printed token signs in as %q, %v; want ana", name, ok)
	}
	if code, _, errs := peermap(t, ws, "serve", "-add-coder", "consensus"); code == 0 {
		t.Errorf("serve -add-coder consensus: exit 0, want a refusal (%s)", errs)
	}
	s := serve(t, ws, "-addr", "0.0.0.0:0")
	if !strings.HasPrefix(s.URL, "http://0.0.0.0:") && !strings.HasPrefix(s.URL, "http://[::]:") {
		t.Errorf("serving on %s, want the unspecified address", s.URL)
	}
	s.Stop(t)
}

// TestServeCitesAsTheCLI serves the peer-support corpus read-only: the
// passage page cites a passage as 'peermap search' does, and the report's
// passage links stay on the server and open.
func TestServeCitesAsTheCLI(t *testing.T) {
	ws := peerWorkspace(t)
	code, out, errs := peermap(t, ws, "search", "-n", "5", "navigators")
	if code != 0 {
		t.Fatalf("search: %s", errs)
	}
	hits := regexp.MustCompile(`(?m)^\d+\. (.+) \[([0-9a-f]{12}/\d{4})\]`).FindAllStringSubmatch(out, -1)
	if len(hits) == 0 {
		t.Fatalf("no hit in the search output:\n%q\n%q", out, errs)
	}
	s := serve(t, ws, "-read-only", "-addr", "127.0.0.1:0")
	get := func(target string) string {
		t.Helper()
		resp, err := http.Get(s.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", target, resp.StatusCode)
		}
		return string(body)
	}
	citeRe := regexp.MustCompile(`<p class="cite">(.*?) \[`)
	for _, h := range hits {
		m := citeRe.FindStringSubmatch(get("/passage/" + h[2]))
		if m == nil || html.UnescapeString(m[1]) != h[1] {
			t.Errorf("passage %s: the page cites %q, the CLI %q", h[2], m, h[1])
		}
		if strings.Contains(h[1], "Anonymous") || strings.Contains(h[1], "(n.d.)") && regexp.MustCompile(`\(\d{4}\)`).MatchString(h[1]) {
			t.Errorf("citation %q", h[1])
		}
	}
	report := get("/report")
	links := regexp.MustCompile(`href="([^"]*passage[^"]*)"`).FindAllStringSubmatch(report, -1)
	if len(links) < 5 {
		t.Fatalf("the served report links %d passages, want several", len(links))
	}
	base, err := url.Parse(s.URL + "/report")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links[:10] {
		ref, err := url.Parse(html.UnescapeString(l[1]))
		if err != nil {
			t.Errorf("report link %q: %v", l[1], err)
			continue
		}
		u := base.ResolveReference(ref)
		if u.Host != base.Host || !strings.HasPrefix(u.Path, "/passage/") {
			t.Errorf("report link %q leads to %s, not a passage of this server", l[1], u)
			continue
		}
		get(u.RequestURI())
	}
}
