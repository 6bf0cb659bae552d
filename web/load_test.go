package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/web"
)

// The load test: PEERMAP_LOAD=1 runs it (make load; CI runs it in a job of
// its own, not in 'go test ./...'). PEERMAP_LOAD_WS=DIR keeps the built
// workspace there for the next run; PEERMAP_LOAD_CLIENTS and
// PEERMAP_LOAD_DURATION change 20 clients and 30s.
const (
	loadPassages = 20000 // the workspace has at least this many
	loadClients  = 20
	loadDuration = 30 * time.Second
)

// loadSources are the folders of ../shared/corpus the load workspace is
// built from: the SYNERGY sets of big/ (10k passages) and the other
// folders but pdf/, for at least loadPassages passages (PDF extraction
// needs the worker process and adds little).
var loadSources = []string{"big", "meta", "jats", "html", "peer", "webeval"}

// loadWorkspace opens the workspace dir and brings it up to date with
// loadSources (ingest, annotate, index through pipeline: a second run
// finds everything done).
func loadWorkspace(t *testing.T, dir string) *pipeline.Workspace {
	t.Helper()
	ctx := context.Background()
	ws, _, err := pipeline.Init(pipeline.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	{
		var paths []string
		for _, s := range loadSources {
			p := filepath.Join("..", "..", "shared", "corpus", s)
			if _, err := os.Stat(p); err != nil {
				t.Skipf("shared corpus not here (%s): the load test needs it", p)
			}
			paths = append(paths, p)
		}
		start := time.Now()
		if _, err := ws.Ingest(ctx, paths, pipeline.IngestOptions{Workers: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Annotate(ctx, false); err != nil {
			t.Fatal(err)
		}
		t.Logf("ingested and annotated the load workspace in %s", time.Since(start).Round(time.Second))
	}
	if _, err := ws.Index(ctx); err != nil {
		t.Fatal(err)
	}
	return ws
}

func envInt(t *testing.T, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", name, v)
		}
		return n
	}
	return def
}

// latencies collects the durations of one kind of request.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// pct returns the p-th percentile (nearest rank).
func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(l.d))
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func (l *latencies) String() string {
	l.mu.Lock()
	n := len(l.d)
	l.mu.Unlock()
	return fmt.Sprintf("n %d, p50 %s, p99 %s, max %s", n, l.pct(50).Round(time.Millisecond), l.pct(99).Round(time.Millisecond), l.pct(100).Round(time.Millisecond))
}

var loadQueries = []string{
	"q=peer+support", "q=navigator&family=peer+navigator", `q="community+health+worker"`, "q=training+supervision",
	"q=mental+health&kind=record", "q=recovery+coach", "q=homeless+outreach&dim=role", "q=HIV&code=role.education",
	"q=diabetes+self-management", "q=pair+aidant&lang=fr", "q=lay+health+worker&year=2010..2024", "q=hospital+discharge",
}

