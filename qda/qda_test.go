package qda_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/qda"
)

var vocab = corpus.Vocabulary{
	Version: "v1+test",
	Codes: []corpus.CodeInfo{
		{ID: "knowledge.lived_experience", Dimension: "knowledge", Name: "lived experience", Question: "What do the peers draw on?", Definition: "Personal experience of the same condition."},
		{ID: "role.navigation", Dimension: "role", Name: "navigation", Question: "What do they do?", Definition: "Linking people to services."},
		{ID: "role.emotional_social", Dimension: "role", Name: "emotional and social support", Question: "What do they do?"},
		{ID: "setting.community", Dimension: "setting", Name: "community", Question: "Where do they practise?"},
	},
	Families: []string{"peer navigator", "mediator"},
	Labels: []corpus.LabelInfo{
		{Label: "peer navigator", Family: "peer navigator"},
		{Label: "patient navigator", Family: "peer navigator"},
		{Label: "health mediator", Family: "mediator"},
	},
}

// texts are the documents of the small corpus: accented French, Chinese
// and Greek with characters outside the BMP, where byte offsets, UTF-16
// units and code points all differ.
var texts = []string{
	"Les pairs aidants « médiateurs de santé » accompagnent les personnes.\n\nÀ l’hôpital, la médiatrice écoute et oriente vers les services sociaux.",
	"同伴导航员帮助患者。𠀀社区卫生工作者在社区开展家访。\n\nΟι ομότιμοι πλοηγοί 😀 συνοδεύουν τους ασθενείς.",
}

