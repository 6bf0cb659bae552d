package pipeline

import (
	"context"
	"slices"
	"strings"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// A CoderAgreement is how far two coders agree on the passages both coded:
// the numbers 'peermap eval -coders' prints for their 'code export -format
// jsonl' files (passages matched by text, as there), and every common
// passage where their codes or labels differ.
type CoderAgreement struct {
	A, B string
	*annotate.AgreementResult
	Disagreements []Disagreement `json:"disagreements"`
}

// A Disagreement is a passage both coders coded, differently.
type Disagreement struct {
	Passage corpus.PassageID `json:"passage"`         // the passage A coded
	Other   corpus.PassageID `json:"other,omitempty"` // the passage B coded, when another one with the same text
	Text    string           `json:"text"`
	Codes   Diff             `json:"codes"`
	Labels  Diff             `json:"labels"` // label families; "neg:" marks a negated mention
}

// A Diff splits two coders' sets: what both gave, what only one did.
type Diff struct {
	Both  []string `json:"both"`
	OnlyA []string `json:"only_a"`
	OnlyB []string `json:"only_b"`
}

// Same reports whether both coders gave the same set.
func (d Diff) Same() bool { return len(d.OnlyA) == 0 && len(d.OnlyB) == 0 }

func diff(a, b []string) Diff {
	var d Diff
	for _, x := range a {
		if slices.Contains(b, x) {
			d.Both = append(d.Both, x)
		} else {
			d.OnlyA = append(d.OnlyA, x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			d.OnlyB = append(d.OnlyB, x)
		}
	}
	return d
}

// CoderAgreement compares coder a's hand codes with coder b's.
func (w *Workspace) CoderAgreement(ctx context.Context, a, b string) (*CoderAgreement, error) {
	ra, err := w.HumanCodes(a)
	if err != nil {
		return nil, err
	}
	rb, err := w.HumanCodes(b)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// What ReadGold makes of an exported row: no id (the export writes
	// "passage"), so annotate.Agreement matches rows by text.
	gold := func(rows []annotate.HumanCode) []annotate.Gold {
		var out []annotate.Gold
		for _, r := range rows {
			if r.Text != "" {
				out = append(out, annotate.Gold{Text: r.Text, Codes: r.Codes, Labels: r.Labels})
			}
		}
		return out
	}
	res := &CoderAgreement{A: a, B: b, AgreementResult: annotate.Agreement(gold(ra), gold(rb))}
	// The same pairing as annotate.Agreement: the last row of b with a text,
	// each text paired once, in a's order.
	byText := map[string]annotate.HumanCode{}
	for _, r := range rb {
		if r.Text != "" {
			byText[r.Text] = r
		}
	}
	seen := map[string]bool{}
	for _, r := range ra {
		o, ok := byText[r.Text]
		if r.Text == "" || !ok || seen[r.Text] {
			continue
		}
		seen[r.Text] = true
		d := Disagreement{Passage: r.Passage, Text: r.Text, Codes: diff(r.Codes, o.Codes), Labels: diff(scored(r.Labels), scored(o.Labels))}
		if d.Codes.Same() && d.Labels.Same() {
			continue
		}
		if o.Passage != r.Passage {
			d.Other = o.Passage
		}
		res.Disagreements = append(res.Disagreements, d)
	}
	return res, nil
}

// scored drops "other:" labels, which agreement does not score.
func scored(ls []string) []string {
	return slices.DeleteFunc(slices.Clone(ls), func(l string) bool { return strings.HasPrefix(l, "other:") })
}

// Coders returns every coder with hand codes in the store (adjudicated
// codes under Consensus included), sorted, with how many passages each coded.
func (w *Workspace) Coders() ([]string, map[string]int, error) {
	coded, err := w.store.Coded("")
	if err != nil {
		return nil, nil, err
	}
	n := map[string]int{}
	var names []string
	for _, c := range coded {
		if n[c.Coder] == 0 {
			names = append(names, c.Coder)
		}
		n[c.Coder]++
	}
	slices.Sort(names)
	return names, n, nil
}
