package annotate

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/peermap/peermap/corpus"
)

// An AgreementResult is how far two coders agree on the same passages.
type AgreementResult struct {
	N          int             `json:"n"`          // passages coded by both
	OnlyA      int             `json:"only_a"`     // passages only in the first file
	OnlyB      int             `json:"only_b"`     // passages only in the second file
	Codes      []CodeAgreement `json:"codes"`      // per code presence
	Dimensions []CodeAgreement `json:"dimensions"` // pooled per dimension
	Labels     CodeAgreement   `json:"labels"`     // pooled over label families
	Kappa      float64         `json:"kappa"`      // pooled over every code
	Alpha      float64         `json:"alpha"`      // pooled over every code
}

// A CodeAgreement is Cohen's kappa and Krippendorff's alpha (nominal) for
// the presence of one code, or pooled over the codes of a dimension: every
// (passage, code) pair is one binary unit.
type CodeAgreement struct {
	Name  string  `json:"name"`
	Both  int     `json:"both"`   // both coders gave it
	OnlyA int     `json:"only_a"` // only the first coder
	OnlyB int     `json:"only_b"` // only the second coder
	Kappa float64 `json:"kappa"`
	Alpha float64 `json:"alpha"`
}

// Agreement compares two coders' gold files. Passages are matched by ID,
// or by text when an ID is empty. The codes compared are those either
// coder used; "other:" labels are ignored.
func Agreement(a, b []Gold) *AgreementResult {
	key := func(g Gold) string {
		if g.ID != "" {
			return "id:" + g.ID
		}
		return "text:" + g.Text
	}
	bm := map[string]Gold{}
	for _, g := range b {
		bm[key(g)] = g
	}
	res := &AgreementResult{}
	type pair struct{ a, b Gold }
	var pairs []pair
	seen := map[string]bool{}
	for _, g := range a {
		k := key(g)
		if h, ok := bm[k]; ok && !seen[k] {
			pairs = append(pairs, pair{g, h})
			seen[k] = true
		} else if !ok {
			res.OnlyA++
		}
	}
	for _, g := range b {
		if !seen[key(g)] {
			res.OnlyB++
		}
	}
	res.N = len(pairs)
	var codes, fams []string
	for _, p := range pairs {
		codes = append(codes, p.a.Codes...)
		codes = append(codes, p.b.Codes...)
		fams = append(fams, scoredLabels(p.a.Labels)...)
		fams = append(fams, scoredLabels(p.b.Labels)...)
	}
	codes, fams = set(codes), set(fams)
	tables := func(items []string, get func(Gold) []string) map[string]*table2 {
		m := map[string]*table2{}
		for _, it := range items {
			m[it] = &table2{}
		}
		for _, p := range pairs {
			as, bs := set(get(p.a)), set(get(p.b))
			for _, it := range items {
				_, inA := slices.BinarySearch(as, it)
				_, inB := slices.BinarySearch(bs, it)
				t := m[it]
				switch {
				case inA && inB:
					t.yy++
				case inA:
					t.yn++
				case inB:
					t.ny++
				default:
					t.nn++
				}
			}
		}
		return m
	}
	ct := tables(codes, func(g Gold) []string { return g.Codes })
	all := &table2{}
	dims := map[string]*table2{}
	var dimOrder []string
	for _, c := range codes {
		t := ct[c]
		res.Codes = append(res.Codes, agreementOf(c, t))
		d := corpus.Dimension(c)
		if dims[d] == nil {
			dims[d] = &table2{}
			dimOrder = append(dimOrder, d)
		}
		dims[d].merge(t)
		all.merge(t)
	}
	for _, d := range dimOrderOf(dimOrder) {
		res.Dimensions = append(res.Dimensions, agreementOf(d, dims[d]))
	}
	res.Kappa, res.Alpha = all.kappa(), all.alpha()
	lt := tables(fams, func(g Gold) []string { return scoredLabels(g.Labels) })
	labels := &table2{}
	for _, f := range fams {
		labels.merge(lt[f])
	}
	res.Labels = agreementOf("labels", labels)
	return res
}

// dimOrderOf puts the map's dimensions first, in corpus order, then any
// other dimension alphabetically.
func dimOrderOf(ds []string) []string {
	var out []string
	for _, d := range corpus.Dimensions {
		if slices.Contains(ds, d) {
			out = append(out, d)
		}
	}
	var rest []string
	for _, d := range ds {
		if !slices.Contains(corpus.Dimensions, d) {
			rest = append(rest, d)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func scoredLabels(ls []string) []string {
	var out []string
	for _, l := range ls {
		if len(l) < 6 || l[:6] != "other:" {
			out = append(out, l)
		}
	}
	return out
}

func (t *table2) merge(o *table2) {
	t.yy += o.yy
	t.yn += o.yn
	t.ny += o.ny
	t.nn += o.nn
}

func agreementOf(name string, t *table2) CodeAgreement {
	return CodeAgreement{Name: name, Both: t.yy, OnlyA: t.yn, OnlyB: t.ny, Kappa: t.kappa(), Alpha: t.alpha()}
}

// WriteText writes the agreement as a table: dimensions, codes, labels.
func (r *AgreementResult) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	row := func(a CodeAgreement) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t\n", a.Name, a.Both, a.OnlyA, a.OnlyB, a.Kappa, a.Alpha)
	}
	fmt.Fprintf(tw, "dimension\tboth\tonly A\tonly B\tkappa\talpha\t\n")
	for _, d := range r.Dimensions {
		row(d)
	}
	fmt.Fprintf(tw, "\t\t\t\t\t\t\n")
	fmt.Fprintf(tw, "code\tboth\tonly A\tonly B\tkappa\talpha\t\n")
	for _, c := range r.Codes {
		row(c)
	}
	row(r.Labels)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write agreement: %w", err)
	}
	_, err := fmt.Fprintf(w, "\n%d passages in both files (%d only in A, %d only in B): kappa %.3f, alpha %.3f over all codes\n",
		r.N, r.OnlyA, r.OnlyB, r.Kappa, r.Alpha)
	if err != nil {
		return fmt.Errorf("write agreement: %w", err)
	}
	return nil
}
