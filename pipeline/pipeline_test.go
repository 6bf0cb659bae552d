package pipeline_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// shared returns a folder of ../shared, or skips the test when the shared
// data is not here.
func shared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data not here (%s): %v", p, err)
	}
	return p
}

func open(t *testing.T, dir string) *pipeline.Workspace {
	t.Helper()
	ws, _, err := pipeline.Init(pipeline.Options{Dir: dir, Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// TestStages runs every stage over real files through the package (no
// binary): each input settled once, a second ingest adds nothing, the index
// and the store agree, and a search finds what the text holds.
func TestStages(t *testing.T) {
	ctx := context.Background()
	src := shared(t, "corpus/peer/text")
	ws := open(t, t.TempDir())
	var results []pipeline.IngestResult
	sum, err := ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{Workers: 2, OnResult: func(r pipeline.IngestResult) { results = append(results, r) }})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(src, "*"))
	if len(results) != len(files) || sum.Ingested+sum.Skipped+sum.Duplicate+sum.Failed != len(files) {
		t.Fatalf("%d inputs, %d results, summary %s", len(files), len(results), sum)
	}
	for i := 1; i < len(results); i++ {
		if results[i-1].Path > results[i].Path {
			t.Errorf("results out of input order: %s before %s", results[i-1].Path, results[i].Path)
		}
	}
	if sum.Ingested == 0 || sum.Failed > 0 {
		t.Fatalf("ingest: %s", sum)
	}
	again, err := ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{})
	if err != nil || again.Duplicate != len(files) {
		t.Fatalf("second ingest: %v, %v; want every input a duplicate", again, err)
	}
	ann, err := ws.Annotate(ctx, false)
	if err != nil || ann.Documents != sum.Ingested {
		t.Fatalf("annotate: %+v, %v; want %d documents", ann, err, sum.Ingested)
	}
	if ann, err := ws.Annotate(ctx, false); err != nil || ann.Documents != 0 {
		t.Fatalf("second annotate: %+v, %v; want nothing to do", ann, err)
	}
	ix, err := ws.Index(ctx)
	if err != nil || !ix.Rebuilt || ix.Passages != sum.Passages {
		t.Fatalf("index: %+v, %v; want a rebuild with %d passages", ix, err, sum.Passages)
	}
	if ix, err := ws.Index(ctx); err != nil || ix.Documents != 0 {
		t.Fatalf("second index: %+v, %v; want nothing to do", ix, err)
	}
	chk, err := ws.Check(ctx)
	if err != nil || len(chk.Problems) > 0 || chk.Passages != sum.Passages {
		t.Fatalf("check: %+v, %v", chk, err)
	}
	st, err := ws.Stats(ctx)
	if err != nil || st.Documents != sum.Ingested || st.Passages != sum.Passages || st.Annotated != sum.Ingested {
		t.Fatalf("stats: %+v, %v", st, err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	// Search opens the index read-only: the phrase (stemmed: "patient
	// navigators", "patient navigation") is in the Tampa record.
	q, err := corpus.ParseQuery(`"patient navigator"`)
	if err != nil {
		t.Fatal(err)
	}
	q.Limit = 5
	res, err := pipeline.Search(ctx, pipeline.Options{Dir: ws.Dir()}, q, pipeline.SearchOptions{})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %+v, %v", res, err)
	}
	for _, h := range res.Hits {
		if !strings.Contains(strings.ToLower(strings.Join(strings.Fields(h.Text), " ")), "patient navig") {
			t.Errorf("hit %s lacks the phrase: %q", h.Passage, h.Text)
		}
	}
}

// TestIngestCancel cancels ingests with several workers at once at many
// points: no panic, no error but the cancellation, and a resumed run ends
// with the same corpus as an uninterrupted one.
func TestIngestCancel(t *testing.T) {
	src := shared(t, "corpus/html")
	ctx := context.Background()
	full := open(t, t.TempDir())
	if _, err := full.Ingest(ctx, []string{src}, pipeline.IngestOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	want, err := full.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, after := range []time.Duration{0, time.Millisecond, 20 * time.Millisecond, 80 * time.Millisecond} {
		ws := open(t, t.TempDir())
		cctx, cancel := context.WithTimeout(ctx, after)
		_, err := ws.Ingest(cctx, []string{src}, pipeline.IngestOptions{Workers: 3})
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("cancelled after %v: %v", after, err)
		}
		if _, err := ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{Workers: 2}); err != nil {
			t.Fatal(err)
		}
		got, err := ws.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Documents != want.Documents || got.Passages != want.Passages {
			t.Errorf("cancelled after %v, then resumed: %d documents, %d passages; uninterrupted: %d, %d", after, got.Documents, got.Passages, want.Documents, want.Passages)
		}
	}
}

