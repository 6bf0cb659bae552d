package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/peermap/peermap/corpus"
)

func TestSuggest(t *testing.T) {
	texts := []string{
		"Patient navigation links people to care.",
		"The navigators accompany patients; navigation is their role.",
		"Community health workers visit the community.",
		"Médiateurs de santé pair dans le quartier.",
	}
	var vs []corpus.View
	for i, s := range texts {
		id := corpus.DocID("d" + string(rune('a'+i)))
		vs = append(vs, corpus.View{Passage: corpus.Passage{ID: corpus.NewPassageID(id, 0), Doc: id, Text: s, End: len(s)}, Doc: &corpus.Document{ID: id, Lang: "en"}})
	}
	ix := newIndex(t, vs)
	tests := []struct {
		query string
		word  string
		want  string // a suggestion for word; "" means none for it
	}{
		{"navigaton", "navigaton", "navigation"},
		{"peer comunity", "comunity", "community"},
		{"navigation", "navigation", ""}, // held: no suggestion
		{`"patient navigaton"`, "navigaton", "navigation"},
		{"code:role.navigation", "navigation", ""}, // a field search is not a word
		{"xyzzyq", "xyzzyq", ""},
	}
	for _, tt := range tests {
		got, err := ix.Suggest(context.Background(), tt.query, 3)
		if err != nil {
			t.Fatal(err)
		}
		s := got[tt.word]
		if tt.want == "" && len(s) > 0 || tt.want != "" && !slices.Contains(s, tt.want) {
			t.Errorf("Suggest(%q)[%q] = %q, want %q", tt.query, tt.word, s, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	id := corpus.DocID("dd")
	v := corpus.View{Passage: corpus.Passage{ID: corpus.NewPassageID(id, 0), Doc: id, Text: "x"}, Doc: &corpus.Document{ID: id, Lang: "fr", Kind: corpus.KindGrey}}
	ix := newIndex(t, []corpus.View{v})
	if got, err := ix.Terms("lang"); err != nil || !slices.Equal(got, []string{"fr"}) {
		t.Errorf("Terms(lang) = %q, %v", got, err)
	}
	if got, err := ix.Terms("kind"); err != nil || !slices.Equal(got, []string{"grey"}) {
		t.Errorf("Terms(kind) = %q, %v", got, err)
	}
	if _, err := ix.Terms("text"); err == nil {
		t.Error("Terms(text) = nil error")
	}
}
