package corpus_test

import (
	"context"
	"slices"
	"testing"

	"github.com/peermap/peermap/corpus"
)

func TestCoded(t *testing.T) {
	s, _ := newStore(t)
	d, ps := testDoc("Peer navigators accompany patients.\n\nThey are paid staff.\n\nA third passage.")
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	code := func(c string) []corpus.Annotation {
		return []corpus.Annotation{{Type: corpus.AnnCode, Code: c, Confidence: 1}}
	}
	for _, put := range []struct {
		coder string
		p     corpus.PassageID
		anns  []corpus.Annotation
	}{
		{"ben", ps[1].ID, code("pathway.status")},
		{"ana", ps[1].ID, nil}, // "nothing applies" is a coding too
		{"ana", ps[0].ID, code("role.navigation")},
	} {
		if err := s.PutHumanCodes(put.coder, put.p, put.anns); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		coder string
		want  []corpus.Coded
	}{
		{"", []corpus.Coded{{ps[0].ID, "ana"}, {ps[1].ID, "ana"}, {ps[1].ID, "ben"}}},
		{"ana", []corpus.Coded{{ps[0].ID, "ana"}, {ps[1].ID, "ana"}}},
		{"ben", []corpus.Coded{{ps[1].ID, "ben"}}},
		{"carol", nil},
	}
	for _, tt := range tests {
		got, err := s.Coded(tt.coder)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Coded(%q) = %v, want %v", tt.coder, got, tt.want)
		}
	}
	// HumanCodes has no row for ana's empty set: Coded is what tells it apart.
	hc, err := s.HumanCodes("ana")
	if err != nil {
		t.Fatal(err)
	}
	if len(hc) != 1 {
		t.Errorf("HumanCodes(ana) = %v, want the one code", hc)
	}
}

func TestMachineCoded(t *testing.T) {
	s, _ := newStore(t)
	d, ps := testDoc("Peer navigators accompany patients.\n\nNo peer navigator was paid.\n\nOnly a label here.\n\nNothing.")
	if err := s.PutDocument(d, ps); err != nil {
		t.Fatal(err)
	}
	anns := []corpus.Annotation{
		{Passage: ps[0].ID, Type: corpus.AnnCode, Code: "role.navigation"},
		{Passage: ps[0].ID, Type: corpus.AnnCode, Code: "role.outreach"},
		{Passage: ps[1].ID, Type: corpus.AnnCode, Code: "pathway.status", Negated: true},
		{Passage: ps[2].ID, Type: corpus.AnnLabel, Label: "peer navigator", Family: "peer navigator"},
	}
	if err := s.PutAnnotations(d.ID, "rules@v1", "v1", anns); err != nil {
		t.Fatal(err)
	}
	// A human code is not a machine suggestion.
	if err := s.PutHumanCodes("ana", ps[3].ID, []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.education"}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.MachineCoded(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []corpus.PassageID{ps[0].ID}; !slices.Equal(got, want) {
		t.Errorf("MachineCoded = %v, want %v (negated codes and labels are not suggestions)", got, want)
	}
}
