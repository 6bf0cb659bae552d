package annotate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/peermap/peermap/corpus"
)

// A Gold is one hand-coded passage of a gold file (JSONL, one object a
// line, as in CODEBOOK.md). Labels are label families; "other:<term>"
// names a peer term outside the lexicon (not scored) and "neg:<family>" a
// negated mention.
type Gold struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Doc    string   `json:"doc,omitempty"`
	Lang   string   `json:"lang,omitempty"`
	Labels []string `json:"labels"`
	Codes  []string `json:"codes"`
	IsPeer bool     `json:"is_peer"`
	// Links maps each code to the label families it describes in the
	// passage ([] for none in particular); absent when not coded.
	Links map[string][]string `json:"links,omitempty"`
	Note  string              `json:"note,omitempty"`
}

// ReadGold reads a gold file. Blank lines are skipped; a line that is not
// a JSON object with a text is an error naming the line.
func ReadGold(r io.Reader) ([]Gold, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []Gold
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var g Gold
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			return nil, fmt.Errorf("read gold: line %d: %w", n, err)
		}
		if g.Text == "" {
			return nil, fmt.Errorf("read gold: line %d: no text", n)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gold: %w", err)
	}
	return out, nil
}

// A Score is precision, recall and F1 of one set of decisions. Support is
// the number of gold positives.
type Score struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Support   int     `json:"support"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func (s *Score) finish() {
	s.Support = s.TP + s.FN
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

func (s *Score) add(o Score) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

// A NamedScore is the score of one code, dimension or label family.
type NamedScore struct {
	Name string `json:"name"`
	Score
	Kappa float64 `json:"kappa,omitempty"` // for dimensions
}

// A Miss is one passage where the tagger and the gold disagree.
type Miss struct {
	ID     string   `json:"id"`
	FP, FN []string `json:"-"`
}

// An EvalResult is an annotator's score against a gold file.
//
// Codes are scored per passage as sets (a code is present or not).
// MicroF1 pools the decisions of every code; MacroF1 is the mean F1 of the
// codes that the gold or the annotator uses at least once. Labels are
// scored as sets of families per passage ("other:" entries are ignored,
// negated mentions count as "neg:<family>"). Kappa is Cohen's kappa per
// dimension, pooled: every (passage, code of the dimension) pair is one
// binary decision, present or absent, for the gold and for the annotator.
//
// IsPeer scores the passages judged to speak about peers (an AnnPeer
// annotation) against the gold is_peer. Link scores the label families a
// code describes, for the codes that both the gold and the annotator give:
// each (code, family) pair is one decision. The gold's links are its
// "links" where it has them; a gold passage without links but naming
// exactly one family (not negated) links each of its codes to it, one
// naming none links them to none, and one naming several is not scored.
// Calibration bins the confidences of the annotator's codes (observed
// precision against mean confidence).
type EvalResult struct {
	Gold        string             `json:"gold,omitempty"`
	Annotator   string             `json:"annotator,omitempty"`
	N           int                `json:"n"`
	Codebook    string             `json:"codebook"`
	MicroF1     float64            `json:"micro_f1"`
	MacroF1     float64            `json:"macro_f1"`
	LabelF1     float64            `json:"label_f1"`
	LinkF1      float64            `json:"link_f1"`
	IsPeerF1    float64            `json:"is_peer_f1"`
	Kappa       map[string]float64 `json:"kappa"`
	Micro       Score              `json:"micro"`
	Label       Score              `json:"label"`
	Link        Score              `json:"link"`
	IsPeer      Score              `json:"is_peer"`
	Codes       []NamedScore       `json:"codes"`
	Dimensions  []NamedScore       `json:"dimensions"`
	Families    []NamedScore       `json:"families"`
	Calibration []Bin              `json:"calibration"`
	// Layers compares the rules alone, the model without rule features
	// and the model with them (combined), when computed (EvaluateLayers).
	Layers []Layer `json:"layers,omitempty"`
	// CV is the same comparison by grouped cross-validation on the gold
	// file itself, when asked for (CrossValidate).
	CV *CVResult `json:"cv,omitempty"`
	// Curve is the learning curve, when asked for (LearningCurve).
	Curve  []CurvePoint `json:"learning_curve,omitempty"`
	Misses []Miss       `json:"-"`
}

// A Bin is one row of a reliability table: the codes given with a
// confidence in [Lo, Hi), their mean confidence and observed precision.
type Bin struct {
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	N          int     `json:"n"`
	Confidence float64 `json:"confidence"`
	Precision  float64 `json:"precision"`
}

// A prediction is what an annotator said of one gold passage.
type prediction struct {
	codes  []string // sorted, not negated
	labels []string // families, "neg:" for negated mentions
	peer   bool
	conf   map[string]float64  // per code
	links  map[string][]string // per code: families
}

func predictionOf(anns []corpus.Annotation) prediction {
	pr := prediction{conf: map[string]float64{}, links: map[string][]string{}}
	for _, a := range anns {
		switch {
		case a.Type == corpus.AnnCode && !a.Negated:
			pr.codes = append(pr.codes, a.Code)
			pr.conf[a.Code] = a.Confidence
			pr.links[a.Code] = set(a.Links)
		case a.Type == corpus.AnnPeer:
			pr.peer = true
		case a.Type == corpus.AnnLabel && a.Negated:
			pr.labels = append(pr.labels, "neg:"+a.Family)
		case a.Type == corpus.AnnLabel:
			pr.labels = append(pr.labels, a.Family)
		}
	}
	pr.codes = set(pr.codes)
	pr.labels = set(pr.labels)
	return pr
}

// predict tags each gold text alone with t.
func predict(t *Tagger, gold []Gold) []prediction {
	out := make([]prediction, len(gold))
	for i, g := range gold {
		out[i] = predictionOf(t.TagText(g.Text, g.Lang))
	}
	return out
}

// Evaluate tags each gold text with t and scores the result.
func Evaluate(t *Tagger, gold []Gold) *EvalResult {
	res := score(t.cb, gold, predict(t, gold))
	res.Annotator = t.Annotator()
	return res
}

// goldLinks returns the gold links of g (see EvalResult), and false when
// they are unknown.
func goldLinks(g Gold) (map[string][]string, bool) {
	if g.Links != nil {
		out := map[string][]string{}
		for c, fs := range g.Links {
			out[c] = set(fs)
		}
		return out, true
	}
	var fams []string
	for _, l := range g.Labels {
		if !strings.HasPrefix(l, "other:") && !strings.HasPrefix(l, "neg:") {
			fams = append(fams, l)
		}
	}
	fams = set(fams)
	if len(fams) > 1 {
		return nil, false
	}
	out := map[string][]string{}
	for _, c := range g.Codes {
		out[c] = fams
	}
	return out, true
}

// score scores predictions against the gold.
func score(cb *Codebook, gold []Gold, preds []prediction) *EvalResult {
	res := &EvalResult{N: len(gold), Codebook: cb.Version(), Kappa: map[string]float64{}}
	var codes, dims []string
	for _, d := range cb.Dimensions {
		dims = append(dims, d.ID)
		for _, c := range d.Categories {
			codes = append(codes, c.ID)
		}
	}
	var fams []string
	for _, f := range cb.Families {
		fams = append(fams, f.Family)
	}
	byCode := map[string]*Score{}
	byFam := map[string]*Score{}
	for _, c := range codes {
		byCode[c] = &Score{}
	}
	for _, f := range fams {
		byFam[f] = &Score{}
	}
	bins := make([]struct {
		n, tp int
		conf  float64
	}, 10)
	for i, g := range gold {
		pr := preds[i]
		var goldL []string
		for _, l := range g.Labels {
			if !strings.HasPrefix(l, "other:") {
				goldL = append(goldL, l)
			}
		}
		tally2(&res.IsPeer, g.IsPeer, pr.peer)
		gcodes := set(g.Codes)
		miss := Miss{ID: g.ID}
		cmpSets(gcodes, pr.codes, func(item string, inGold, inPred bool) {
			s := byCode[item]
			if s == nil {
				s = &Score{}
				byCode[item] = s
				codes = append(codes, item)
			}
			tally(s, inGold, inPred)
			if inPred {
				c := pr.conf[item]
				b := min(int(c*10), 9)
				bins[b].n++
				bins[b].conf += c
				if inGold {
					bins[b].tp++
				}
			}
			if inGold != inPred {
				if inPred {
					miss.FP = append(miss.FP, item)
				} else {
					miss.FN = append(miss.FN, item)
				}
			}
		})
		if gl, ok := goldLinks(g); ok {
			for _, c := range pr.codes {
				gf, inGold := gl[c]
				if !inGold {
					continue
				}
				cmpSets(gf, pr.links[c], func(item string, inGold, inPred bool) {
					tally(&res.Link, inGold, inPred)
					if inGold != inPred {
						if inPred {
							miss.FP = append(miss.FP, "link:"+c+">"+item)
						} else {
							miss.FN = append(miss.FN, "link:"+c+">"+item)
						}
					}
				})
			}
		}
		cmpSets(set(goldL), pr.labels, func(item string, inGold, inPred bool) {
			fam := strings.TrimPrefix(item, "neg:")
			s := byFam[fam]
			if s == nil {
				s = &Score{}
				byFam[fam] = s
				fams = append(fams, fam)
			}
			tally(s, inGold, inPred)
			if inGold != inPred {
				if inPred {
					miss.FP = append(miss.FP, "label:"+item)
				} else {
					miss.FN = append(miss.FN, "label:"+item)
				}
			}
		})
		if len(miss.FP)+len(miss.FN) > 0 {
			res.Misses = append(res.Misses, miss)
		}
	}
	// Kappa per dimension, pooled over (passage, code) decisions.
	kt := map[string]*table2{}
	macro, nMacro := 0.0, 0
	dimScore := map[string]*Score{}
	for _, c := range codes {
		s := byCode[c]
		s.finish()
		res.Codes = append(res.Codes, NamedScore{Name: c, Score: *s})
		res.Micro.add(*s)
		d := corpus.Dimension(c)
		if dimScore[d] == nil {
			dimScore[d] = &Score{}
		}
		dimScore[d].add(*s)
		if kt[d] == nil {
			kt[d] = &table2{}
		}
		// For presence decisions, TN = passages - TP - FP - FN.
		kt[d].add(s.TP, s.FP, s.FN, len(gold)-s.TP-s.FP-s.FN)
		if s.TP+s.FP+s.FN > 0 {
			macro += s.F1
			nMacro++
		}
	}
	res.Micro.finish()
	res.MicroF1 = res.Micro.F1
	if nMacro > 0 {
		res.MacroF1 = macro / float64(nMacro)
	}
	for _, d := range dims {
		s := dimScore[d]
		if s == nil {
			s = &Score{}
		}
		s.finish()
		k := kt[d].kappa()
		res.Kappa[d] = k
		res.Dimensions = append(res.Dimensions, NamedScore{Name: d, Score: *s, Kappa: k})
	}
	for _, f := range fams {
		s := byFam[f]
		s.finish()
		res.Families = append(res.Families, NamedScore{Name: f, Score: *s})
		res.Label.add(*s)
	}
	res.Label.finish()
	res.LabelF1 = res.Label.F1
	res.Link.finish()
	res.LinkF1 = res.Link.F1
	res.IsPeer.finish()
	res.IsPeerF1 = res.IsPeer.F1
	for i, b := range bins {
		if b.n == 0 {
			continue
		}
		res.Calibration = append(res.Calibration, Bin{
			Lo: float64(i) / 10, Hi: float64(i+1) / 10, N: b.n,
			Confidence: round3(b.conf / float64(b.n)), Precision: round3(float64(b.tp) / float64(b.n)),
		})
	}
	return res
}

// tally2 counts one binary decision (true is the positive class).
func tally2(s *Score, inGold, inPred bool) {
	if inGold || inPred {
		tally(s, inGold, inPred)
	}
}

func set(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// cmpSets calls f for every item of the union of two sorted sets.
func cmpSets(gold, pred []string, f func(item string, inGold, inPred bool)) {
	i, j := 0, 0
	for i < len(gold) || j < len(pred) {
		switch {
		case j >= len(pred) || i < len(gold) && gold[i] < pred[j]:
			f(gold[i], true, false)
			i++
		case i >= len(gold) || pred[j] < gold[i]:
			f(pred[j], false, true)
			j++
		default:
			f(gold[i], true, true)
			i++
			j++
		}
	}
}

func tally(s *Score, inGold, inPred bool) {
	switch {
	case inGold && inPred:
		s.TP++
	case inPred:
		s.FP++
	default:
		s.FN++
	}
}

// table2 is a 2×2 table of binary decisions by two raters: both yes, only
// the first (a) yes, only the second (b) yes, both no.
type table2 struct{ yy, yn, ny, nn int }

// add takes TP (both), FP (only the tagger, b), FN (only the gold, a), TN.
func (t *table2) add(tp, fp, fn, tn int) {
	t.yy += tp
	t.ny += fp
	t.yn += fn
	t.nn += tn
}

// kappa returns Cohen's kappa. When chance agreement is total (both raters
// always say the same single value) kappa is undefined; it returns 1 if
// the raters agree on every decision and 0 otherwise.
func (t *table2) kappa() float64 {
	if t == nil {
		return 0
	}
	n := float64(t.yy + t.yn + t.ny + t.nn)
	if n == 0 {
		return 0
	}
	po := float64(t.yy+t.nn) / n
	pa := float64(t.yy+t.yn) / n // first rater yes
	pb := float64(t.yy+t.ny) / n // second rater yes
	pe := pa*pb + (1-pa)*(1-pb)
	if pe >= 1 {
		if po == 1 {
			return 1
		}
		return 0
	}
	return (po - pe) / (1 - pe)
}

// alpha returns Krippendorff's alpha for two coders, nominal data, no
// missing values: 1 − (n−1)·D / (n₀·n₁), with n = 2·units values, D the
// units the coders disagree on and n₀, n₁ the counts of each value. It is
// undefined when every value is the same; it returns 1 then if the coders
// agree everywhere, and 0 otherwise.
func (t *table2) alpha() float64 {
	if t == nil {
		return 0
	}
	units := t.yy + t.yn + t.ny + t.nn
	n := float64(2 * units)
	if units == 0 {
		return 0
	}
	d := float64(t.yn + t.ny)
	n1 := float64(2*t.yy + t.yn + t.ny)
	n0 := n - n1
	if n0 == 0 || n1 == 0 {
		if d == 0 {
			return 1
		}
		return 0
	}
	return 1 - (n-1)*d/(n0*n1)
}

// Summary returns the figures the report's method note shows.
func (r *EvalResult) Summary() corpus.Eval {
	k := make(map[string]float64, len(r.Kappa))
	for d, v := range r.Kappa {
		k[d] = v
	}
	return corpus.Eval{Gold: r.Gold, N: r.N, MicroF1: r.MicroF1, MacroF1: r.MacroF1, LabelF1: r.LabelF1, Kappa: k}
}

// WriteText writes the result as tables: codes, dimensions, label
// families, then the summary line.
func (r *EvalResult) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	row := func(name string, s Score, extra string) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%s\t\n", name, s.Support, s.TP, s.FP, s.FN, s.Precision, s.Recall, s.F1, extra)
	}
	fmt.Fprintf(tw, "code\tsupport\ttp\tfp\tfn\tP\tR\tF1\t\t\n")
	for _, c := range r.Codes {
		row(c.Name, c.Score, "")
	}
	row("micro", r.Micro, "")
	fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t\t\n")
	fmt.Fprintf(tw, "dimension\tsupport\ttp\tfp\tfn\tP\tR\tF1\tkappa\t\n")
	for _, d := range r.Dimensions {
		row(d.Name, d.Score, fmt.Sprintf("%.3f", d.Kappa))
	}
	fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t\t\n")
	fmt.Fprintf(tw, "label family\tsupport\ttp\tfp\tfn\tP\tR\tF1\t\t\n")
	for _, f := range r.Families {
		row(f.Name, f.Score, "")
	}
	row("labels", r.Label, "")
	fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t\t\n")
	fmt.Fprintf(tw, "decision\tsupport\ttp\tfp\tfn\tP\tR\tF1\t\t\n")
	row("is_peer", r.IsPeer, "")
	row("links", r.Link, "")
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write eval: %w", err)
	}
	writeBins(w, "calibration of "+r.Annotator, r.Calibration)
	writeLayers(w, "layers on "+r.Gold, r.Layers)
	if r.CV != nil {
		writeLayers(w, fmt.Sprintf("grouped %d-fold cross-validation on %s (each fold annotated by models trained on the other folds only)", r.CV.Folds, r.Gold), r.CV.Layers)
		writeBins(w, "calibration of the combined layer in cross-validation", r.CV.Calibration)
	}
	if len(r.Curve) > 0 {
		fmt.Fprintf(w, "\nlearning curve on %s (combined layer; per fold, the shipped training set plus n hand-coded passages of the other folds):\n", r.Gold)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "n\tadded per fold\tmicro-F1\tP\tR\tmacro-F1\t\n")
		for _, c := range r.Curve {
			fmt.Fprintf(tw, "%d\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", c.Added, c.Mean, c.MicroF1, c.Precision, c.Recall, c.MacroF1)
		}
		tw.Flush()
	}
	_, err := fmt.Fprintf(w, "\n%d passages, codebook %s, %s: micro-F1 %.3f (P %.3f, R %.3f), macro-F1 %.3f, label-F1 %.3f, link-F1 %.3f, is_peer-F1 %.3f\n",
		r.N, r.Codebook, r.Annotator, r.MicroF1, r.Micro.Precision, r.Micro.Recall, r.MacroF1, r.LabelF1, r.LinkF1, r.IsPeerF1)
	if err != nil {
		return fmt.Errorf("write eval: %w", err)
	}
	return nil
}

func writeBins(w io.Writer, title string, bins []Bin) {
	if len(bins) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s (codes given, by confidence):\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "confidence\tcodes\tmean confidence\tprecision\t\n")
	for _, b := range bins {
		fmt.Fprintf(tw, "%.1f-%.1f\t%d\t%.3f\t%.3f\t\n", b.Lo, b.Hi, b.N, b.Confidence, b.Precision)
	}
	tw.Flush()
}

func writeLayers(w io.Writer, title string, ls []Layer) {
	if len(ls) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "layer\tmicro-F1\tP\tR\tmacro-F1\tlabel-F1\tlink-F1\tis_peer-F1\t\n")
	for _, l := range ls {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", l.Name, l.MicroF1, l.Precision, l.Recall, l.MacroF1, l.LabelF1, l.LinkF1, l.IsPeerF1)
	}
	tw.Flush()
}

// WriteMisses writes one line per passage where the tagger and the gold
// disagree: "id  +false positives  -false negatives".
func (r *EvalResult) WriteMisses(w io.Writer) error {
	for _, m := range r.Misses {
		var b strings.Builder
		b.WriteString(m.ID)
		for _, x := range m.FP {
			b.WriteString(" +" + x)
		}
		for _, x := range m.FN {
			b.WriteString(" -" + x)
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return fmt.Errorf("write misses: %w", err)
		}
	}
	return nil
}
