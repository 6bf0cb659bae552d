package index

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/peermap/peermap/corpus"
)

// TestListPages checks DocIDs and DeleteDocs when the passages they list
// span many pages.
func TestListPages(t *testing.T) {
	ctx := context.Background()
	ix, err := New(Options{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.page = 3
	want := map[corpus.DocID]int{}
	var vs []corpus.View
	for d := range 4 {
		doc := &corpus.Document{ID: corpus.DocID(fmt.Sprint("doc", d)), Lang: "en"}
		for n := range 2 + 3*d {
			id := corpus.NewPassageID(doc.ID, n)
			vs = append(vs, corpus.View{Passage: corpus.Passage{ID: id, Doc: doc.ID, N: n, Text: fmt.Sprint("passage ", n)}, Doc: doc})
			want[doc.ID]++
		}
	}
	if err := ix.Add(ctx, vs); err != nil {
		t.Fatal(err)
	}
	got, err := ix.DocIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("DocIDs() = %v, want %v", got, want)
	}
	if err := ix.DeleteDocs(ctx, []corpus.DocID{"doc3", "doc1"}); err != nil {
		t.Fatal(err)
	}
	delete(want, "doc3")
	delete(want, "doc1")
	if got, err = ix.DocIDs(ctx); err != nil || !maps.Equal(got, want) {
		t.Errorf("DocIDs() after DeleteDocs(doc3, doc1) = %v, %v, want %v", got, err, want)
	}
}
