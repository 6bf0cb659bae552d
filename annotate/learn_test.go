package annotate_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// synthetic returns examples in which w:visit means role.outreach and
// w:phone setting.remote, over 12 documents.
func synthetic() []annotate.Example {
	var ex []annotate.Example
	for i := 0; i < 120; i++ {
		e := annotate.Example{ID: fmt.Sprint(i), Doc: fmt.Sprintf("d%d", i%12), Focus: true, Peer: true, Feats: []string{"k:label"}}
		if i%3 == 0 {
			e.Feats = append(e.Feats, "w:visit")
			e.Codes = append(e.Codes, "role.outreach")
		}
		if i%4 == 0 {
			e.Feats = append(e.Feats, "w:phone")
			e.Codes = append(e.Codes, "setting.remote")
		}
		if i%5 == 0 {
			e.Feats = append(e.Feats, "w:noise")
		}
		slices.Sort(e.Feats)
		ex = append(ex, e)
	}
	return ex
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	cb := annotate.Default()
	ex := synthetic()
	m, err := annotate.Train(context.Background(), cb, ex, annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := annotate.Train(context.Background(), cb, ex, annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Hash() != m2.Hash() {
		t.Errorf("two trainings on the same examples: %s and %s", m.Hash(), m2.Hash())
	}
	var a, b bytes.Buffer
	if err := m.Save(&a); err != nil {
		t.Fatal(err)
	}
	if err := m2.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two trainings save different bytes")
	}
	// Round trip.
	l, err := annotate.LoadModel(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if l.Hash() != m.Hash() {
		t.Errorf("loaded model %s, saved %s", l.Hash(), m.Hash())
	}
	// The weights say what the examples say.
	w := func(code, feat string) float64 {
		c := slices.Index(m.Codes, code)
		f, ok := slices.BinarySearch(m.Features, feat)
		if c < 0 || !ok {
			t.Fatalf("no %s or %s in the model", code, feat)
		}
		return m.Code[c].W[f]
	}
	if w("role.outreach", "w:visit") <= 0 || w("setting.remote", "w:phone") <= 0 {
		t.Errorf("weights: outreach/visit %.3f, remote/phone %.3f, want > 0", w("role.outreach", "w:visit"), w("setting.remote", "w:phone"))
	}
	if w("role.outreach", "w:visit") <= w("role.outreach", "w:phone") {
		t.Errorf("outreach weighs phone (%.3f) at least as much as visit (%.3f)", w("role.outreach", "w:phone"), w("role.outreach", "w:visit"))
	}
	// A changed option changes the model.
	m3, err := annotate.Train(context.Background(), cb, ex, annotate.TrainOptions{Lambda: 10})
	if err != nil {
		t.Fatal(err)
	}
	if m3.Hash() == m.Hash() {
		t.Error("lambda 10 gives the same model")
	}
}

func TestTrainErrors(t *testing.T) {
	if _, err := annotate.Train(context.Background(), annotate.Default(), []annotate.Example{{ID: "x"}}, annotate.TrainOptions{}); err == nil {
		t.Error("training without a focused example: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := annotate.Train(ctx, annotate.Default(), synthetic(), annotate.TrainOptions{}); err == nil {
		t.Error("training with a cancelled context: no error")
	}
}

func TestFolds(t *testing.T) {
	ex := synthetic()
	f := annotate.Folds(ex, 5)
	if !slices.Equal(f, annotate.Folds(ex, 5)) {
		t.Error("Folds is not deterministic")
	}
	byDoc := map[string]int{}
	size := make([]int, 5)
	for i, e := range ex {
		if k, ok := byDoc[e.Doc]; ok && k != f[i] {
			t.Errorf("document %s in folds %d and %d", e.Doc, k, f[i])
		}
		byDoc[e.Doc] = f[i]
		size[f[i]]++
	}
	for k, n := range size {
		// 12 documents of 10 examples in 5 folds: 2 or 3 documents each.
		if n < 20 || n > 30 {
			t.Errorf("fold %d has %d examples, want 20 to 30 (sizes %v)", k, n, size)
		}
	}
}

func TestMostUncertain(t *testing.T) {
	scores := []annotate.PassageScore{
		{Passage: "d/0000", Peer: 0.99, Codes: []float64{0.01, 0.99}}, // sure
		{Passage: "d/0001", Peer: 0.9, Codes: []float64{0.5, 0.5}},    // unsure
		{Passage: "d/0002"}, // no peer sentence
		{Passage: "d/0003", Peer: 0.9, Codes: []float64{0.5, 0.9}}, // half unsure
		{Passage: "d/0004", Peer: 0.9, Codes: []float64{0.5, 0.5}}, // tie with d/0001
	}
	var got []string
	for _, s := range annotate.MostUncertain(scores, 3) {
		got = append(got, string(s.Passage))
	}
	if want := []string{"d/0001", "d/0004", "d/0003"}; !slices.Equal(got, want) {
		t.Errorf("MostUncertain = %v, want %v", got, want)
	}
	if n := len(annotate.MostUncertain(scores, 0)); n != 4 {
		t.Errorf("MostUncertain(all) = %d passages, want the 4 with a peer sentence", n)
	}
	if u := scores[2].Uncertainty(); u != 0 {
		t.Errorf("a passage without a peer sentence has uncertainty %v", u)
	}
}

func TestHandExamples(t *testing.T) {
	tg := rulesTagger(t)
	doc := &corpus.Document{ID: "d", Lang: "en"}
	ps := []corpus.Passage{
		{ID: "d/0000", Text: "Peer navigators made home visits."},
		{ID: "d/0001", Text: "They called patients by phone."},
		{ID: "d/0002", Text: "The trial ended in 2020."},
		{ID: "d/0003", Text: "Peer navigators were paid."},
	}
	code := func(p corpus.PassageID, coder, c string) corpus.Annotation {
		return corpus.Annotation{Passage: p, Type: corpus.AnnCode, Code: c, Annotator: "human:" + coder}
	}
	human := []corpus.Annotation{
		code("d/0000", "ana", "role.outreach"), code("d/0000", "ben", "role.outreach"), code("d/0000", "ben", "setting.community"),
		code("d/0001", "ana", "setting.remote"), code("d/0001", "ana", "role.navigation"), code("d/0001", "ben", "setting.remote"), code("d/0001", "cy", "setting.remote"),
		{Passage: "d/0003", Type: corpus.AnnCode, Code: "pathway.status", Annotator: "rules@v1"}, // not human
	}
	coded := []corpus.PassageID{"d/0000", "d/0001", "d/0002"}
	ex := tg.HandExamples(doc, ps, coded, human)
	var got []string
	for _, e := range ex {
		got = append(got, fmt.Sprintf("%s peer=%v focus=%v %s", e.ID, e.Peer, e.Focus, strings.Join(e.Codes, ",")))
	}
	want := []string{
		"d/0000 peer=true focus=true role.outreach,setting.community", // 2 coders: each code by at least one of two
		"d/0001 peer=true focus=true setting.remote",                  // 3 coders: navigation by one only
		"d/0002 peer=false focus=false ",                              // coded with no code
	}
	if !slices.Equal(got, want) {
		t.Errorf("HandExamples:\n got %q\nwant %q", got, want)
	}
	// The anaphor of d/0001 carries the label of d/0000: its features say so.
	if !slices.Contains(ex[1].Feats, "k:anaphor") {
		t.Errorf("d/0001 features %v lack k:anaphor", ex[1].Feats)
	}
}

func TestExamplesRoundTrip(t *testing.T) {
	ex := synthetic()
	var b bytes.Buffer
	if err := annotate.WriteExamples(&b, ex); err != nil {
		t.Fatal(err)
	}
	got, err := annotate.ReadExamples(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ex) || !slices.Equal(got[3].Feats, ex[3].Feats) || !slices.Equal(got[3].Codes, ex[3].Codes) || got[3].Doc != ex[3].Doc {
		t.Errorf("round trip: %d examples, [3] = %+v, want %+v", len(got), got[3], ex[3])
	}
}

func FuzzLoadModel(f *testing.F) {
	var b bytes.Buffer
	m, err := annotate.Train(context.Background(), annotate.Default(), synthetic(), annotate.TrainOptions{})
	if err != nil {
		f.Fatal(err)
	}
	if err := m.Save(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"format":1,"codes":["a"],"code":[],"rule_precision":[1]}`))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := annotate.LoadModel(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A model that loads can score a passage without panicking.
		tg, err := annotate.New(annotate.Default(), annotate.Options{Model: m})
		if err != nil {
			return // another codebook
		}
		tg.TagText("Peer navigators made home visits.", "en")
	})
}

func FuzzReadExamples(f *testing.F) {
	var b bytes.Buffer
	if err := annotate.WriteExamples(&b, synthetic()[:3]); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"id":"x","focus":true,"feats":["w:a"]}` + "\n" + `{"id":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		annotate.ReadExamples(bytes.NewReader(data))
	})
}

// TestCrossValidate checks the layers of a small grouped cross-validation
// and that no fold is annotated by a model that saw it: the held-out
// score stays well below the score of a model trained on every passage.
func TestCrossValidate(t *testing.T) {
	gold := readGold(t, "train.jsonl")[:150]
	tg := rulesTagger(t)
	cv, err := annotate.CrossValidate(context.Background(), tg, gold, 3, annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range cv.Layers {
		names = append(names, l.Name)
		if l.MicroF1 <= 0 || l.MicroF1 > 1 || l.Precision <= 0 || l.Recall <= 0 {
			t.Errorf("layer %+v out of range", l)
		}
	}
	if want := []string{"rules", "model", "combined"}; !slices.Equal(names, want) {
		t.Errorf("layers %v, want %v", names, want)
	}
	if cv.Folds != 3 || len(cv.Calibration) == 0 || cv.Combined == nil {
		t.Errorf("folds %d, calibration %v", cv.Folds, cv.Calibration)
	}
	m, err := annotate.Train(context.Background(), annotate.Default(), tg.Examples(gold), annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := tg.WithModel(m)
	if err != nil {
		t.Fatal(err)
	}
	seen := annotate.Evaluate(fit, gold).MicroF1
	if held := cv.Layers[2].MicroF1; held > seen-0.1 {
		t.Errorf("cross-validated micro-F1 %.3f is close to the fit on every passage (%.3f): do folds leak?", held, seen)
	}
	if _, err := annotate.CrossValidate(context.Background(), tg, gold, 1, annotate.TrainOptions{}); err == nil {
		t.Error("one fold: no error")
	}
}

func TestLearningCurve(t *testing.T) {
	gold := readGold(t, "dev.jsonl")[:60]
	train, err := annotate.DefaultTrainSet()
	if err != nil {
		t.Fatal(err)
	}
	pts, err := annotate.LearningCurve(context.Background(), tagger(t), train[:120], gold, []int{0, 20, 1000}, 3, annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3 || pts[0].Added != 0 || pts[0].Mean != 0 || pts[1].Mean != 20 {
		t.Fatalf("curve %+v", pts)
	}
	// 1000 asks for more than the other folds hold: each gives them all.
	if pts[2].Mean >= 60 || pts[2].Mean < 30 {
		t.Errorf("mean added for 1000: %v, want the other folds' size (about 40)", pts[2].Mean)
	}
	for _, p := range pts {
		if p.MicroF1 <= 0 || p.MicroF1 > 1 {
			t.Errorf("point %+v out of range", p)
		}
	}
}

// TestRuleCodes checks that a code the rules decide is given when its cue
// fires in a peer sentence, with the rules' precision as confidence,
// whatever the model's probability.
func TestRuleCodes(t *testing.T) {
	m, err := annotate.Train(context.Background(), annotate.Default(), synthetic(), annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := "Peer navigators worked in the hospital."
	hospital := func(m *annotate.Model) (corpus.Annotation, bool) {
		tg, err := rulesTagger(t).WithModel(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range tg.TagText(text, "en") {
			if a.Type == corpus.AnnCode && a.Code == "setting.hospital" {
				return a, true
			}
		}
		return corpus.Annotation{}, false
	}
	// The synthetic examples never carry setting.hospital: the model
	// alone does not give it.
	if a, ok := hospital(m); ok {
		t.Fatalf("model alone gave %+v", a)
	}
	c := slices.Index(m.Codes, "setting.hospital")
	m.RuleCodes = make([]bool, len(m.Codes))
	m.RuleCodes[c] = true
	a, ok := hospital(m)
	if !ok {
		t.Fatal("a code the rules decide is not given when its cue fires")
	}
	if a.Confidence != m.RulePrecision[c] || a.Rule == "" || a.Negated {
		t.Errorf("annotation %+v, want confidence %v, a rule, not negated", a, m.RulePrecision[c])
	}
}

// TestCalibratedConfidence checks that a code the model gives carries its
// probability recalibrated by Model.Calib, and that a model file whose
// calibration is not a step function does not load.
func TestCalibratedConfidence(t *testing.T) {
	m, err := annotate.Train(context.Background(), annotate.Default(), synthetic(), annotate.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Calib == nil {
		t.Fatal("training fitted no calibration")
	}
	outreach := func(calib *annotate.Isotonic) float64 {
		mc := *m
		mc.Calib = calib
		tg, err := rulesTagger(t).WithModel(&mc)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range tg.TagText("Peer navigators made a home visit.", "en") {
			if a.Type == corpus.AnnCode && a.Code == "role.outreach" && !a.Negated {
				return a.Confidence
			}
		}
		t.Fatalf("role.outreach not given (calibration %+v)", calib)
		return 0
	}
	raw := outreach(nil)
	tests := []struct {
		name  string
		calib *annotate.Isotonic
		want  float64
	}{
		{"one step", &annotate.Isotonic{Y: []float64{0.42}}, 0.42},
		{"below the bound", &annotate.Isotonic{X: []float64{raw + 0.01}, Y: []float64{0.2, 0.9}}, 0.2},
		{"above the bound", &annotate.Isotonic{X: []float64{raw - 0.01}, Y: []float64{0.2, 0.9}}, 0.9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outreach(tt.calib); got != tt.want {
				t.Errorf("confidence %v, want %v (probability %v)", got, tt.want, raw)
			}
		})
	}

	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := annotate.LoadModel(bytes.NewReader(b.Bytes())); err != nil {
		t.Fatalf("a trained model does not load: %v", err)
	}
	bad := *m
	bad.Calib = &annotate.Isotonic{X: []float64{0.5}, Y: []float64{0.3}}
	b.Reset()
	if err := bad.Save(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := annotate.LoadModel(&b); err == nil {
		t.Error("a calibration with as many bounds as steps loads")
	}
}
