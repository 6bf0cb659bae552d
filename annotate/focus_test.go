package annotate_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
)

// TestFocus checks that codes come only from sentences about peers.
func TestFocus(t *testing.T) {
	long := "Hospital wards, " + strings.Repeat("clinics, ", 30) + "schools, " + strings.Repeat("offices, ", 25) + "and peer workers everywhere."
	tests := []struct {
		name, text string
		peer       bool     // the passage gets a peer annotation
		want, not  []string // codes present, absent
	}{
		{"a nurse's phone calls", "Nurses made phone calls to patients.", false, nil, []string{"setting.remote"}},
		{"a peer's phone calls", "Peer supporters made phone calls to patients.", true, []string{"setting.remote"}, nil},
		{"an anaphor carries peers", "Peer navigators helped. They made phone calls.", true, []string{"setting.remote"}, nil},
		{"another actor before a peer term", "Nurses delivered peer support by phone.", false, nil, []string{"setting.remote"}},
		{"the people served are the antecedent of they: what they receive from the programme", "Peer navigators helped. Participants were women. They received text messages.", true, []string{"setting.remote"}, nil},
		{"the people served without a peer sentence", "Participants were women. They received home visits.", false, nil, []string{"role.outreach"}},
		{"another actor in a peer passage", "Peer navigators helped. Nurses made phone calls to patients.", true, nil, []string{"setting.remote"}},
		{"a sentence without actor before the peer sentence", "Home visits took place weekly. Peer navigators were hired.", true, []string{"role.outreach"}, nil},
		{"a sentence without actor continues a peer sentence", "Peer navigators were hired. Home visits took place weekly.", true, []string{"role.outreach"}, nil},
		{"a sentence without actor after others", "Nurses were hired. Home visits took place weekly.", false, nil, []string{"role.outreach"}},
		{"the word peer is not about peers", "Some worried that the word peer suggested a shared experience.", false, nil, []string{"knowledge.lived_experience"}},
		{"a long run-on sentence: the peer word speaks for its clause", long, true, nil, []string{"setting.hospital"}},
		{"French", "Des infirmières ont appelé les patients. Les pairs aidants font des visites à domicile.", true, []string{"role.outreach"}, nil},
	}
	tg := rulesTagger(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			anns := tg.TagText(tt.text, "")
			got := codes(anns)
			peer := slices.ContainsFunc(anns, func(a corpus.Annotation) bool { return a.Type == corpus.AnnPeer })
			if peer != tt.peer {
				t.Errorf("peer = %v, want %v (codes %v)", peer, tt.peer, got)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("codes %v, want %s", got, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("codes %v, want no %s", got, n)
				}
			}
		})
	}
}

// TestPeerAnnotation checks the peer annotation's spans (the peer
// sentences) and that back matter is never about peers.
func TestPeerAnnotation(t *testing.T) {
	tg := tagger(t)
	text := "Nurses ran the clinic. Peer navigators made home visits."
	doc := &corpus.Document{ID: "d", Lang: "en"}
	ps := []corpus.Passage{
		{ID: "d/0000", Text: text, Section: "Methods"},
		{ID: "d/0001", Text: text, Section: "References"},
	}
	var peers []corpus.Annotation
	for _, a := range tg.Tag(doc, ps) {
		if a.Type == corpus.AnnPeer {
			peers = append(peers, a)
		}
	}
	if len(peers) != 1 || peers[0].Passage != "d/0000" {
		t.Fatalf("peer annotations %+v, want one, of d/0000", peers)
	}
	p := peers[0]
	if len(p.Spans) != 1 || text[p.Spans[0].Start:p.Spans[0].End] != "Peer navigators made home visits" {
		t.Errorf("peer spans %+v, want the second sentence", p.Spans)
	}
	if p.Confidence <= 0.5 || p.Confidence > 1 {
		t.Errorf("peer confidence %v, want a probability above 0.5", p.Confidence)
	}
	if !strings.HasPrefix(p.Annotator, "model@") {
		t.Errorf("annotator %q, want model@...", p.Annotator)
	}
}
