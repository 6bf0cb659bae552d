package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
	"github.com/peermap/peermap/report"
)

var (
	peerOnce sync.Once
	peerWS   string
	peerErr  string
)

// peerWorkspace runs the pipeline once on ../shared/corpus/peer (real
// peer-support literature) and returns the workspace, shared by the tests below.
func peerWorkspace(t *testing.T) string {
	t.Helper()
	src := shared(t, "corpus/peer")
	peerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "peermap-peer-")
		if err != nil {
			peerErr = err.Error()
			return
		}
		peerWS = filepath.Join(dir, "ws")
		code, out, errs := peermap(t, peerWS, "run", src)
		if code != 0 {
			peerErr = fmt.Sprintf("run exit code %d\n%s%s", code, out, errs)
		}
	})
	if peerErr != "" {
		t.Fatal(peerErr)
	}
	return peerWS
}

func TestPeerLabelFilter(t *testing.T) {
	ws := peerWorkspace(t)
	code, out, _ := peermap(t, ws, "search", "-json", "-n", "200", "community")
	all := decodeSearch(t, code, out)
	code, out, _ = peermap(t, ws, "search", "-json", "-n", "200", "-family", "community health worker", "community")
	chw := decodeSearch(t, code, out)
	if chw.Total == 0 || chw.Total >= all.Total {
		t.Fatalf("-family narrowing: %d hits with the filter, %d without", chw.Total, all.Total)
	}
	// Every hit names a label of the family, according to the store's annotations.
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, h := range chw.Hits {
		anns, err := s.Annotations(h.Doc)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(anns, func(a corpus.Annotation) bool {
			return a.Passage == h.Passage && a.Type == corpus.AnnLabel && !a.Negated && a.Family == "community health worker"
		}) {
			t.Errorf("passage %s under -family 'community health worker' names no such label: %q", h.Passage.Short(), text.Shorten(h.Text, 200))
		}
	}
	// The label filter on a canonical label narrows too.
	code, out, _ = peermap(t, ws, "search", "-json", "-n", "200", "-label", "patient navigator", "")
	nav := decodeSearch(t, code, out)
	if nav.Total == 0 {
		t.Error("-label 'patient navigator' found nothing in the peer corpus (ClinicalTrials.gov texts name patient navigators)")
	}
	// A quoted phrase is found, and words apart do not match the phrase.
	code, out, _ = peermap(t, ws, "search", "-json", `"patient navigator"`)
	if res := decodeSearch(t, code, out); res.Total == 0 {
		t.Error(`"patient navigator" not found`)
	}
}

// TestPeerReportQuotes checks that on real peer-support literature the
// report names at least 8 label families and that every quote's citation
// resolves to a real passage whose text contains the quote.
func TestPeerReportQuotes(t *testing.T) {
	ws := peerWorkspace(t)
	code, out, errs := peermap(t, ws, "report", "-format", "json", "-o", "-")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	quotes := r.Quotes()
	if len(quotes) == 0 {
		t.Fatal("report has no quotes")
	}
	for _, q := range quotes {
		p, err := s.Passage(q.Passage)
		if err != nil {
			t.Errorf("quote cites passage %s: %v", q.Passage, err)
			continue
		}
		if q.Start < 0 || q.End > len(p.Text) || q.Start > q.End || p.Text[q.Start:q.End] != q.Text {
			t.Errorf("quote %q does not match passage %s at [%d,%d)", text.Shorten(q.Text, 80), q.Passage.Short(), q.Start, q.End)
		}
		if q.Doc != p.Doc {
			t.Errorf("quote of %s cites document %s", q.Passage.Short(), q.Doc.Short())
		}
	}
	families := map[string]bool{}
	for _, fam := range []string{"peer support worker", "peer navigator", "community health worker", "outreach worker", "peer educator", "recovery coach", "mediator", "patient partner", "mutual aid group"} {
		if strings.Contains(out, `"`+fam+`"`) {
			families[fam] = true
		}
	}
	if len(families) < 8 {
		t.Errorf("report on the peer corpus names %d label families, want at least 8: %v", len(families), families)
	}
}

func TestExportAndCheck(t *testing.T) {
	ws := peerWorkspace(t)
	if code, out, _ := peermap(t, ws, "check"); code != 0 {
		t.Errorf("check: exit %d: %s", code, out)
	}
	out := filepath.Join(t.TempDir(), "corpus.jsonl")
	if code, _, errs := peermap(t, ws, "export", "-o", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	fh, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 64<<20)
	var docText string
	var docs, passages int
	for sc.Scan() {
		var obj struct {
			Type        string `json:"type"`
			Text        string `json:"text"`
			Start, End  int
			Annotations []corpus.Annotation `json:"annotations"`
		}
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatal(err)
		}
		switch obj.Type {
		case "document":
			docs++
			docText = obj.Text
		case "passage":
			passages++
			if docText[obj.Start:obj.End] != obj.Text {
				t.Fatalf("exported passage text does not match its document at [%d,%d)", obj.Start, obj.End)
			}
		default:
			t.Fatalf("unknown export line type %q", obj.Type)
		}
	}
	if docs < 50 || passages < docs {
		t.Errorf("export: %d documents, %d passages", docs, passages)
	}
}

// TestResume kills an ingest part-way (context cancelled) and checks that
// running it again ends with the same corpus as an uninterrupted run:
// nothing lost, nothing duplicated.
func TestResume(t *testing.T) {
	src := shared(t, "corpus/peer")
	full := filepath.Join(t.TempDir(), "full")
	if code, _, errs := peermap(t, full, "ingest", src); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	part := filepath.Join(t.TempDir(), "part")
	ctx, cancel := context.WithCancel(context.Background())
	var errb strings.Builder
	e := &env{stdout: &strings.Builder{}, stderr: &errb, log: zap.NewNop(), now: time.Now}
	go func() { time.Sleep(150 * time.Millisecond); cancel() }()
	code := run(ctx, e, []string{"-w", part, "ingest", src})
	t.Logf("interrupted ingest: exit %d: %s", code, strings.TrimSpace(errb.String()))
	if code, _, errs := peermap(t, part, "ingest", src); code != 0 {
		t.Fatalf("resumed ingest: %s", errs)
	}
	want, got := corpusDigest(t, full), corpusDigest(t, part)
	if want != got {
		t.Errorf("resumed corpus differs from an uninterrupted one:\nwant %s\ngot  %s", want, got)
	}
}

// corpusDigest summarises a workspace's documents and passage counts.
func corpusDigest(t *testing.T, ws string) string {
	t.Helper()
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, err := s.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range docs {
		ps, _ := s.Passages(d.ID)
		fmt.Fprintf(&b, "%s:%d ", d.ID.Short(), len(ps))
	}
	n, err := s.CountPassages()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "documents=%d passages=%d", len(docs), n)
	return b.String()
}
