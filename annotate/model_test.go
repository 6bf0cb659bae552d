package annotate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/peermap/peermap/annotate"
)

// rulesTagger returns a tagger of the embedded codebook without the
// learned layer (the features of a passage do not depend on it).
func rulesTagger(t testing.TB) *annotate.Tagger {
	t.Helper()
	tg, err := annotate.New(annotate.Default(), annotate.Options{Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestEmbeddedModel proves that the embedded training set is train.jsonl
// as the embedded codebook's tagger sees it, and that the embedded model
// is what training on it with DefaultTrainOptions gives. With -update it
// rewrites both (model.bin, trainset.json.gz).
func TestEmbeddedModel(t *testing.T) {
	gold := readGold(t, "train.jsonl")
	cb := annotate.Default()
	ex := rulesTagger(t).Examples(gold)
	m, err := annotate.Train(context.Background(), cb, ex, annotate.DefaultTrainOptions)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		var mb, eb bytes.Buffer
		if err := m.Save(&mb); err != nil {
			t.Fatal(err)
		}
		if err := annotate.WriteExamples(&eb, ex); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("model.bin", mb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("trainset.json.gz", eb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote model %s (%d features, %d examples) and the training set", m.Hash(), len(m.Features), m.Examples)
		return
	}
	embEx, err := annotate.DefaultTrainSet()
	if err != nil {
		t.Fatalf("%v (run go test ./annotate -run TestEmbeddedModel -update)", err)
	}
	if len(embEx) != len(ex) {
		t.Fatalf("embedded training set has %d examples, train.jsonl gives %d (run with -update)", len(embEx), len(ex))
	}
	for i := range ex {
		a, _ := json.Marshal(ex[i])
		b, _ := json.Marshal(embEx[i])
		if !bytes.Equal(a, b) {
			t.Fatalf("example %s differs from the embedded one (run with -update):\n got %.300s\nwant %.300s", ex[i].ID, a, b)
		}
	}
	emb, err := annotate.DefaultModel()
	if err != nil {
		t.Fatalf("%v (run go test ./annotate -run TestEmbeddedModel -update)", err)
	}
	if emb.Codebook != cb.Version() {
		t.Fatalf("embedded model was trained with codebook %s, the embedded codebook is %s (run with -update)", emb.Codebook, cb.Version())
	}
	if emb.Hash() != m.Hash() {
		t.Errorf("embedded model %s is not what training on train.jsonl gives (%s); run with -update", emb.Hash(), m.Hash())
	}
	// Refitting the embedded training set gives the same model too.
	m2, err := annotate.Train(context.Background(), cb, embEx, annotate.DefaultTrainOptions)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Hash() != emb.Hash() {
		t.Errorf("training on the embedded training set gives %s, want %s", m2.Hash(), emb.Hash())
	}
	tg := tagger(t)
	if want := "model@" + cb.Version() + "+" + emb.Hash(); tg.Annotator() != want {
		t.Errorf("annotator %q, want %q", tg.Annotator(), want)
	}
}
