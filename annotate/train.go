package annotate

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/optimize"
)

// TrainOptions control training. The zero value means the defaults, which
// were chosen by grouped 5-fold cross-validation on train.jsonl (see
// DefaultTrainOptions).
type TrainOptions struct {
	Lambda    float64 `json:"lambda"`    // L2 penalty on the weights (not the bias); 0 means the default
	MinCount  int     `json:"min_count"` // features seen in fewer training passages are dropped; 0 means the default
	Threshold float64 `json:"threshold"` // calibrated probability from which a code is given; 0 means the default
	Folds     int     `json:"folds"`     // folds (grouped by document): a code's model is the average of the models fitted without each, calibrated on their held-out scores; 0 means 5
	// Own scales the penalty of a code's own rule features (r:, r2:,
	// rl:, n: of that code): below 1, each code's model starts from its
	// cues and learns corrections from the rest. 0 means the default.
	Own      float64 `json:"own"`
	TextOnly bool    `json:"text_only,omitempty"` // leave the rule features out (for comparison)
}

// DefaultTrainOptions are the hyper-parameters of the embedded model.
var DefaultTrainOptions = TrainOptions{Lambda: 4, MinCount: 2, Threshold: 0.3, Folds: 5, Own: 0.1}

func (o TrainOptions) withDefaults() TrainOptions {
	d := DefaultTrainOptions
	if o.Lambda > 0 {
		d.Lambda = o.Lambda
	}
	if o.MinCount > 0 {
		d.MinCount = o.MinCount
	}
	if o.Threshold > 0 {
		d.Threshold = o.Threshold
	}
	if o.Folds > 0 {
		d.Folds = o.Folds
	}
	if o.Own > 0 {
		d.Own = o.Own
	}
	d.TextOnly = o.TextOnly
	return d
}

// ruleFeature reports whether a feature comes from the rules (cue hits).
func ruleFeature(f string) bool {
	return strings.HasPrefix(f, "r:") || strings.HasPrefix(f, "r2:") || strings.HasPrefix(f, "rl:") || strings.HasPrefix(f, "n:")
}

// Train fits a model for codebook cb on examples (see Tagger.Examples).
// Only examples with a peer sentence (Focus) take part: the others get no
// code whatever the model says. Training is deterministic: the same
// examples (in the same order) and options give the same model.
func Train(ctx context.Context, cb *Codebook, ex []Example, opts TrainOptions) (*Model, error) {
	opts = opts.withDefaults()
	var use []Example
	for _, e := range ex {
		if e.Focus {
			use = append(use, e)
		}
	}
	if len(use) == 0 {
		return nil, fmt.Errorf("train: no example has a peer sentence")
	}
	m := &Model{Format: ModelFormat, Codebook: cb.Version(), Options: opts, Examples: len(use), Threshold: opts.Threshold}
	for _, d := range cb.Dimensions {
		for _, c := range d.Categories {
			m.Codes = append(m.Codes, c.ID)
		}
	}
	// Rule precision, from the rule features.
	m.RulePrecision = make([]float64, len(m.Codes))
	peerTP := 0
	for c, code := range m.Codes {
		fired, tp := 0, 0
		for _, e := range use {
			if hasFeat(e.Feats, "r:"+code) {
				fired++
				if slices.Contains(e.Codes, code) {
					tp++
				}
			}
		}
		m.RulePrecision[c] = round4(float64(tp+1) / float64(fired+2))
	}
	for _, e := range use {
		if e.Peer {
			peerTP++
		}
	}
	m.RulePeer = round4(float64(peerTP+1) / float64(len(use)+2))

	m.Features = vocabulary(use, opts)
	X := encode(use, m.Features)
	ys := targets(use, m.Codes)
	folds := Folds(use, opts.Folds)
	lin := make([]Linear, len(ys))
	// Held-out probabilities and gold of the codes the model decides,
	// pooled: what the isotonic recalibration is fitted on.
	var calX []float64
	var calY []bool
	for k, y := range ys {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		pen := make([]float64, len(m.Features))
		for j := range pen {
			pen[j] = opts.Lambda
		}
		if k > 0 {
			code := m.Codes[k-1]
			for _, pre := range []string{"r:", "r2:", "rl:", "n:"} {
				if j, ok := slices.BinarySearch(m.Features, pre+code); ok {
					pen[j] = opts.Lambda * opts.Own
				}
			}
		}
		// Held-out scores for calibration: each fold scored by a model
		// fitted on the others. The model kept is the average of those
		// fold models, so that the calibration fitted on their held-out
		// scores is the calibration of the model's own scores.
		oof := make([]float64, len(use))
		b, w := 0.0, make([]float64, len(m.Features))
		for f := 0; f < opts.Folds; f++ {
			var tx [][]int32
			var ty []bool
			for i := range use {
				if folds[i] != f {
					tx, ty = append(tx, X[i]), append(ty, y[i])
				}
			}
			fb, fw := fitLogistic(tx, ty, pen)
			for i := range use {
				if folds[i] == f {
					oof[i] = dot(fb, fw, X[i])
				}
			}
			b += fb / float64(opts.Folds)
			for j, v := range fw {
				w[j] += v / float64(opts.Folds)
			}
		}
		a, bb := platt(oof, y)
		lin[k] = Linear{Bias: round6(b), W: roundAll(w), A: round6(a), B: round6(bb)}
		if k == 0 {
			continue
		}
		probs := make([]float64, len(use))
		fires := make([]bool, len(use))
		for i := range use {
			probs[i] = lin[k].prob(oof[i])
			fires[i] = hasFeat(use[i].Feats, "r:"+m.Codes[k-1])
		}
		if !opts.TextOnly && ruleDecides(probs, fires, y, opts.Threshold) {
			if m.RuleCodes == nil {
				m.RuleCodes = make([]bool, len(m.Codes))
			}
			m.RuleCodes[k-1] = true
			continue
		}
		calX, calY = append(calX, probs...), append(calY, y...)
	}
	m.Calib = isotonic(calX, calY)
	m.Peer, m.Code = lin[0], lin[1:]
	m.prepare()
	m.hash = m.computeHash()
	return m, nil
}

