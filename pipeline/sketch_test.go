package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// TestGroupIncremental ingests real files that make version groups (an
// Embase export as RIS and as CSV, duplicates inside a CSL-JSON export, a
// web page and its Markdown source) in several runs, with the sketch file
// damaged before one run and deleted before another, and checks that the
// groups are always those of one workspace given everything at once.
func TestGroupIncremental(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests real files in two workspaces")
	}
	meta, peer := shared(t, "corpus/meta"), shared(t, "corpus/peer")
	steps := [][]string{
		{filepath.Join(meta, "asreview_embase.ris")},
		{filepath.Join(peer, "text")},
		{filepath.Join(meta, "asreview_embase.csv"), filepath.Join(peer, "html"), filepath.Join(meta, "deepreview_references.csl.json")},
		{filepath.Join(meta, "jabref_complex.bib")},
		{filepath.Join(peer, "tei")},
	}
	ctx := context.Background()
	dirA := t.TempDir()
	a := open(t, dirA)
	groups := func(ws *pipeline.Workspace) []corpus.Group {
		t.Helper()
		gs, err := ws.Store().Groups()
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}
	var all []string
	for i, paths := range steps {
		sketches := filepath.Join(dirA, "dedup.sketches")
		switch i {
		case 3: // a record cut short, as a killed process leaves it
			fi, err := os.Stat(sketches)
			if err != nil {
				t.Fatalf("no sketch file after %d ingests: %v", i, err)
			}
			if err := os.Truncate(sketches, fi.Size()-7); err != nil {
				t.Fatal(err)
			}
		case 4: // gone: a workspace made before sketches were kept
			if err := os.Remove(sketches); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Ingest(ctx, paths, pipeline.IngestOptions{Workers: 2}); err != nil {
			t.Fatal(err)
		}
		all = append(all, paths...)
		b := open(t, t.TempDir())
		if _, err := b.Ingest(ctx, all, pipeline.IngestOptions{Workers: 2}); err != nil {
			t.Fatal(err)
		}
		got, want := groups(a), groups(b)
		if i >= 2 && len(want) < 5 {
			t.Fatalf("step %d: only %d groups in the workspace given everything at once; the test needs more", i, len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("step %d: groups after ingesting step by step differ from ingesting all at once (-want +got):\n%s", i, diff)
		}
		b.Close()
	}
}

// TestExportsInOrder ingests the same export under two names with two
// workers: its records are stored once, from the first file, as a serial
// run would.
func TestExportsInOrder(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(shared(t, "corpus/meta"), "asreview_embase.ris"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	first, second := filepath.Join(src, "a-first.ris"), filepath.Join(src, "b-second.ris")
	for _, p := range []string{first, second} {
		if err := os.WriteFile(p, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := open(t, t.TempDir())
	sum, err := ws.Ingest(context.Background(), []string{src}, pipeline.IngestOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records == 0 {
		t.Fatalf("no records: %s", sum)
	}
	docs, err := ws.Store().Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if 2*len(docs) != sum.Records {
		t.Errorf("%d documents stored from %d records of two copies of one export", len(docs), sum.Records)
	}
	for _, d := range docs {
		if d.Source != first {
			t.Errorf("record %s stored from %s, want the first export %s", d.Path, d.Source, first)
		}
	}
}
