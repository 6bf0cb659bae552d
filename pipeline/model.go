package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"go.uber.org/zap"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/atomicfile"
)

// ModelPath returns where 'annotate -learn' keeps the workspace's own
// model (refitted on the shipped training set and the team's hand codes).
func (w *Workspace) ModelPath() string { return filepath.Join(w.opts.Dir, "model.bin") }

// legacyModelPath is where 'annotate -learn' kept the model, as
// gzip-compressed JSON, before model.bin: still read when there is no
// model.bin.
func (w *Workspace) legacyModelPath() string { return filepath.Join(w.opts.Dir, "model.json.gz") }

// model returns the workspace's own model when it was trained for the
// active codebook, else nil (the tagger then takes the embedded model).
func (w *Workspace) model() (*annotate.Model, error) {
	path := w.ModelPath()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		path = w.legacyModelPath()
		b, err = os.ReadFile(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := annotate.LoadModel(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Codebook != w.Codebook().Version() {
		w.log.Warn("the workspace model was trained with another codebook; run 'peermap annotate -learn'",
			zap.String("model_codebook", m.Codebook), zap.String("codebook", w.Codebook().Version()))
		return nil, nil
	}
	return m, nil
}

// Tagger returns the workspace's annotator: the codebook's rules with the
// workspace's model, else the embedded model (rules alone when neither was
// trained for the active codebook). It is made once.
func (w *Workspace) Tagger() (*annotate.Tagger, error) {
	if w.tagger != nil {
		return w.tagger, nil
	}
	m, err := w.model()
	if err != nil {
		return nil, err
	}
	t, err := annotate.New(w.Codebook(), annotate.Options{Logger: w.log, Model: m, Rules: w.opts.Rules})
	if err != nil {
		return nil, err
	}
	w.tagger = t
	return t, nil
}

// A LearnSummary says what Learn trained on.
type LearnSummary struct {
	Model   string // the new model's hash
	Shipped int    // passages of the shipped training set
	Hand    int    // passages coded by hand in the workspace
	Path    string // where the model was saved
}

// Learn refits the model on the shipped training set plus the passages the
// workspace's coders coded by hand (a code counts when at least half of a
// passage's coders gave it), and saves it in the workspace. Human codes
// are read, never written. The next Annotate re-annotates every document,
// since the annotator's name changes with the model.
func (w *Workspace) Learn(ctx context.Context) (LearnSummary, error) {
	var sum LearnSummary
	s := w.store
	rules, err := annotate.New(w.Codebook(), annotate.Options{Logger: w.log, Rules: true})
	if err != nil {
		return sum, err
	}
	var ex []annotate.Example
	if dm, err := annotate.DefaultModel(); err == nil && dm.Codebook == w.Codebook().Version() {
		base, err := annotate.DefaultTrainSet()
		if err != nil {
			return sum, err
		}
		ex = append(ex, base...)
	} else {
		w.log.Warn("the shipped training set belongs to another codebook: learning from the hand codes alone")
	}
	sum.Shipped = len(ex)
	coded, err := s.HumanCoded()
	if err != nil {
		return sum, err
	}
	human, err := s.HumanCodes("")
	if err != nil {
		return sum, err
	}
	byDoc := map[corpus.DocID][]corpus.PassageID{}
	for _, p := range coded {
		byDoc[p.Doc()] = append(byDoc[p.Doc()], p)
	}
	for _, d := range slices.Sorted(maps.Keys(byDoc)) {
		doc, err := s.Document(d)
		if err != nil {
			return sum, err
		}
		ps, err := s.Passages(d)
		if err != nil {
			return sum, err
		}
		he := rules.HandExamples(doc, ps, byDoc[d], human)
		sum.Hand += len(he)
		ex = append(ex, he...)
	}
	m, err := annotate.Train(ctx, w.Codebook(), ex, annotate.DefaultTrainOptions)
	if err != nil {
		return sum, err
	}
	err = atomicfile.WriteFunc(w.ModelPath(), m.Save)
	if err != nil {
		return sum, err
	}
	w.tagger = nil
	w.uncertain.forget()
	sum.Model, sum.Path = m.Hash(), w.ModelPath()
	return sum, nil
}

// A NextPassage is a passage to code next, with the codes the model is
// least sure of.
type NextPassage struct {
	Passage     corpus.PassageID   `json:"passage"`
	Uncertainty float64            `json:"uncertainty"` // summed entropy of the code probabilities
	Unsure      map[string]float64 `json:"unsure"`      // codes with a probability between 0.2 and 0.8
	Text        string             `json:"text"`
}

// CodeNext returns the n passages not yet coded by hand whose machine codes
// are least certain: coding them first teaches the model most.
func (w *Workspace) CodeNext(ctx context.Context, n int) ([]NextPassage, error) {
	t, err := w.Tagger()
	if err != nil {
		return nil, err
	}
	m := t.Model()
	if m == nil {
		return nil, fmt.Errorf("code next: no model for codebook %s (run 'peermap annotate -learn')", w.Codebook().Version())
	}
	coded, err := w.store.HumanCoded()
	if err != nil {
		return nil, err
	}
	done := map[corpus.PassageID]bool{}
	for _, p := range coded {
		done[p] = true
	}
	var scores []annotate.PassageScore
	texts := map[corpus.PassageID]string{}
	err = w.eachScore(ctx, t, func(sc annotate.PassageScore, p corpus.Passage) {
		if !done[sc.Passage] {
			scores = append(scores, sc)
			texts[sc.Passage] = p.Text
		}
	})
	if err != nil {
		return nil, err
	}
	var out []NextPassage
	for _, sc := range annotate.MostUncertain(scores, n) {
		np := NextPassage{Passage: sc.Passage, Uncertainty: sc.Uncertainty(), Unsure: map[string]float64{}, Text: texts[sc.Passage]}
		for c, p := range sc.Codes {
			if p >= 0.2 && p <= 0.8 {
				np.Unsure[m.Codes[c]] = p
			}
		}
		out = append(out, np)
	}
	return out, nil
}

// eachScore calls fn with the learned layer's scores of every passage of
// the corpus, document by document.
func (w *Workspace) eachScore(ctx context.Context, t *annotate.Tagger, fn func(annotate.PassageScore, corpus.Passage)) error {
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		full, err := w.store.Document(d.ID)
		if err != nil {
			return err
		}
		ps, err := w.store.Passages(d.ID)
		if err != nil {
			return err
		}
		for i, sc := range t.Scores(full, ps) {
			fn(sc, ps[i])
		}
	}
	return nil
}