// ruleMargin is how much better (in F1 on the held-out folds) the rules
// must do than the model for a code before they decide it.
const ruleMargin = 0.02

// ruleDecides reports whether the rules should decide a code rather than
// the model: on the held-out folds of training, the rules (fires: a cue
// of the code fired) reach an F1 higher by ruleMargin than the model's
// calibrated probabilities probs at threshold, with a precision that
// reaches the threshold too (a code given is at least as likely as the
// threshold says, whoever decides). With few examples of a
// code, its model's calibrated probabilities stay near the code's base
// rate and fall below the threshold where its cues would be right.
func ruleDecides(probs []float64, fires, y []bool, threshold float64) bool {
	score := func(pred func(i int) bool) (f1, precision float64) {
		tp, fp, fn := 0, 0, 0
		for i := range y {
			switch p := pred(i); {
			case p && y[i]:
				tp++
			case p:
				fp++
			case y[i]:
				fn++
			}
		}
		if tp == 0 {
			return 0, 0
		}
		return 2 * float64(tp) / float64(2*tp+fp+fn), float64(tp) / float64(tp+fp)
	}
	model, _ := score(func(i int) bool { return probs[i] >= threshold })
	rules, precision := score(func(i int) bool { return fires[i] })
	return rules > model+ruleMargin && precision >= threshold
}

// targets returns, per model (0: is_peer, 1+c: code c), the gold decision
// of each example.
func targets(ex []Example, codes []string) [][]bool {
	ys := make([][]bool, 1+len(codes))
	for k := range ys {
		ys[k] = make([]bool, len(ex))
	}
	for i, e := range ex {
		ys[0][i] = e.Peer
		for c, code := range codes {
			ys[1+c][i] = slices.Contains(e.Codes, code)
		}
	}
	return ys
}

