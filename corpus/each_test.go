package corpus_test

import (
	"context"
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
	var n int
	if err := s.EachDocument(context.Background(), func(*corpus.Document) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachDocument: %d documents, %v; want 2", n, err)
	}
}
