package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// useWorker makes PDF extraction in e run in child processes (the test
// binary re-executed, see TestMain), as the real binary does.
func useWorker(t *testing.T) []string {
	t.Helper()
	t.Setenv("PEERMAP_TEST_WORKER", "1")
	return []string{os.Args[0]}
}

func peermapWorker(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, log: zap.NewNop(), worker: useWorker(t),
		now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	code := run(context.Background(), e, append([]string{"-w", dir}, args...))
	return code, out.String(), errb.String()
}

func TestDemo(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	code, out, errs := peermap(t, ws, "demo")
	if code != 0 {
		t.Fatalf("demo exit code %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	md := filepath.Join(ws, "reports", "report.md")
	if !strings.Contains(out, md) {
		t.Errorf("demo stdout does not say where the report is (%s):\n%s", md, out)
	}
	data, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, fam := range []string{"peer support worker", "peer navigator", "community health worker", "outreach worker", "peer educator", "recovery coach", "mediator", "patient partner", "mutual aid group"} {
		if strings.Contains(string(data), fam) {
			named = append(named, fam)
		}
	}
	if len(named) < 5 {
		t.Errorf("demo report names %d label families (%q), want at least 5", len(named), named)
	}
	// A second run adds nothing and gives the same report bytes.
	code, _, errs = peermap(t, ws, "demo")
	if code != 0 || !strings.Contains(errs, "ingested 0, skipped 0") {
		t.Errorf("second demo: exit %d, stderr %q; want exit 0 and nothing ingested", code, errs)
	}
	again, _ := os.ReadFile(md)
	if string(again) != string(data) {
		t.Error("second demo run changed the report")
	}
	if code, out, _ := peermap(t, ws, "check"); code != 0 {
		t.Errorf("check after demo: exit %d: %s", code, out)
	}
}

// TestRunRealCorpus runs the pipeline on the shared HTML and PDF folders:
// every file ends ingested or skipped with a reason, and a second run adds
// nothing.
func TestRunRealCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the run over the shared HTML and PDF corpus")
	}
	html, pdf := shared(t, "corpus/html"), shared(t, "corpus/pdf")
	ws := filepath.Join(t.TempDir(), "ws")
	code, out, errs := peermapWorker(t, ws, "run", "-json", html, pdf)
	if code != 0 {
		t.Fatalf("run exit code %d\nstderr: %s", code, errs)
	}
	lines := decodeLines[pipeline.IngestResult](t, out)
	files, _ := filepath.Glob(filepath.Join(html, "*"))
	pdfs, _ := filepath.Glob(filepath.Join(pdf, "*"))
	if len(lines) != len(files)+len(pdfs) {
		t.Errorf("run printed %d results for %d files", len(lines), len(files)+len(pdfs))
	}
	var ingested int
	for _, r := range lines {
		switch r.Status {
		case corpus.StatusIngested:
			ingested++
			if r.Passages == 0 {
				t.Errorf("%s ingested with no passages", r.Path)
			}
		case corpus.StatusSkipped:
			if r.Reason == "" {
				t.Errorf("%s skipped without a reason", r.Path)
			}
		default:
			t.Errorf("%s: status %q (%s), want ingested or skipped", r.Path, r.Status, r.Reason)
		}
	}
	if ingested < len(lines)*3/4 {
		t.Errorf("only %d of %d files ingested", ingested, len(lines))
	}

	code, out, errs = peermapWorker(t, ws, "run", "-json", html, pdf)
	if code != 0 {
		t.Fatalf("second run exit code %d\nstderr: %s", code, errs)
	}
	for _, r := range decodeLines[pipeline.IngestResult](t, out) {
		if r.Status != corpus.StatusDuplicate {
			t.Errorf("second run: %s status %q, want duplicate (nothing added)", r.Path, r.Status)
		}
	}

	// A quoted phrase from a real page is found in that page.
	code, out, _ = peermap(t, ws, "search", "-json", "-n", "50", `"personalize Firefox"`)
	res := decodeSearch(t, code, out)
	if !slices.ContainsFunc(res.Hits, func(h corpus.Hit) bool { return strings.Contains(h.Path, "mozilla") }) {
		t.Errorf(`"personalize Firefox" not found in the mozilla page; hits: %v`, paths(res))
	}
	// The same words out of order are not the phrase.
	code, out, _ = peermap(t, ws, "search", "-json", "-n", "50", `"Firefox personalize"`)
	if res := decodeSearch(t, code, out); slices.ContainsFunc(res.Hits, func(h corpus.Hit) bool { return strings.Contains(h.Path, "mozilla") }) {
		t.Errorf(`"Firefox personalize" matched the mozilla page, which has the words only in the other order`)
	}
	// -lang narrows: only French documents.
	code, out, _ = peermap(t, ws, "search", "-json", "-n", "100", "-lang", "fr", "le")
	fr := decodeSearch(t, code, out)
	if len(fr.Hits) == 0 {
		t.Fatal("-lang fr found nothing")
	}
	for _, h := range fr.Hits {
		if h.Lang != "fr" {
			t.Errorf("-lang fr returned %s in %q", h.Path, h.Lang)
		}
	}
	code, out, _ = peermap(t, ws, "search", "-json", "-n", "100", "le")
	all := decodeSearch(t, code, out)
	if all.Total <= fr.Total {
		t.Errorf("-lang fr did not narrow: %d hits with, %d without", fr.Total, all.Total)
	}
}

func decodeSearch(t *testing.T, code int, out string) corpus.Results {
	t.Helper()
	if code != 0 {
		t.Fatalf("search exit code %d: %s", code, out)
	}
	var res corpus.Results
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search -json output: %v\n%s", err, out)
	}
	return res
}

func paths(res corpus.Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, filepath.Base(h.Path))
	}
	return out
}
