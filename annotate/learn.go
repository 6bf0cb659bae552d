package annotate

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	"github.com/peermap/peermap/corpus"
)

// A Layer is one annotator's figures on a gold file: the rules alone
// ("rules"), the learned layer without the rule features ("model"), and
// the learned layer with them ("combined", the default annotator).
type Layer struct {
	Name      string  `json:"name"`
	Annotator string  `json:"annotator,omitempty"`
	MicroF1   float64 `json:"micro_f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	MacroF1   float64 `json:"macro_f1"`
	LabelF1   float64 `json:"label_f1"`
	LinkF1    float64 `json:"link_f1"`
	IsPeerF1  float64 `json:"is_peer_f1"`
}

func layerOf(name string, r *EvalResult) Layer {
	return Layer{Name: name, Annotator: r.Annotator, MicroF1: r.MicroF1, Precision: r.Micro.Precision, Recall: r.Micro.Recall,
		MacroF1: r.MacroF1, LabelF1: r.LabelF1, LinkF1: r.LinkF1, IsPeerF1: r.IsPeerF1}
}

// EvaluateLayers scores the three layers on gold: the rules of t alone,
// a model without rule features trained on train, and the combined model
// (t's own model, or one trained on train if t has none).
func EvaluateLayers(ctx context.Context, t *Tagger, gold []Gold, train []Example, opts TrainOptions) ([]Layer, error) {
	rules, err := t.WithModel(nil)
	if err != nil {
		return nil, err
	}
	out := []Layer{layerOf("rules", Evaluate(rules, gold))}
	to := opts
	to.TextOnly = true
	m, err := Train(ctx, t.cb, train, to)
	if err != nil {
		return nil, err
	}
	mt, err := t.WithModel(m)
	if err != nil {
		return nil, err
	}
	out = append(out, layerOf("model", Evaluate(mt, gold)))
	comb := t.model
	if comb == nil {
		if comb, err = Train(ctx, t.cb, train, opts); err != nil {
			return nil, err
		}
	}
	ct, err := t.WithModel(comb)
	if err != nil {
		return nil, err
	}
	return append(out, layerOf("combined", Evaluate(ct, gold))), nil
}

// A CVResult is the grouped cross-validation of the layers on a gold
// file: each fold (its documents held out together) is annotated by
// models trained on the other folds only; the figures pool the folds.
type CVResult struct {
	Folds       int     `json:"folds"`
	Layers      []Layer `json:"layers"`
	Calibration []Bin   `json:"calibration"` // of the combined layer
	// Combined is the full result of the combined layer.
	Combined *EvalResult `json:"-"`
}

// CrossValidate runs grouped k-fold cross-validation of the three layers
// on gold (see Folds and Layer). Nothing outside gold is trained on.
func CrossValidate(ctx context.Context, t *Tagger, gold []Gold, k int, opts TrainOptions) (*CVResult, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validate: %d folds", k)
	}
	rules, err := t.WithModel(nil)
	if err != nil {
		return nil, err
	}
	res := &CVResult{Folds: k}
	rr := Evaluate(rules, gold)
	res.Layers = append(res.Layers, layerOf("rules", rr))
	ex := rules.Examples(gold)
	folds := Folds(ex, k)
	for _, textOnly := range []bool{true, false} {
		o := opts
		o.TextOnly = textOnly
		preds, err := foldPredictions(ctx, rules, gold, ex, nil, folds, k, o, nil)
		if err != nil {
			return nil, err
		}
		r := score(t.cb, gold, preds)
		r.Annotator = fmt.Sprintf("model@%s (%d-fold)", t.cb.Version(), k)
		if textOnly {
			res.Layers = append(res.Layers, layerOf("model", r))
		} else {
			res.Layers = append(res.Layers, layerOf("combined", r))
			res.Calibration = r.Calibration
			res.Combined = r
		}
	}
	return res, nil
}

// foldPredictions annotates each fold of gold with a model trained on
// extra plus the examples ex of the other folds that add picks (all of
// them when add is nil).
func foldPredictions(ctx context.Context, base *Tagger, gold []Gold, ex, extra []Example, folds []int, k int, opts TrainOptions, add func(f int, others []int) []int) ([]prediction, error) {
	preds := make([]prediction, len(gold))
	for f := 0; f < k; f++ {
		var others, in []int
		for i := range gold {
			if folds[i] == f {
				in = append(in, i)
			} else {
				others = append(others, i)
			}
		}
		if len(in) == 0 {
			continue
		}
		if add != nil {
			others = add(f, others)
		}
		tr := slices.Clone(extra)
		for _, i := range others {
			tr = append(tr, ex[i])
		}
		m, err := Train(ctx, base.cb, tr, opts)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f, err)
		}
		ft, err := base.WithModel(m)
		if err != nil {
			return nil, err
		}
		for _, i := range in {
			preds[i] = predictionOf(ft.TagText(gold[i].Text, gold[i].Lang))
		}
	}
	return preds, nil
}

// A CurvePoint is the score of the combined layer after Added simulated
// hand-coded passages (Mean: the number actually added per fold, when a
// fold had fewer to give).
type CurvePoint struct {
	Added     int     `json:"added"`
	Mean      float64 `json:"mean_added"`
	MicroF1   float64 `json:"micro_f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	MacroF1   float64 `json:"macro_f1"`
}

