package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

func views(t testing.TB) []corpus.View {
	return readViews(t, filepath.Join("testdata", "search", "filters", "passages.jsonl"))
}

func ids(t *testing.T, ix *index.Index, q corpus.Query) []corpus.PassageID {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%v): %v", q, err)
	}
	out := []corpus.PassageID{}
	for _, h := range res.Hits {
		out = append(out, h.Passage)
	}
	return out
}

func count(t *testing.T, ix *index.Index) uint64 {
	t.Helper()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUpsert(t *testing.T) {
	ctx := context.Background()
	vs := views(t)
	ix := newIndex(t, vs)
	if err := ix.Add(ctx, vs); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ix); n != uint64(len(vs)) {
		t.Errorf("Count() after adding the same views twice = %d, want %d", n, len(vs))
	}
	// Re-adding one passage with new text replaces it.
	v := vs[0]
	v.Passage.Text = "Entirely different words about lay health advisors."
	if err := ix.Add(ctx, []corpus.View{v}); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, corpus.Query{Text: "advisors"}); !cmp.Equal(got, []corpus.PassageID{v.Passage.ID}) {
		t.Errorf("Search(advisors) = %q, want [%s]", got, v.Passage.ID)
	}
	if got := ids(t, ix, corpus.Query{Text: "cancer"}); len(got) != 0 {
		t.Errorf("Search(cancer) after replacing the passage = %q, want none", got)
	}
	if n := count(t, ix); n != uint64(len(vs)) {
		t.Errorf("Count() = %d, want %d", n, len(vs))
	}
}

func TestDeleteDocs(t *testing.T) {
	ctx := context.Background()
	ix := newIndex(t, views(t))
	if err := ix.DeleteDocs(ctx, []corpus.DocID{"p1", "p4", "absent"}); err != nil {
		t.Fatal(err)
	}
	got, err := ix.DocIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[corpus.DocID]int{"p2": 1, "p3": 1}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("DocIDs() after DeleteDocs(p1, p4) (-want +got):\n%s", d)
	}
	if n := count(t, ix); n != 2 {
		t.Errorf("Count() = %d, want 2", n)
	}
}

func TestDocIDs(t *testing.T) {
	got, err := newIndex(t, views(t)).DocIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[corpus.DocID]int{"p1": 2, "p2": 1, "p3": 1, "p4": 1}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("DocIDs() (-want +got):\n%s", d)
	}
}

