package pipeline

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// TestIndexLegacyStamp brings up to date an index stamped the way peermap
// stamped it before digests (fingerprints of the decoded views): nothing
// changed is indexed again, the index gets digests, and a later change is
// found by them.
func TestIndexLegacyStamp(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "corpus", "peer", "text")
	if testing.Short() {
		t.Skip("ingests real files")
	}
	ctx := context.Background()
	w, _, err := Init(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if sum, err := w.Ingest(ctx, []string{src}, IngestOptions{Workers: 2}); err != nil || sum.Ingested == 0 {
		t.Skipf("nothing ingested from %s: %v", src, err)
	}
	if _, err := w.Annotate(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index(ctx); err != nil {
		t.Fatal(err)
	}
	ids, err := w.ingestedIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Stamp the index as an older peermap left it.
	ix, err := index.Open(w.IndexPath(), w.indexOptions(false))
	if err != nil {
		t.Fatal(err)
	}
	fps := map[corpus.DocID]string{}
	for _, id := range ids {
		vs, err := w.store.Views(id)
		if err != nil {
			t.Fatal(err)
		}
		fps[id] = fingerprint(vs)
	}
	raw, _ := json.Marshal(fps)
	if err := ix.SetStamps(map[string]string{stampFingerprints: string(raw)}); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetStamps(map[string]string{stampDigests: ""}); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	if sum, err := w.Index(ctx); err != nil || sum.Documents != 0 || sum.Rebuilt {
		t.Fatalf("Index of a fingerprinted index with nothing changed: %+v, %v; want nothing indexed", sum, err)
	}
	ps, err := w.store.Passages(ids[0])
	if err != nil || len(ps) == 0 {
		t.Fatalf("passages: %v", err)
	}
	if err := w.store.PutHumanCodes("t", ps[0].ID, []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation", Passage: ps[0].ID}}); err != nil {
		t.Fatal(err)
	}
	if sum, err := w.Index(ctx); err != nil || sum.Documents != 1 {
		t.Fatalf("Index after a hand code: %+v, %v; want 1 document", sum, err)
	}
	ix, err = index.Open(w.IndexPath(), w.indexOptions(true))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if fp, _ := ix.Stamp(stampFingerprints); fp != "" {
		t.Errorf("the fingerprints stamp is still there (%d bytes)", len(fp))
	}
	if d, _ := ix.Stamp(stampDigests); d == "" {
		t.Error("no digests stamp")
	}
}
