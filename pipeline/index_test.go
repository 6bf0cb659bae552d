package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// TestIndexUpdate brings an index up to date after a hand code and after a
// second ingest, and checks that it then answers queries exactly as an
// index rebuilt from scratch does, and that only the changed documents
// were indexed again.
func TestIndexUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests and indexes real files")
	}
	ctx := context.Background()
	peer := shared(t, "corpus/peer")
	dir := t.TempDir()
	ws := open(t, dir)
	first, err := ws.Ingest(ctx, []string{filepath.Join(peer, "text")}, pipeline.IngestOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Annotate(ctx, false); err != nil {
		t.Fatal(err)
	}
	if sum, err := ws.Index(ctx); err != nil || !sum.Rebuilt {
		t.Fatalf("first index: %+v, %v", sum, err)
	}
	// A hand code on one passage: one document to index again.
	docs, err := ws.Store().Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ws.Store().Passages(docs[0].ID)
	if err != nil || len(ps) == 0 {
		t.Fatalf("passages of %s: %d, %v", docs[0].ID.Short(), len(ps), err)
	}
	code := corpus.Annotation{Type: corpus.AnnCode, Code: "role.navigation", Passage: ps[0].ID, Annotator: "human:test"}
	if err := ws.Store().PutHumanCodes("test", ps[0].ID, []corpus.Annotation{code}); err != nil {
		t.Fatal(err)
	}
	if sum, err := ws.Index(ctx); err != nil || sum.Documents != 1 || sum.Rebuilt {
		t.Fatalf("index after a hand code: %+v, %v; want 1 document", sum, err)
	}
	// A second ingest: its documents are indexed, the others are not.
	second, err := ws.Ingest(ctx, []string{filepath.Join(peer, "html"), filepath.Join(peer, "tei")}, pipeline.IngestOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Annotate(ctx, false); err != nil {
		t.Fatal(err)
	}
	sum, err := ws.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents < second.Ingested || sum.Documents >= first.Ingested+second.Ingested {
		t.Errorf("index after a second ingest: %d documents indexed again; %d were new, %d before", sum.Documents, second.Ingested, first.Ingested)
	}
	queries := []corpus.Query{
		{Text: "peer support", Limit: 50, Facets: true},
		{Text: `"community health workers"`, Limit: 50},
		{Codes: []string{"role.navigation"}, Limit: 100},
		{Text: "santé", Langs: []string{"fr"}, Limit: 50},
		{Limit: 2000},
	}
	search := func() []string {
		var out []string
		for _, q := range queries {
			res, err := pipeline.Search(ctx, pipeline.Options{Dir: dir}, q, pipeline.SearchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s: %d hits, facets %v", q, res.Total, res.Facets))
			for _, h := range res.Hits {
				out = append(out, fmt.Sprintf("  %s %.5f %q %v %v %s", h.Passage, h.Score, h.Fragments, h.Codes, h.Labels, h.Group))
			}
		}
		return out
	}
	updated := search()
	if _, err := ws.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(search(), updated); diff != "" {
		t.Errorf("the updated index answers otherwise than a rebuilt one (-rebuilt +updated):\n%s", diff)
	}
}
