package corpus_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/peermap/peermap/corpus"
)

// TestViewDigest checks that the digest of a document changes exactly when
// what Views returns for it changes.
func TestViewDigest(t *testing.T) {
	s, _ := newStore(t)
	a, aps := testDoc("Peer navigators help. They call patients.")
	b, bps := testDoc("Community health workers visit homes.")
	for _, x := range []struct {
		d  *corpus.Document
		ps []corpus.Passage
	}{{a, aps}, {b, bps}} {
		if err := s.PutDocument(x.d, x.ps); err != nil {
			t.Fatal(err)
		}
	}
	digest := func(id corpus.DocID) string {
		t.Helper()
		d, err := s.ViewDigest(id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	steps := []struct {
		name    string
		change  func() error
		changed bool // a's views changed (b's never do)
	}{
		{"nothing", func() error { return nil }, false},
		{"machine annotations", func() error {
			return s.PutAnnotations(a.ID, "rules@v1", "v1", []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation", Passage: aps[0].ID, Annotator: "rules@v1"}})
		}, true},
		{"the same annotations again", func() error {
			return s.PutAnnotations(a.ID, "rules@v1", "v1", []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation", Passage: aps[0].ID, Annotator: "rules@v1"}})
		}, false},
		{"a human code", func() error {
			return s.PutHumanCodes("ann", aps[0].ID, []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.outreach", Passage: aps[0].ID}})
		}, true},
		{"a version group", func() error {
			return s.PutGroups([]corpus.Group{{ID: "g-1", Members: []corpus.DocID{a.ID, "other"}, Preferred: a.ID}})
		}, true},
	}
	before, other := digest(a.ID), digest(b.ID)
	for _, st := range steps {
		if err := st.change(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		after := digest(a.ID)
		if (after != before) != st.changed {
			t.Errorf("after %s: digest changed %v, want %v", st.name, after != before, st.changed)
		}
		before = after
		if digest(b.ID) != other {
			t.Errorf("after %s: the other document's digest changed", st.name)
		}
	}
	if _, err := s.ViewDigest("nope"); err == nil {
		t.Error("ViewDigest of a missing document: no error")
	}
	// ViewDigests gives each document's ViewDigest, in the order asked.
	ds, err := s.ViewDigests(context.Background(), []corpus.DocID{b.ID, a.ID, b.ID})
	if err != nil || len(ds) != 3 || ds[0] != digest(b.ID) || ds[1] != digest(a.ID) || ds[2] != ds[0] || ds[0] == ds[1] {
		t.Errorf("ViewDigests(b, a, b) = %v, %v; want [%s %s %s]", ds, err, digest(b.ID), digest(a.ID), digest(b.ID))
	}
	if _, err := s.ViewDigests(context.Background(), []corpus.DocID{a.ID, "nope"}); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("ViewDigests with a missing document: %v, want ErrNotFound", err)
	}
	var n int
	if err := s.EachDocumentHead(context.Background(), func(*corpus.Document) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachDocumentHead: %d documents, %v; want 2", n, err)
	}
	// The head of a document is its full metadata with only the citation
	// fields kept.
	a.Title, a.Authors, a.Year, a.DOI, a.PMID, a.Abstract, a.Kind = "T", []string{"F, G"}, 2001, "10.1/x", "42", "long abstract", corpus.KindRecord
	if err := s.PutDocument(a, aps); err != nil {
		t.Fatal(err)
	}
	// Strings that need escaping, and a skipped document.
	c, _ := testDoc("Pairs aidantes.")
	c.Title, c.Authors, c.Skip, c.SkipDetail = "Pairs \"aidants\" – <é>\u2028\t\\ fin", []string{"Ñ, Ø", ""}, corpus.SkipEncrypted, "encrypted"
	if err := s.PutDocument(c, nil); err != nil {
		t.Fatal(err)
	}
	err = s.EachDocumentHead(context.Background(), func(d *corpus.Document) error {
		full, err := s.Document(d.ID)
		if err != nil {
			return err
		}
		want := corpus.Document{ID: full.ID, Kind: full.Kind, Title: full.Title, Authors: full.Authors, Year: full.Year, DOI: full.DOI, PMID: full.PMID, Skip: full.Skip}
		if !reflect.DeepEqual(*d, want) {
			t.Errorf("EachDocumentHead = %+v, want %+v", *d, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIngestedIDs checks the IDs of documents not skipped, whatever their
// text says about skipping.
func TestIngestedIDs(t *testing.T) {
	s, _ := newStore(t)
	ok, ops := testDoc(`He said "skip": it was a "skip" day`)
	ok.Title = `"skip": 1`
	skipped, _ := testDoc("nothing")
	skipped.Skip, skipped.SkipDetail = corpus.SkipEncrypted, "encrypted"
	if err := s.PutDocument(ok, ops); err != nil {
		t.Fatal(err)
	}
	if err := s.PutDocument(skipped, nil); err != nil {
		t.Fatal(err)
	}
	ids, err := s.IngestedIDs(context.Background())
	if err != nil || len(ids) != 1 || ids[0] != ok.ID {
		t.Errorf("IngestedIDs = %v, %v; want [%s]", ids, err, ok.ID.Short())
	}
	if err := s.PutAnnotations(ok.ID, "rules@v9", "v9", nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.AnnotationStates()
	if err != nil || len(st) != 1 || st[ok.ID] != "v9" {
		t.Errorf("AnnotationStates = %v, %v; want %s: v9", st, err, ok.ID.Short())
	}
}