// vocabulary returns the sorted features seen in at least opts.MinCount
// examples (rule features left out with TextOnly).
func vocabulary(ex []Example, opts TrainOptions) []string {
	n := map[string]int{}
	for _, e := range ex {
		for _, f := range e.Feats {
			n[f]++
		}
	}
	var out []string
	for f, k := range n {
		if k >= opts.MinCount && !(opts.TextOnly && ruleFeature(f)) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// encode maps each example's features to sorted indices into vocab.
func encode(ex []Example, vocab []string) [][]int32 {
	idx := make(map[string]int32, len(vocab))
	for i, f := range vocab {
		idx[f] = int32(i)
	}
	X := make([][]int32, len(ex))
	for i, e := range ex {
		for _, f := range e.Feats {
			if j, ok := idx[f]; ok {
				X[i] = append(X[i], j)
			}
		}
		slices.Sort(X[i])
		X[i] = slices.Compact(X[i])
	}
	return X
}

func hasFeat(fs []string, f string) bool {
	_, ok := slices.BinarySearch(fs, f)
	return ok
}

func dot(b float64, w []float64, x []int32) float64 {
	for _, j := range x {
		b += w[j]
	}
	return b
}

// Folds assigns each example to one of k folds so that the examples of a
// document stay together: documents are ordered by a hash of their name
// and each goes to the fold with the fewest examples so far. Examples
// without a document are their own document. The assignment depends only
// on the documents and their sizes.
func Folds(ex []Example, k int) []int {
	size := map[string]int{}
	var docs []string
	key := func(i int) string {
		if ex[i].Doc == "" {
			return "\x00" + ex[i].ID + fmt.Sprint(i)
		}
		return ex[i].Doc
	}
	for i := range ex {
		d := key(i)
		if size[d] == 0 {
			docs = append(docs, d)
		}
		size[d]++
	}
	h := func(s string) uint64 {
		f := fnv.New64a()
		f.Write([]byte(s))
		return f.Sum64()
	}
	slices.SortFunc(docs, func(a, b string) int {
		if size[a] != size[b] {
			return size[b] - size[a] // large documents first, for balance
		}
		ha, hb := h(a), h(b)
		switch {
		case ha < hb:
			return -1
		case ha > hb:
			return 1
		}
		return strings.Compare(a, b)
	})
	fill := make([]int, k)
	fold := map[string]int{}
	for _, d := range docs {
		best := 0
		for f := 1; f < k; f++ {
			if fill[f] < fill[best] {
				best = f
			}
		}
		fold[d] = best
		fill[best] += size[d]
	}
	out := make([]int, len(ex))
	for i := range ex {
		out[i] = fold[key(i)]
	}
	return out
}

// fitLogistic fits a logistic regression with an L2 penalty pen[j] on
// weight j (the bias is not penalised) by L-BFGS from zero:
// deterministic.
func fitLogistic(X [][]int32, y []bool, pen []float64) (float64, []float64) {
	nf := len(pen)
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	w := make([]float64, nf)
	if pos == 0 || pos == len(y) {
		// One class only: the bias alone says it (smoothed).
		p := (float64(pos) + 0.5) / (float64(len(y)) + 1)
		return math.Log(p / (1 - p)), w
	}
	p := optimize.Problem{
		Func: func(x []float64) float64 {
			f, _ := logLoss(x, X, y, pen, nil)
			return f
		},
		Grad: func(g, x []float64) {
			logLoss(x, X, y, pen, g)
		},
	}
	init := make([]float64, nf+1)
	res, _ := optimize.Minimize(p, init, &optimize.Settings{
		GradientThreshold: 1e-6,
		MajorIterations:   500,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-9, Iterations: 20},
	}, &optimize.LBFGS{})
	x := init
	if res != nil { // err may say the line search stalled: res holds the best point
		x = res.X
	}
	copy(w, x[1:])
	return x[0], w
}

// logLoss returns the penalised negative log-likelihood at x (x[0] the
// bias, x[1:] the weights) and, if g is not nil, writes its gradient to g.
func logLoss(x []float64, X [][]int32, y []bool, pen []float64, g []float64) (float64, []float64) {
	b, w := x[0], x[1:]
	f := 0.0
	if g != nil {
		clear(g)
	}
	for i, xi := range X {
		z := dot(b, w, xi)
		var t float64
		if y[i] {
			t = 1
		}
		// log(1+e^z) - t z, computed stably.
		if z > 0 {
			f += z + math.Log1p(math.Exp(-z)) - t*z
		} else {
			f += math.Log1p(math.Exp(z)) - t*z
		}
		if g != nil {
			d := sigmoid(z) - t
			g[0] += d
			for _, j := range xi {
				g[1+j] += d
			}
		}
	}
	for j, v := range w {
		f += 0.5 * pen[j] * v * v
		if g != nil {
			g[1+j] += pen[j] * v
		}
	}
	return f, g
}

// platt fits P(y) = σ(a z + b) to held-out scores z by Newton's method,
// with Platt's smoothed targets, so that a code seen a few times does not
// get probabilities of 0 or 1.
func platt(z []float64, y []bool) (float64, float64) {
	var np, nn float64
	for _, v := range y {
		if v {
			np++
		} else {
			nn++
		}
	}
	if np == 0 || nn == 0 {
		return 1, 0
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	a, b := 1.0, 0.0
	for it := 0; it < 100; it++ {
		var ga, gb, haa, hab, hbb float64
		for i, zi := range z {
			t := lo
			if y[i] {
				t = hi
			}
			p := sigmoid(a*zi + b)
			d := p - t
			ga += d * zi
			gb += d
			s := math.Max(p*(1-p), 1e-12)
			haa += s * zi * zi
			hab += s * zi
			hbb += s
		}
		haa += 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a, b = a-da, b-db
		if math.Abs(da) < 1e-10 && math.Abs(db) < 1e-10 {
			break
		}
	}
	return a, b
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func roundAll(w []float64) []float64 {
	for i, v := range w {
		w[i] = round6(v)
	}
	return w
}
