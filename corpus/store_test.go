package corpus_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/peermap/peermap/corpus"
)

func newStore(t *testing.T) (*corpus.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corpus.db")
	s, err := corpus.Create(path, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func testDoc(text string) (*corpus.Document, []corpus.Passage) {
	d := &corpus.Document{ID: corpus.NewDocID([]byte(text)), Path: "a.txt", Format: "text", Kind: corpus.KindGrey, Text: text, Title: "A"}
	var ps []corpus.Passage
	start := 0
	for i, para := range strings.Split(text, "\n\n") {
		ps = append(ps, corpus.Passage{ID: corpus.NewPassageID(d.ID, i), Doc: d.ID, N: i, Start: start, End: start + len(para), Text: para})
		start += len(para) + 2
	}
	return d, ps
}

func TestStoreRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	d, ps := testDoc("Peer navigators accompany patients.\n\nThey are paid staff.")
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Has(d.ID); err != nil || !ok {
		t.Fatalf("Has(%s) = false after PutDocument", d.ID.Short())
	}
	got, err := s.Document(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != d.Text || got.Title != "A" {
		t.Errorf("Document = %q/%q, want %q/%q", got.Text, got.Title, d.Text, "A")
	}
	gps, err := s.Passages(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(gps) != 2 || gps[1].Text != "They are paid staff." || got.Text[gps[1].Start:gps[1].End] != gps[1].Text {
		t.Errorf("Passages = %+v", gps)
	}
	// Re-putting replaces passages rather than adding.
	if err := s.PutDocument(d, ps[:1]); err != nil {
		t.Fatal(err)
	}
	if gps, _ := s.Passages(d.ID); len(gps) != 1 {
		t.Errorf("after re-put with 1 passage: %d passages", len(gps))
	}
	if n, err := s.CountPassages(); err != nil || n != 1 {
		t.Errorf("CountPassages = %d, want 1", n)
	}
	if _, err := s.Document("nope"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("Document(nope) error = %v, want ErrNotFound", err)
	}
	if fd, err := s.FindDocument(string(d.ID[:8])); err != nil || fd.ID != d.ID {
		t.Errorf("FindDocument(prefix) = %v, %v", fd, err)
	}
	if p, err := s.FindPassage(ps[0].ID.Short()); err != nil || p.ID != ps[0].ID {
		t.Errorf("FindPassage(%s) = %v, %v", ps[0].ID.Short(), p.ID, err)
	}
}

func TestHumanCodesSurviveMachineAnnotation(t *testing.T) {
	s, _ := newStore(t)
	d, ps := testDoc("Peer navigators accompany patients.\n\nThey are paid staff.")
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	human := []corpus.Annotation{{Type: corpus.AnnCode, Code: "pathway.status"}}
	if err := s.PutHumanCodes("ana", ps[1].ID, human); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"v1", "v2"} {
		machine := []corpus.Annotation{{Passage: ps[0].ID, Type: corpus.AnnCode, Code: "role.navigation", Annotator: "rules@" + v}}
		if err := s.PutAnnotations(d.ID, "rules@"+v, v, machine); err != nil {
			t.Fatal(err)
		}
	}
	anns, err := s.Annotations(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range anns {
		got = append(got, a.Annotator+":"+a.Code)
	}
	want := "rules@v2:role.navigation human:ana:pathway.status" // passage order
	if strings.Join(got, " ") != want {
		t.Errorf("Annotations = %q, want %q", strings.Join(got, " "), want)
	}
	if v, err := s.AnnotatedWith(d.ID); err != nil || v != "v2" {
		t.Errorf("AnnotatedWith = %q, %v, want v2", v, err)
	}
	if err := s.PutAnnotations(d.ID, "human:bob", "v2", nil); err == nil {
		t.Error("PutAnnotations accepted a human annotator")
	}
	if err := s.PutHumanCodes("ana", "nope/0001", human); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("PutHumanCodes on missing passage: %v, want ErrNotFound", err)
	}
	hc, _ := s.HumanCodes("ana")
	if len(hc) != 1 || hc[0].Annotator != "human:ana" {
		t.Errorf("HumanCodes(ana) = %+v", hc)
	}
}

func TestFormatVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := corpus.Create(path, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, tc := range []struct {
		version string
		want    string
	}{
		{"3", "upgrade peermap"},
		{"0", "re-ingest"},
	} {
		db, err := bolt.Open(path, 0o644, nil)
		if err != nil {
			t.Fatal(err)
		}
		db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("format"), []byte(tc.version)) })
		db.Close()
		s, err := corpus.Open(path, corpus.StoreOptions{})
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, corpus.ErrFormatVersion) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(format %s) error = %v, want ErrFormatVersion saying %q", tc.version, err, tc.want)
		}
	}
	if _, err := corpus.Open(filepath.Join(t.TempDir(), "none.db"), corpus.StoreOptions{}); !errors.Is(err, corpus.ErrNoStore) {
		t.Errorf("Open(missing) error = %v, want ErrNoStore", err)
	}
}