func TestAddCancelled(t *testing.T) {
	ix, err := index.New(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Add(ctx, views(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("Add(cancelled ctx) = %v, want context.Canceled", err)
	}
}

// TestHitFields checks that a hit carries the passage's document metadata
// and annotations.
func TestHitFields(t *testing.T) {
	v := corpus.View{
		Passage: corpus.Passage{ID: "d1/0003", Doc: "d1", N: 3, Page: 7, Section: "Methods", Text: "Lay health workers & peer navigators."},
		Doc: &corpus.Document{ID: "d1", Path: "a/b.pdf", Kind: corpus.KindArticle, Lang: "en", Title: "A trial",
			Authors: []string{"Doe, Jane", "Roe, R."}, Year: 2020, Group: "g7"},
		Annotations: []corpus.Annotation{
			{Type: corpus.AnnLabel, Label: "peer navigator", Family: "navigator"},
			{Type: corpus.AnnCode, Code: "role.navigation"},
			{Type: corpus.AnnCode, Code: "setting.clinic", Annotator: "human:x"},
			{Type: corpus.AnnCode, Code: "role.outreach", Negated: true},
		},
	}
	res, err := newIndex(t, []corpus.View{v}).Search(context.Background(), corpus.Query{Text: "navigator"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("Search(navigator) gave %d hits, want 1", len(res.Hits))
	}
	got := res.Hits[0]
	got.Score = 0
	want := corpus.Hit{
		Passage: "d1/0003", Doc: "d1", Text: v.Passage.Text,
		Fragments: []string{"Lay health workers &amp; peer <mark>navigators</mark>."},
		Title:     "A trial", Authors: []string{"Doe, Jane", "Roe, R."}, Year: 2020, Path: "a/b.pdf", Page: 7,
		Section: "Methods", Kind: corpus.KindArticle, Lang: "en", Labels: []string{"peer navigator"},
		Codes: []string{"role.navigation", "setting.clinic"}, Group: "g7",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("hit (-want +got):\n%s", d)
	}
}

func TestStampsPersist(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	opts := index.Options{Logger: zaptest.NewLogger(t)}
	ix, err := index.Create(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.SetStamps(map[string]string{"codebook": "v1+3f2a9c01"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(context.Background(), views(t)); err != nil {
		t.Fatal(err)
	}
	// SetStamps writes several at once, replacing and adding.
	if err := ix.SetStamps(map[string]string{"digests": `{"a":"1"}`, "old": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetStamps(map[string]string{"old": "", "format": "3"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = index.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for key, want := range map[string]string{"codebook": "v1+3f2a9c01", "corpus_format": "", "digests": `{"a":"1"}`, "old": "", "format": "3"} {
		got, err := ix.Stamp(key)
		if err != nil || got != want {
			t.Errorf("Stamp(%q) = %q, %v, want %q", key, got, err, want)
		}
	}
	if n := count(t, ix); n != 5 {
		t.Errorf("Count() after reopening = %d, want 5", n)
	}
	if err := ix.CheckStamp("codebook", "v1+3f2a9c01"); err != nil {
		t.Errorf("CheckStamp(codebook, same) = %v", err)
	}
	if err := ix.CheckStamp("codebook", "v2+00"); !errors.Is(err, index.ErrStale) {
		t.Errorf("CheckStamp(codebook, other) = %v, want ErrStale", err)
	}
}

func TestCreateExisting(t *testing.T) {
	if _, err := index.Create(t.TempDir(), index.Options{}); !errors.Is(err, index.ErrExists) {
		t.Errorf("Create(existing dir) = %v, want ErrExists", err)
	}
}

func TestOpenErrors(t *testing.T) {
	empty := t.TempDir()
	garbage := t.TempDir()
	if err := os.WriteFile(filepath.Join(garbage, "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(t.TempDir(), "foreign")
	b, err := bleve.New(foreign, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	tests := []struct {
		name, dir string
		want      error
	}{
		{"bleve index not made by peermap", foreign, index.ErrFormat},
		{"missing", filepath.Join(t.TempDir(), "nope"), index.ErrNoIndex},
		{"empty dir", empty, index.ErrNoIndex},
		{"corrupt meta", garbage, index.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := index.Open(tt.dir, index.Options{})
			if err == nil {
				ix.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open(%s) = %v, want %v", tt.dir, err, tt.want)
			}
			t.Log(err)
		})
	}
}

func TestRebuild(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	vs := views(t)
	fill := func(vs []corpus.View, stamp string) func(*index.Index) error {
		return func(ix *index.Index) error {
			if err := ix.Add(ctx, vs); err != nil {
				return err
			}
			return ix.SetStamps(map[string]string{"codebook": stamp})
		}
	}
	check := func(wantN uint64, wantStamp string) {
		t.Helper()
		ix, err := index.Open(dir, index.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if n := count(t, ix); n != wantN {
			t.Errorf("Count() = %d, want %d", n, wantN)
		}
		if s, _ := ix.Stamp("codebook"); s != wantStamp {
			t.Errorf("Stamp(codebook) = %q, want %q", s, wantStamp)
		}
		for _, leftover := range []string{dir + ".new", dir + ".old", dir + ".new.build"} {
			if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s left behind (stat: %v)", leftover, err)
			}
		}
	}

	// First build: dir does not exist yet.
	if err := index.Rebuild(ctx, dir, index.Options{}, fill(vs, "v1")); err != nil {
		t.Fatal(err)
	}
	check(5, "v1")

	// While it is being built, the index takes passages and stamps but
	// cannot be read.
	err := index.Rebuild(ctx, dir, index.Options{}, func(ix *index.Index) error {
		if err := fill(vs[:3], "v1b")(ix); err != nil {
			return err
		}
		if s, err := ix.Stamp("codebook"); err != nil || s != "v1b" {
			t.Errorf("Stamp during the build = %q, %v; want v1b", s, err)
		}
		if n, err := ix.Count(); err != nil || n != 3 {
			t.Errorf("Count during the build = %d, %v; want 3", n, err)
		}
		if _, err := ix.Search(ctx, corpus.Query{Text: "peer"}); err == nil {
			t.Error("Search during the build: no error")
		}
		if err := ix.DeleteDocs(ctx, []corpus.DocID{vs[0].Passage.Doc}); err == nil {
			t.Error("DeleteDocs during the build: no error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check(3, "v1b")

	// An empty corpus gives an empty index that answers searches.
	if err := index.Rebuild(ctx, dir, index.Options{}, fill(nil, "v0")); err != nil {
		t.Fatal(err)
	}
	check(0, "v0")
	if ix, err := index.Open(dir, index.Options{}); err != nil {
		t.Error(err)
	} else {
		if _, err := ix.Search(ctx, corpus.Query{Text: "peer"}); err != nil {
			t.Errorf("Search of an empty rebuilt index: %v", err)
		}
		ix.Close()
	}
	if err := index.Rebuild(ctx, dir, index.Options{}, fill(vs, "v1")); err != nil {
		t.Fatal(err)
	}
	check(5, "v1")

	// A failing fill leaves the old index intact.
	boom := errors.New("boom")
	err = index.Rebuild(ctx, dir, index.Options{}, func(ix *index.Index) error {
		if err := fill(vs[:1], "v2")(ix); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Rebuild(failing fill) = %v, want boom", err)
	}
	check(5, "v1")

	// A successful rebuild replaces it.
	if err := index.Rebuild(ctx, dir, index.Options{}, fill(vs[:2], "v3")); err != nil {
		t.Fatal(err)
	}
	check(2, "v3")
}

func TestOpenLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	opts := index.Options{LockWait: 50 * time.Millisecond}
	ix, err := index.Create(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	other, err := index.Open(dir, opts)
	if err == nil {
		other.Close()
	}
	if !errors.Is(err, corpus.ErrLocked) {
		t.Errorf("Open(index held open) = %v, want corpus.ErrLocked", err)
	}
	t.Log(err)
}

// TestReadOnlyShared checks that searches in several processes (read-only
// opens) can share an index, and that a writer is kept out meanwhile.
func TestReadOnlyShared(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := index.Create(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ro := index.Options{ReadOnly: true, LockWait: 200 * time.Millisecond}
	a, err := index.Open(dir, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := index.Open(dir, ro)
	if err != nil {
		t.Fatalf("second read-only open: %v", err)
	}
	defer b.Close()
	if _, err := index.Open(dir, index.Options{LockWait: 200 * time.Millisecond}); !errors.Is(err, corpus.ErrLocked) {
		t.Errorf("writable open beside readers: %v, want ErrLocked", err)
	}
}