// newStore makes a store holding texts, one passage per paragraph.
func newStore(t testing.TB) *corpus.Store {
	t.Helper()
	s, err := corpus.Create(filepath.Join(t.TempDir(), "corpus.db"), corpus.StoreOptions{Now: func() time.Time { return time.Unix(0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i, text := range texts {
		d := &corpus.Document{ID: corpus.NewDocID([]byte(text)), Path: "doc" + string(rune('a'+i)) + ".txt", Format: "text", Kind: corpus.KindGrey, Title: "Document " + string(rune('A'+i)), Text: text}
		var ps []corpus.Passage
		start := 0
		for n, para := range strings.Split(text, "\n\n") {
			ps = append(ps, corpus.Passage{ID: corpus.NewPassageID(d.ID, n), Doc: d.ID, N: n, Start: start, End: start + len(para), Text: para})
			start += len(para) + 2
		}
		if err := s.PutDocument(d, ps); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func passages(t testing.TB, s *corpus.Store) []corpus.Passage {
	t.Helper()
	var out []corpus.Passage
	for _, text := range texts {
		ps, err := s.Passages(corpus.NewDocID([]byte(text)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ps...)
	}
	return out
}

// span returns the byte span of sub in p's text.
func span(t testing.TB, p corpus.Passage, sub string) corpus.Span {
	t.Helper()
	i := strings.Index(p.Text, sub)
	if i < 0 {
		t.Fatalf("%q not in passage %q", sub, p.Text)
	}
	return corpus.Span{Start: i, End: i + len(sub)}
}

func human(p corpus.Passage, typ, code, label, family string, neg bool, note string, spans ...corpus.Span) corpus.Annotation {
	return corpus.Annotation{Passage: p.ID, Type: typ, Code: code, Label: label, Family: family, Negated: neg, Spans: spans,
		Codebook: vocab.Version, Confidence: 1, Note: note}
}

// codeStore gives ana and ben codes of the small corpus, on accented and
// non-Latin spans, whole passages, labels, negated labels and a memo.
// Spans are in text order: a round trip returns them sorted.
func codeStore(t testing.TB, s *corpus.Store) {
	t.Helper()
	ps := passages(t, s)
	put := func(coder string, p corpus.Passage, anns ...corpus.Annotation) {
		if err := s.PutHumanCodes(coder, p.ID, anns); err != nil {
			t.Fatal(err)
		}
	}
	put("ana", ps[0],
		human(ps[0], corpus.AnnCode, "role.emotional_social", "", "", false, "", span(t, ps[0], "accompagnent les personnes")),
		human(ps[0], corpus.AnnLabel, "", "health mediator", "mediator", false, "médiateur ≈ health mediator", span(t, ps[0], "médiateurs de santé")),
	)
	put("ana", ps[1], human(ps[1], corpus.AnnCode, "role.navigation", "", "", false, ""))
	put("ben", ps[1],
		human(ps[1], corpus.AnnCode, "role.navigation", "", "", false, "", span(t, ps[1], "oriente vers les services sociaux")),
		human(ps[1], corpus.AnnCode, "role.emotional_social", "", "", false, "", span(t, ps[1], "la médiatrice"), span(t, ps[1], "écoute")),
	)
	put("ana", ps[2],
		human(ps[2], corpus.AnnCode, "setting.community", "", "", false, "", span(t, ps[2], "𠀀社区卫生工作者在社区开展家访")),
		human(ps[2], corpus.AnnLabel, "", "peer navigator", "peer navigator", false, "", span(t, ps[2], "同伴导航员")),
	)
	put("ben", ps[3],
		human(ps[3], corpus.AnnLabel, "", "patient navigator", "peer navigator", false, "", span(t, ps[3], "πλοηγοί 😀")),
		human(ps[3], corpus.AnnLabel, "", "mediator", "mediator", true, ""),
	)
}

func humanCodes(t testing.TB, s *corpus.Store) []corpus.Annotation {
	t.Helper()
	anns, err := s.HumanCodes("")
	if err != nil {
		t.Fatal(err)
	}
	return anns
}

func export(t *testing.T, s *corpus.Store, opts qda.ExportOptions) (*qda.Project, []byte) {
	t.Helper()
	p, _, err := qda.Export(context.Background(), s, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := qda.WriteQDPX(&b, p); err != nil {
		t.Fatal(err)
	}
	return p, b.Bytes()
}

func reread(t *testing.T, data []byte) *qda.Project {
	t.Helper()
	p, err := qda.ReadQDPX(bytes.NewReader(data), int64(len(data)), qda.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExportPositions checks every exported selection against its oracle:
// the code points [start, end) of the source text are the annotation's
// bytes of the passage.
func TestExportPositions(t *testing.T) {
	s := newStore(t)
	codeStore(t, s)
	p, data := export(t, s, qda.ExportOptions{})
	if len(p.Sources) != 2 || len(p.Users) != 2 {
		t.Fatalf("%d sources, %d users; want 2, 2", len(p.Sources), len(p.Users))
	}
	want := map[string]bool{}
	for _, a := range humanCodes(t, s) {
		pa, err := s.Passage(a.Passage)
		if err != nil {
			t.Fatal(err)
		}
		sp := a.Spans
		if len(sp) == 0 {
			sp = []corpus.Span{{Start: 0, End: len(pa.Text)}}
		}
		for _, x := range sp {
			want[pa.Text[x.Start:x.End]] = true
		}
	}
	got := map[string]bool{}
	for _, src := range reread(t, data).Sources {
		r := []rune(src.Text)
		for _, sel := range src.Selections {
			got[string(r[sel.Start:sel.End])] = true
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("selected texts (by code points) differ from the coded bytes (-want +got):\n%s", d)
	}
	var qde bytes.Buffer
	if err := qda.WriteProject(&qde, p); err != nil {
		t.Fatal(err)
	}
	validate(t, filepath.Join(shared(t, "corpus/qda"), "Project-mrt2019.xsd"), qde.Bytes())
	if !strings.Contains(qde.String(), "médiateur ≈ health mediator") {
		t.Error("the memo is not in the project as a note")
	}
	// Stable: a second export gives the same bytes.
	if _, again := export(t, s, qda.ExportOptions{}); !bytes.Equal(data, again) {
		t.Error("two exports of the same store differ")
	}
}

// TestRoundTrip exports the codes, imports them into a fresh store of the
// same documents where another coder has codes already, and finds the
// same codes, offsets, coders and memos, the other coder untouched.
func TestRoundTrip(t *testing.T) {
	src := newStore(t)
	codeStore(t, src)
	_, data := export(t, src, qda.ExportOptions{Machine: true})
	dst := newStore(t)
	ps := passages(t, dst)
	zoe := human(ps[0], corpus.AnnCode, "knowledge.lived_experience", "", "", false, "")
	if err := dst.PutHumanCodes("zoe", ps[0].ID, []corpus.Annotation{zoe}); err != nil {
		t.Fatal(err)
	}
	pl, err := qda.Place(context.Background(), dst, reread(t, data), vocab, qda.PlaceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Problems) > 0 || pl.ByText > 0 {
		t.Errorf("placement: %d problems %v, %d by text; want none", len(pl.Problems), pl.Problems, pl.ByText)
	}
	if err := pl.Store(dst); err != nil {
		t.Fatal(err)
	}
	want := append(humanCodes(t, src), zoe)
	want[len(want)-1].Annotator = "human:zoe"
	corpus.SortAnnotations(want)
	if d := cmp.Diff(want, humanCodes(t, dst)); d != "" {
		t.Errorf("human codes after the round trip differ (-want +got):\n%s", d)
	}
}

// TestEditedSource changes the text of a source as a tool would (text
// added before the coded part, CR LF line breaks): codings are placed by
// their text, at the same passages and offsets.
func TestEditedSource(t *testing.T) {
	src := newStore(t)
	codeStore(t, src)
	_, data := export(t, src, qda.ExportOptions{})
	p := reread(t, data)
	for i := range p.Sources {
		s := &p.Sources[i]
		const added = "Préambule ajouté.\r\n"
		s.Text = added + strings.ReplaceAll(s.Text, "\n", "\r\n")
		r := []rune(s.Text)
		for j := range s.Selections {
			sel := &s.Selections[j]
			// Shift each position by the code points added before it.
			old := []rune(strings.ReplaceAll(string(r[len([]rune(added)):]), "\r\n", "\n"))
			sel.Start = len([]rune(added)) + len([]rune(strings.ReplaceAll(string(old[:sel.Start]), "\n", "\r\n")))
			sel.End = len([]rune(added)) + len([]rune(strings.ReplaceAll(string(old[:sel.End]), "\n", "\r\n")))
		}
	}
	dst := newStore(t)
	pl, err := qda.Place(context.Background(), dst, p, vocab, qda.PlaceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Problems) > 0 || pl.ByText != pl.Placed {
		t.Errorf("placement: %v; %d of %d placed by text, want all", pl.Problems, pl.ByText, pl.Placed)
	}
	if err := pl.Store(dst); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(humanCodes(t, src), humanCodes(t, dst)); d != "" {
		t.Errorf("human codes placed by text differ (-want +got):\n%s", d)
	}
}

// TestPlaceProblems lists what cannot be placed, and never imports the
// machine's own codings as human codes.
func TestPlaceProblems(t *testing.T) {
	s := newStore(t)
	codeStore(t, s)
	if err := s.PutAnnotations(corpus.NewDocID([]byte(texts[0])), "rules@v1+test", vocab.Version, []corpus.Annotation{
		{Passage: passages(t, s)[0].ID, Type: corpus.AnnCode, Code: "role.navigation", Annotator: "rules@v1+test", Spans: []corpus.Span{{Start: 0, End: 3}}},
	}); err != nil {
		t.Fatal(err)
	}
	p, _ := export(t, s, qda.ExportOptions{Machine: true})
	src := &p.Sources[0]
	r := []rune(src.Text)
	unknown := qda.Code{GUID: qda.GUID("test", "stigma"), Name: "stigma", IsCodable: "true"}
	p.Codes = append(p.Codes, unknown)
	src.Selections = append(src.Selections,
		qda.Selection{GUID: qda.GUID("test", "1"), Start: 0, End: 4, CreatingUser: p.Users[0].GUID, Codings: []qda.Coding{{GUID: qda.GUID("test", "c1"), CodeRef: qda.Ref{Target: unknown.GUID}}}},
		qda.Selection{GUID: qda.GUID("test", "2"), Start: 0, End: len(r) + 5, Codings: []qda.Coding{{GUID: qda.GUID("test", "c2"), CreatingUser: p.Users[0].GUID, CodeRef: qda.Ref{Target: qda.GUID("code", "role.navigation")}}}},
		qda.Selection{GUID: qda.GUID("test", "3"), Start: 0, End: 4, Codings: []qda.Coding{{GUID: qda.GUID("test", "c3"), CodeRef: qda.Ref{Target: qda.GUID("code", "role.navigation")}}}},
	)
	pl, err := qda.Place(context.Background(), s, p, vocab, qda.PlaceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, pr := range pl.Problems {
		reasons = append(reasons, pr.Reason)
	}
	slices.Sort(reasons)
	want := []string{"no user is named for this coding: give a coder name", fmt.Sprintf("positions outside the source's %d characters", len(r)), "the code is not in the codebook"}
	if d := cmp.Diff(want, reasons); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if pl.Machine != 1 {
		t.Errorf("machine codings skipped: %d, want 1", pl.Machine)
	}
	for _, c := range pl.Codes {
		if strings.HasPrefix(c.Coder, "peermap") {
			t.Errorf("machine codes imported as coder %q", c.Coder)
		}
	}
	// With a coder name, the coding without a user is placed.
	pl, err = qda.Place(context.Background(), s, p, vocab, qda.PlaceOptions{Coder: "cleo"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(pl.Codes, func(c qda.CoderCodes) bool { return c.Coder == "cleo" }) {
		t.Error("-coder did not name the coder of a coding without user")
	}
}

// TestExportCoder exports one coder's codes only, and the documents they
// code with OnlyCoded.
func TestExportCoder(t *testing.T) {
	s := newStore(t)
	codeStore(t, s)
	p, st, err := qda.Export(context.Background(), s, vocab, qda.ExportOptions{Coder: "ben", OnlyCoded: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Users) != 1 || p.Users[0].Name != "ben" {
		t.Errorf("users %v, want ben alone", p.Users)
	}
	// ben coded passage 1 (two codes, three spans) and passage 3 (a label
	// and a negated label on the whole passage): both documents.
	if st.Sources != 2 || st.Codings != 5 {
		t.Errorf("%d sources, %d codings; want 2, 5", st.Sources, st.Codings)
	}
	p, st, err = qda.Export(context.Background(), s, vocab, qda.ExportOptions{Coder: "nobody", OnlyCoded: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Sources != 0 || len(p.Users) != 0 {
		t.Errorf("coder nobody: %d sources, %d users; want none", st.Sources, len(p.Users))
	}
}