func TestLocked(t *testing.T) {
	_, path := newStore(t) // held open for writing
	_, err := corpus.Open(path, corpus.StoreOptions{Wait: 100 * time.Millisecond})
	if !errors.Is(err, corpus.ErrLocked) {
		t.Errorf("second Open error = %v, want ErrLocked", err)
	}
}

func TestGroupsAndRuns(t *testing.T) {
	s, _ := newStore(t)
	a, pa := testDoc("one")
	b, pb := testDoc("two")
	s.PutDocument(a, pa)
	s.PutDocument(b, pb)
	g := corpus.Group{ID: "g-1", Members: []corpus.DocID{a.ID, b.ID}, Preferred: b.ID, Reasons: []string{"same doi"}}
	if err := s.PutGroups([]corpus.Group{g}); err != nil {
		t.Fatal(err)
	}
	da, _ := s.Document(a.ID)
	db, _ := s.Document(b.ID)
	if da.Group != "g-1" || da.Preferred || db.Group != "g-1" || !db.Preferred {
		t.Errorf("after PutGroups: a=%q/%v b=%q/%v", da.Group, da.Preferred, db.Group, db.Preferred)
	}
	if err := s.PutGroups(nil); err != nil {
		t.Fatal(err)
	}
	if da, _ := s.Document(a.ID); da.Group != "" {
		t.Errorf("group not cleared: %q", da.Group)
	}
	n1, _ := s.BeginRun(corpus.Run{Command: "ingest"})
	n2, _ := s.BeginRun(corpus.Run{Command: "index"})
	if n1 != 1 || n2 != 2 {
		t.Errorf("run numbers = %d, %d, want 1, 2", n1, n2)
	}
	runs, _ := s.Runs()
	if len(runs) != 2 || runs[1].Command != "index" {
		t.Errorf("Runs = %+v", runs)
	}
	docs, err := s.Documents(context.Background())
	if err != nil || len(docs) != 2 || docs[0].Text != "" {
		t.Errorf("Documents = %d docs, err %v (Text must be empty)", len(docs), err)
	}
}