// TestLoad runs loadClients clients for loadDuration against a
// loopback server over a workspace of at least loadPassages passages.
// Each client searches (the API with facets, as the search page does),
// saves codes of a passage no one else saves (POST /api/codes, which also
// re-indexes its document), and every tenth round reads its queue. It
// reports p50 and p99 of each kind, against two baselines: one client
// searching alone, and the same clients searching without saving; it fails on any error and on any code lost (the store
// must hold exactly the codes each save sent).
func TestLoad(t *testing.T) {
	if os.Getenv("PEERMAP_LOAD") == "" {
		t.Skip("load test skipped: set PEERMAP_LOAD=1 (make load) to build a 20k-passage workspace and run 20 clients for 30 s")
	}
	dir := os.Getenv("PEERMAP_LOAD_WS")
	if dir == "" {
		dir = t.TempDir()
	}
	ws := loadWorkspace(t, dir)
	st := ws.Store()
	n, err := st.CountPassages()
	if err != nil {
		t.Fatal(err)
	}
	if n < loadPassages {
		t.Fatalf("the load workspace has %d passages, want at least %d", n, loadPassages)
	}
	ctx := context.Background()
	targets, err := st.MachineCoded(ctx)
	if err != nil {
		t.Fatal(err)
	}
	codes := ws.Codebook().Vocabulary().Codes
	clients := envInt(t, "PEERMAP_LOAD_CLIENTS", loadClients)
	dur := time.Duration(envInt(t, "PEERMAP_LOAD_DURATION", int(loadDuration/time.Second))) * time.Second

	live, err := ws.LiveIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{Workspace: ws, Addr: ln.Addr().String(), Search: live})
	if err != nil {
		t.Fatal(err)
	}
	srv := web.NewServer(h, zap.NewNop())
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients + 1}}

	var (
		search, save, queue, alone latencies
		errMu                      sync.Mutex
		errs                       []string
	)
	fail := func(what string, err error) {
		errMu.Lock()
		defer errMu.Unlock()
		if len(errs) < 20 {
			errs = append(errs, what+": "+err.Error())
		} else {
			errs = append(errs, "")
		}
	}
	call := func(l *latencies, req *http.Request) ([]byte, error) {
		start := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if l != nil {
			l.add(time.Since(start))
		}
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s %s = %d: %s", req.Method, req.URL.Path, resp.StatusCode, bytes.TrimSpace(body))
		}
		return body, nil
	}
	get := func(l *latencies, target string) error {
		req, err := http.NewRequest(http.MethodGet, base+target, nil)
		if err != nil {
			return err
		}
		_, err = call(l, req)
		return err
	}

	// Baseline: one client searching alone, each query once, twice.
	for range 2 {
		for _, q := range loadQueries {
			if err := get(&alone, "/api/search?n=20&"+q); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Second baseline: the same clients searching only, for a third of
	// the time: what the index updates of saves add to search latency.
	var searchOnly latencies
	{
		var wg sync.WaitGroup
		until := time.Now().Add(dur / 3)
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; time.Now().Before(until); i++ {
					if err := get(&searchOnly, "/api/search?n=20&"+loadQueries[(c+i)%len(loadQueries)]); err != nil {
						fail("search", err)
					}
				}
			}()
		}
		wg.Wait()
	}

	// The load: each client owns the passages i, i+clients, ... of targets.
	type sent struct {
		codes []string
		memo  string
	}
	saved := make([]map[corpus.PassageID]sent, clients)
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for c := range clients {
		saved[c] = map[corpus.PassageID]sent{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			coder := fmt.Sprintf("load%02d", c)
			for i := 0; time.Now().Before(deadline); i++ {
				if err := get(&search, "/api/search?n=20&"+loadQueries[(c+i)%len(loadQueries)]); err != nil {
					fail("search", err)
				}
				k := c + i*clients
				if k >= len(targets) {
					break
				}
				pid := targets[k]
				s := sent{codes: []string{codes[(c+i)%len(codes)].ID, codes[(c+3*i+7)%len(codes)].ID}}
				if i%5 == 0 {
					s.memo = fmt.Sprintf("memo %d of %s", i, coder)
				}
				slices.Sort(s.codes)
				s.codes = slices.Compact(s.codes)
				body, _ := json.Marshal(map[string]any{"passage": pid.Short(), "coder": coder, "codes": s.codes, "memo": s.memo})
				req, err := http.NewRequest(http.MethodPost, base+"/api/codes", bytes.NewReader(body))
				if err != nil {
					fail("save", err)
					continue
				}
				req.Header.Set("Content-Type", "application/json")
				if _, err := call(&save, req); err != nil {
					fail("save", err)
					continue
				}
				saved[c][pid] = s
				if i%10 == 9 {
					if err := get(&queue, "/api/queue?n=10&coder="+url.QueryEscape(coder)); err != nil {
						fail("queue", err)
					}
				}
			}
		}()
	}
	wg.Wait()
	srv.Close()

	// Every code sent is in the store, and nothing else.
	lost, count := 0, 0
	for c := range clients {
		coder := fmt.Sprintf("load%02d", c)
		coded, err := st.Coded(coder)
		if err != nil {
			t.Fatal(err)
		}
		anns, err := st.HumanCodes(coder)
		if err != nil {
			t.Fatal(err)
		}
		got := map[corpus.PassageID]sent{}
		for _, a := range anns {
			g := got[a.Passage]
			g.codes = append(g.codes, a.Code)
			if a.Note != "" {
				g.memo = a.Note
			}
			got[a.Passage] = g
		}
		count += len(saved[c])
		if len(coded) != len(saved[c]) {
			t.Errorf("%s: %d passages coded in the store, %d saved", coder, len(coded), len(saved[c]))
		}
		for pid, s := range saved[c] {
			g := got[pid]
			slices.Sort(g.codes)
			if !slices.Equal(g.codes, s.codes) || g.memo != s.memo {
				lost++
				if lost <= 5 {
					t.Errorf("%s %s: store holds %v %q, sent %v %q", coder, pid.Short(), g.codes, g.memo, s.codes, s.memo)
				}
			}
		}
	}
	t.Logf("workspace: %d passages (%s); %d clients for %s on loopback", n, strings.Join(loadSources, ", "), clients, dur)
	t.Logf("baseline, one client searching alone: %s", &alone)
	t.Logf("search, %d clients searching only: %s", clients, &searchOnly)
	t.Logf("search under load: %s (p50 %.1f× the one-client baseline's, %.1f× the search-only load's)", &search,
		float64(search.pct(50))/float64(max(alone.pct(50), 1)), float64(search.pct(50))/float64(max(searchOnly.pct(50), 1)))
	t.Logf("code save (store + re-index) under load: %s", &save)
	t.Logf("queue under load: %s", &queue)
	t.Logf("errors %d; codes saved %d, in the store %d, lost %d", len(errs), count, count-lost, lost)
	if len(errs) > 0 {
		t.Errorf("%d errors under load, first: %q", len(errs), errs[:min(len(errs), 5)])
	}
	if count == 0 || len(search.d) == 0 {
		t.Error("no request completed")
	}
}