// LearningCurve simulates a team's hand coding: gold is cut into k folds
// by document; each fold is annotated by a model trained on train plus
// the first n passages (in a fixed pseudo-random order) of the other
// folds, for each n of sizes. The figures pool the folds.
func LearningCurve(ctx context.Context, t *Tagger, train []Example, gold []Gold, sizes []int, k int, opts TrainOptions) ([]CurvePoint, error) {
	rules, err := t.WithModel(nil)
	if err != nil {
		return nil, err
	}
	ex := rules.Examples(gold)
	folds := Folds(ex, k)
	order := func(i int) uint64 {
		h := fnv.New64a()
		h.Write([]byte(gold[i].ID))
		return h.Sum64()
	}
	var out []CurvePoint
	for _, n := range sizes {
		total, used := 0, 0
		preds, err := foldPredictions(ctx, rules, gold, ex, train, folds, k, opts, func(f int, others []int) []int {
			slices.SortFunc(others, func(a, b int) int { return cmp.Compare(order(a), order(b)) })
			m := min(n, len(others))
			total += m
			used++
			return others[:m]
		})
		if err != nil {
			return nil, err
		}
		r := score(t.cb, gold, preds)
		out = append(out, CurvePoint{Added: n, Mean: math.Round(float64(total)/float64(max(used, 1))*10) / 10,
			MicroF1: r.MicroF1, Precision: r.Micro.Precision, Recall: r.Micro.Recall, MacroF1: r.MacroF1})
	}
	return out, nil
}

// A PassageScore is what the learned layer thinks of one passage: the
// calibrated probability that it speaks about peers and of each code (in
// Model.Codes order). Codes is nil when no sentence of the passage speaks
// about peers (the passage gets no code whatever the model says).
type PassageScore struct {
	Passage corpus.PassageID `json:"passage"`
	Peer    float64          `json:"peer"`
	Codes   []float64        `json:"codes,omitempty"`
}

// Uncertainty is how much a hand code of the passage would teach the
// model: the summed binary entropy (in bits) of its peer and code
// probabilities; 0 for a passage without a peer sentence.
func (s PassageScore) Uncertainty() float64 {
	if s.Codes == nil {
		return 0
	}
	u := entropy(s.Peer)
	for _, p := range s.Codes {
		u += entropy(p)
	}
	return u
}

func entropy(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return -(p*math.Log2(p) + (1-p)*math.Log2(1-p))
}

// MostUncertain sorts scores by decreasing uncertainty (ties by passage
// ID) and returns the first n (all when n <= 0), leaving out passages
// without a peer sentence.
func MostUncertain(scores []PassageScore, n int) []PassageScore {
	var out []PassageScore
	for _, s := range scores {
		if s.Codes != nil {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b PassageScore) int {
		if c := cmp.Compare(b.Uncertainty(), a.Uncertainty()); c != 0 {
			return c
		}
		return cmp.Compare(a.Passage, b.Passage)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// HandExamples returns the passages of doc that people coded by hand
// (coded lists them; human holds their human annotations) as training
// examples, with features computed in document order as Tag sees them. A
// passage's codes are those given by at least half of its coders; it
// speaks about peers when some coder gave it a code or a label.
func (t *Tagger) HandExamples(doc *corpus.Document, ps []corpus.Passage, coded []corpus.PassageID, human []corpus.Annotation) []Example {
	type tally struct {
		coders map[string]bool
		codes  map[string]map[string]bool // code → coders
		any    bool
	}
	by := map[corpus.PassageID]*tally{}
	for _, p := range coded {
		by[p] = &tally{coders: map[string]bool{}, codes: map[string]map[string]bool{}}
	}
	for _, a := range human {
		tl := by[a.Passage]
		if tl == nil || !a.Human() {
			continue
		}
		tl.coders[a.Annotator] = true
		if a.Negated {
			continue
		}
		switch a.Type {
		case corpus.AnnCode:
			if tl.codes[a.Code] == nil {
				tl.codes[a.Code] = map[string]bool{}
			}
			tl.codes[a.Code][a.Annotator] = true
			tl.any = true
		case corpus.AnnLabel:
			tl.any = true
		}
	}
	all := t.DocExamples(doc, ps)
	var out []Example
	for i, p := range ps {
		tl := by[p.ID]
		if tl == nil {
			continue
		}
		e := all[i]
		n := max(len(tl.coders), 1)
		for c, who := range tl.codes {
			if 2*len(who) >= n {
				e.Codes = append(e.Codes, c)
			}
		}
		slices.Sort(e.Codes)
		e.Peer = tl.any
		out = append(out, e)
	}
	return out
}