func TestBatches(t *testing.T) {
	s, _ := newStore(t)
	a, pa := testDoc("alpha one\n\nalpha two")
	b, pb := testDoc("beta")
	if err := s.PutDocuments([]corpus.Entry{{Doc: a, Passages: pa}, {Doc: b, Passages: pb}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountPassages(); err != nil || n != 3 {
		t.Errorf("CountPassages after PutDocuments = %d, want 3", n)
	}
	// A batch with a bad entry stores nothing.
	c, _ := testDoc("gamma")
	bad := []corpus.Passage{{ID: "x/0000", Doc: "x"}}
	if err := s.PutDocuments([]corpus.Entry{{Doc: c}, {Doc: b, Passages: bad}}); err == nil {
		t.Error("PutDocuments accepted a passage of another document")
	}
	if ok, err := s.Has(c.ID); err != nil || ok {
		t.Error("a failed batch stored part of itself")
	}
	// An entry's source is stored with its document, and not without it.
	d, pd := testDoc("delta")
	src := corpus.Source{Path: "in/delta.txt", Status: corpus.StatusIngested, Docs: []corpus.DocID{d.ID}}
	if err := s.PutDocuments([]corpus.Entry{{Doc: d, Passages: pd, Source: &src}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Source(src.Path); err != nil || got.Status != corpus.StatusIngested || len(got.Docs) != 1 || got.Docs[0] != d.ID {
		t.Errorf("source stored with its document = %+v, %v", got, err)
	}
	e, _ := testDoc("epsilon")
	esrc := corpus.Source{Path: "in/epsilon.txt", Status: corpus.StatusIngested}
	if err := s.PutDocuments([]corpus.Entry{{Doc: e, Source: &esrc}, {Doc: b, Passages: bad}}); err == nil {
		t.Error("PutDocuments accepted a passage of another document")
	}
	if _, err := s.Source(esrc.Path); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("a failed batch stored a source: %v", err)
	}
	sets := []corpus.AnnotationSet{
		{Doc: a.ID, Annotator: "rules@v1", Codebook: "v1", Annotations: []corpus.Annotation{{Passage: pa[0].ID, Type: corpus.AnnLabel, Family: "peer navigator", Annotator: "rules@v1"}}},
		{Doc: b.ID, Annotator: "rules@v1", Codebook: "v1"},
	}
	if err := s.PutAnnotationSets(sets); err != nil {
		t.Fatal(err)
	}
	if va, _ := s.AnnotatedWith(a.ID); va != "v1" {
		t.Errorf("AnnotatedWith(a) = %q, want v1", va)
	}
	if vb, _ := s.AnnotatedWith(b.ID); vb != "v1" {
		t.Error("PutAnnotationSets did not record the codebook version")
	}
	vs, err := s.Views(a.ID)
	if err != nil || len(vs) != 2 || len(vs[0].Annotations) != 1 || vs[0].Doc.Text != "" {
		t.Errorf("Views(a) = %+v, %v", vs, err)
	}
	if fams := vs[0].Families(); len(fams) != 1 || fams[0] != "peer navigator" {
		t.Errorf("Families = %q", fams)
	}
}

// TestReadsFormatV1 opens a store written by format version 1
// (testdata/v1/corpus.db, never regenerated) read-only and reads everything
// back: later versions of peermap must keep passing it or refuse the file
// with ErrFormatVersion.
// TestReadsFormatV1 upgrades a store written by format 1 (kept under
// testdata, never regenerated): read-only it is refused with a clear error;
// opened for writing it is re-keyed to the current format, a copy of the
// old file is kept, and every document, passage, machine annotation and
// human code reads as before.
func TestReadsFormatV1(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "v1", "corpus.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "corpus.db")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := corpus.Open(path, corpus.StoreOptions{ReadOnly: true}); !errors.Is(err, corpus.ErrFormatVersion) || !errors.Is(err, corpus.ErrUpgrade) {
		t.Fatalf("read-only Open of a format 1 store = %v, want ErrFormatVersion and ErrUpgrade", err)
	}
	w, err := corpus.Open(path, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := corpus.Open(path+".v1.bak", corpus.StoreOptions{ReadOnly: true}); !errors.Is(err, corpus.ErrUpgrade) {
		t.Errorf("the copy %s.v1.bak is not the format 1 store: %v", path, err)
	}
	s, err := corpus.Open(path, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, err := s.Documents(context.Background())
	if err != nil || len(docs) != 1 || docs[0].Title != "Format 1" || docs[0].Year != 2026 {
		t.Fatalf("Documents = %+v, %v", docs, err)
	}
	views, err := s.Views(docs[0].ID)
	if err != nil || len(views) != 2 {
		t.Fatalf("Views = %d, %v", len(views), err)
	}
	if views[1].Passage.Text != "They are paid staff." {
		t.Errorf("passage 1 = %q", views[1].Passage.Text)
	}
	if fams := views[0].Families(); len(fams) != 1 || fams[0] != "peer navigator" {
		t.Errorf("machine labels of passage 0 = %q", fams)
	}
	if codes := views[1].Codes(); len(codes) != 1 || codes[0] != "pathway.status" {
		t.Errorf("human codes of passage 1 = %q", codes)
	}
	if src, err := s.Source("v1.txt"); err != nil || src.Status != corpus.StatusIngested {
		t.Errorf("Source = %+v, %v", src, err)
	}
	if p, err := s.FindPassage(views[1].Passage.ID.Short()); err != nil || p.Text != views[1].Passage.Text {
		t.Errorf("FindPassage(%s) = %+v, %v", views[1].Passage.ID.Short(), p, err)
	}
	if hc, err := s.HumanCodes(""); err != nil || len(hc) != 1 || hc[0].Passage != views[1].Passage.ID {
		t.Errorf("HumanCodes = %+v, %v", hc, err)
	}
}

// TestPassageOrder: a document with more than 10,000 passages reads back in
// reading order (format 1 put the 10,000th after the 1,000th).
func TestPassageOrder(t *testing.T) {
	s, _ := newStore(t)
	const n = 10050
	var b strings.Builder
	var ps []corpus.Passage
	d := &corpus.Document{ID: corpus.NewDocID([]byte("long")), Path: "long.txt", Format: "text", Kind: corpus.KindGrey}
	for i := 0; i < n; i++ {
		start := b.Len()
		fmt.Fprintf(&b, "passage %d.\n\n", i)
		ps = append(ps, corpus.Passage{ID: corpus.NewPassageID(d.ID, i), Doc: d.ID, N: i, Start: start, End: b.Len() - 2})
	}
	d.Text = b.String()
	for i := range ps {
		ps[i].Text = d.Text[ps[i].Start:ps[i].End]
	}
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	got, err := s.Passages(d.ID)
	if err != nil || len(got) != n {
		t.Fatalf("Passages = %d, %v; want %d", len(got), err, n)
	}
	for i, p := range got {
		if p.N != i {
			t.Fatalf("Passages()[%d].N = %d: not in reading order", i, p.N)
		}
	}
	if p, err := s.Passage(corpus.NewPassageID(d.ID, 10000)); err != nil || p.Text != "passage 10000." {
		t.Errorf("Passage(10000) = %+v, %v", p, err)
	}
	if err := s.PutHumanCodes("ana", corpus.NewPassageID(d.ID, 10001), []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation"}}); err != nil {
		t.Fatal(err)
	}
	if hc, err := s.HumanCodes("ana"); err != nil || len(hc) != 1 || hc[0].Passage.N() != 10001 {
		t.Errorf("HumanCodes = %+v, %v", hc, err)
	}
}

// TestStoreErrors: lookups report the store's errors instead of answering
// "not there" (a closed store stands in for a failing disk).
func TestStoreErrors(t *testing.T) {
	s, _ := newStore(t)
	s.Close()
	if _, err := s.Has("x"); err == nil {
		t.Error("Has on a closed store: no error")
	}
	if _, err := s.FindDocument("abcdef"); err == nil || errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("FindDocument on a closed store = %v, want an error other than not found", err)
	}
	if _, err := s.CountPassages(); err == nil {
		t.Error("CountPassages on a closed store: no error")
	}
	if _, err := s.AnnotatedWith("x"); err == nil {
		t.Error("AnnotatedWith on a closed store: no error")
	}
}

// TestShared: a store opened Shared holds the file only during each call,
// so another process (here another handle) can open it for writing between
// calls; a shared write while the other holds it waits, then says locked.
func TestShared(t *testing.T) {
	s, path := newStore(t)
	d, ps := testDoc("Peer navigators accompany patients.\n\nThey are paid staff.")
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	s.Close()
	sh, err := corpus.Open(path, corpus.StoreOptions{Shared: true, Wait: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	other, err := corpus.Open(path, corpus.StoreOptions{Wait: 200 * time.Millisecond}) // an ingest beside serve
	if err != nil {
		t.Fatalf("a writer cannot open beside a shared store: %v", err)
	}
	if err := sh.PutHumanCodes("ana", ps[0].ID, []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation"}}); !errors.Is(err, corpus.ErrLocked) {
		t.Errorf("shared write while another process writes = %v, want ErrLocked", err)
	}
	other.Close()
	if err := sh.PutHumanCodes("ana", ps[0].ID, []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation"}}); err != nil {
		t.Fatalf("shared write once the other let go: %v", err)
	}
	if hc, err := sh.HumanCodes("ana"); err != nil || len(hc) != 1 {
		t.Errorf("HumanCodes = %+v, %v", hc, err)
	}
	var buf bytes.Buffer
	n, err := sh.Backup(&buf)
	if err != nil || n == 0 || int64(buf.Len()) != n {
		t.Fatalf("Backup = %d, %v", n, err)
	}
	bak := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(bak, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Open(bak, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if hc, err := c.HumanCodes(""); err != nil || len(hc) != 1 {
		t.Errorf("backup: HumanCodes = %+v, %v", hc, err)
	}
	if probs, err := c.Verify(); err != nil || len(probs) > 0 {
		t.Errorf("Verify(backup) = %q, %v", probs, err)
	}
}

// TestVerify: a store whose pages are overwritten is reported damaged, not
// a crash.
func TestVerify(t *testing.T) {
	s, path := newStore(t)
	for i := 0; i < 50; i++ {
		d, ps := testDoc(strings.Repeat(fmt.Sprintf("passage text %d. ", i), 200))
		if err := s.PutDocument(d, ps); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4 * 4096; i < len(data) && i < 40*4096; i += 4096 {
		copy(data[i:i+64], bytes.Repeat([]byte{0xAB}, 64)) // page headers of branch and leaf pages
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := corpus.Open(path, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		if !errors.Is(err, corpus.ErrDamaged) && !strings.Contains(err.Error(), "invalid") {
			t.Logf("refused at open: %v", err)
		}
		return // refused at open: reported, not a crash
	}
	defer d.Close()
	probs, err := d.Verify()
	if err == nil && len(probs) == 0 {
		t.Error("Verify of an overwritten store found nothing")
	}
}

func TestSourceWithSHA(t *testing.T) {
	s, _ := newStore(t)
	for _, src := range []corpus.Source{
		{Path: "c.ris", SHA256: "aa", Status: corpus.StatusIngested},
		{Path: "a.ris", SHA256: "aa", Status: corpus.StatusFailed},
		{Path: "b.ris", SHA256: "aa", Status: corpus.StatusDuplicate},
		{Path: "d.ris", SHA256: "bb", Status: corpus.StatusIngested},
	} {
		if err := s.PutSource(src); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		sha      string
		statuses []string
		want     string // path; "" for ErrNotFound
	}{
		{"aa", []string{corpus.StatusIngested, corpus.StatusDuplicate}, "b.ris"}, // path order, a failed one left out
		{"aa", []string{corpus.StatusIngested}, "c.ris"},
		{"aa", []string{corpus.StatusSkipped}, ""},
		{"bb", []string{corpus.StatusIngested}, "d.ris"},
		{"a", []string{corpus.StatusIngested}, ""}, // a prefix is not the hash
		{"", []string{corpus.StatusIngested}, ""},
	}
	for _, tt := range tests {
		got, err := s.SourceWithSHA(tt.sha, tt.statuses...)
		switch {
		case tt.want == "" && !errors.Is(err, corpus.ErrNotFound):
			t.Errorf("SourceWithSHA(%q, %v) = %+v, %v; want ErrNotFound", tt.sha, tt.statuses, got, err)
		case tt.want != "" && (err != nil || got.Path != tt.want):
			t.Errorf("SourceWithSHA(%q, %v) = %+v, %v; want %s", tt.sha, tt.statuses, got, err, tt.want)
		}
	}
}
