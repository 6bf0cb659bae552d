package corpus_test

import (
	"slices"
	"testing"

	"github.com/peermap/peermap/corpus"
)

func TestHumanCoded(t *testing.T) {
	s, _ := newStore(t)
	d, ps := testDoc("Peer navigators accompany patients.\n\nThey are paid staff.\n\nThe study ended.")
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	if got, err := s.HumanCoded(); err != nil || len(got) != 0 {
		t.Fatalf("HumanCoded() = %v, %v on an uncoded store", got, err)
	}
	// ana codes passage 1; ben codes it too, and codes passage 2 with no code.
	for _, c := range []struct {
		coder string
		p     int
		anns  []corpus.Annotation
	}{
		{"ana", 1, []corpus.Annotation{{Type: corpus.AnnCode, Code: "pathway.status"}}},
		{"ben", 1, []corpus.Annotation{{Type: corpus.AnnCode, Code: "pathway.status"}}},
		{"ben", 2, nil},
	} {
		if err := s.PutHumanCodes(c.coder, ps[c.p].ID, c.anns); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.HumanCoded()
	if err != nil {
		t.Fatal(err)
	}
	if want := []corpus.PassageID{ps[1].ID, ps[2].ID}; !slices.Equal(got, want) {
		t.Errorf("HumanCoded() = %v, want %v", got, want)
	}
}