// TestReadOnly: a read-only workspace refuses the writing stages with a
// clear error and still reports.
func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	ws := open(t, dir)
	ws.Close()
	ro, err := pipeline.Open(pipeline.Options{Dir: dir, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Ingest(context.Background(), []string{"x"}, pipeline.IngestOptions{}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Ingest on a read-only workspace = %v, want a read-only error", err)
	}
	if _, err := ro.Annotate(context.Background(), false); err == nil {
		t.Error("Annotate on a read-only workspace = nil error")
	}
	if _, err := ro.Report(context.Background(), pipeline.ReportOptions{}); err != nil {
		t.Errorf("Report on an empty read-only workspace: %v", err)
	}
	if _, err := pipeline.Open(pipeline.Options{Dir: filepath.Join(dir, "nothing")}); !errors.Is(err, corpus.ErrNoStore) {
		t.Errorf("Open(no workspace) = %v, want ErrNoStore", err)
	}
}

// TestHumanCodesSurvive: hand codes come through re-annotation with a new
// codebook, a refitted model, a forced re-annotation and a rebuilt index
// byte for byte.
func TestHumanCodesSurvive(t *testing.T) {
	ctx := context.Background()
	src := shared(t, "corpus/peer/text")
	dir := t.TempDir()
	ws := open(t, dir)
	if _, err := ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Annotate(ctx, false); err != nil {
		t.Fatal(err)
	}
	docs, err := ws.Store().Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range docs[:3] {
		ps, err := ws.Store().Passages(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps[:min(2, len(ps))] {
			anns := []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation", Spans: []corpus.Span{{Start: 0, End: 4}}, Note: "é, “memo”"}}
			if err := ws.Store().PutHumanCodes("ana", p.ID, anns); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	before := humanBytes(t, ws)
	ws.Close()

	// A new codebook version (a changed title gives a new hash) re-annotates everything.
	cb, err := pipeline.LoadCodebook("")
	if err != nil {
		t.Fatal(err)
	}
	var yaml bytes.Buffer
	if err := cb.WriteYAML(&yaml); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(yaml.String(), "title:", "title: changed", 1)
	cbPath := filepath.Join(t.TempDir(), "cb.yaml")
	if err := os.WriteFile(cbPath, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	ws2, _, err := pipeline.Init(pipeline.Options{Dir: dir, Codebook: cbPath})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ws2.Annotate(ctx, false)
	if err != nil || sum.Documents != len(docs) {
		t.Fatalf("annotate with a new codebook: %+v, %v; want every document", sum, err)
	}
	ws2.Close()
	ws3 := open(t, dir)
	if _, err := ws3.Learn(ctx); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := ws3.Annotate(ctx, true); return err },
		func() error { _, err := ws3.Reindex(ctx); return err },
		func() error { _, err := ws3.Index(ctx); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if after := humanBytes(t, ws3); after != before || n == 0 {
		t.Errorf("human codes changed:\nbefore %s\nafter  %s", before, after)
	}
}

func humanBytes(t *testing.T, ws *pipeline.Workspace) string {
	t.Helper()
	hc, err := ws.Store().HumanCodes("")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(hc)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestLegacyModel: a workspace model kept as gzip-compressed JSON (how
// 'annotate -learn' saved it before model.bin) is still read, and keeps
// the annotator name it had (the hash of its JSON).
func TestLegacyModel(t *testing.T) {
	dir := t.TempDir()
	m, err := annotate.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(js)
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "model.json.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ws := open(t, dir)
	tg, err := ws.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(js)
	want := "model@" + m.Codebook + "+" + hex.EncodeToString(sum[:4])
	if got := tg.Annotator(); got != want || got == "model@"+m.Codebook+"+"+m.Hash() {
		t.Fatalf("annotator %s, want %s (the legacy model's)", got, want)
	}
}

// TestExportElsewhere: the same reference export under another path (a
// copy, or the folder named another way) is a duplicate of the first, not
// read again; an export with other bytes is read.
func TestExportElsewhere(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(shared(t, "corpus/meta"), "jabref_MedlinePlainImporterTestMultipleEntries.txt")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a", "refs.txt"), filepath.Join(dir, "b", "copy.txt"), filepath.Join(dir, "c", "other.txt")
	for _, f := range []struct {
		path string
		data []byte
	}{{a, data}, {b, data}, {c, append(slices.Clone(data), '\n')}} {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := open(t, t.TempDir())
	first, err := ws.Ingest(ctx, []string{a}, pipeline.IngestOptions{})
	if err != nil || first.Ingested != 1 || first.Records == 0 {
		t.Fatalf("first ingest: %+v, %v", first, err)
	}
	var res []pipeline.IngestResult
	again, err := ws.Ingest(ctx, []string{b}, pipeline.IngestOptions{OnResult: func(r pipeline.IngestResult) { res = append(res, r) }})
	if err != nil || again.Duplicate != 1 || again.Ingested != 0 || again.Records != 0 {
		t.Fatalf("the copy: %+v, %v; want a duplicate, no record read", again, err)
	}
	if len(res) != 1 || !strings.Contains(res[0].Reason, a) {
		t.Fatalf("the copy's result %+v, want 'same bytes as %s'", res, a)
	}
	src2, err := ws.Store().Source(b)
	if err != nil || src2.Status != corpus.StatusDuplicate || src2.SHA256 == "" {
		t.Fatalf("the copy's source %+v, %v", src2, err)
	}
	other, err := ws.Ingest(ctx, []string{c}, pipeline.IngestOptions{})
	if err != nil || other.Ingested != 1 || other.Records != first.Records {
		t.Fatalf("an export with other bytes: %+v, %v; want it read (%d records)", other, err, first.Records)
	}
}
