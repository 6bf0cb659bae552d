package annotate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// goldPath returns path under the shared gold directory, or skips.
func goldPath(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "gold", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("gold file %s absent: %v", p, err)
	}
	return p
}

func readGold(t testing.TB, name string) []annotate.Gold {
	t.Helper()
	f, err := os.Open(goldPath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := annotate.ReadGold(f)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestEvaluateDev is the acceptance test of the rules on the dev gold file.
func TestEvaluateDev(t *testing.T) {
	gold := readGold(t, "dev.jsonl")
	tg := tagger(t)
	res := annotate.Evaluate(tg, gold)
	var buf bytes.Buffer
	if err := res.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", buf.String())
	if testing.Verbose() {
		buf.Reset()
		if err := res.WriteMisses(&buf); err != nil {
			t.Fatal(err)
		}
		t.Logf("passages where the rules and the gold differ:\n%s", buf.String())
	}
	if res.N != len(gold) {
		t.Errorf("N = %d, want %d", res.N, len(gold))
	}
	if res.LabelF1 < 0.95 {
		t.Errorf("label-family F1 = %.3f, want ≥ 0.95", res.LabelF1)
	}
	if res.MicroF1 < 0.70 {
		t.Errorf("micro-F1 over codes = %.3f, want ≥ 0.70", res.MicroF1)
	}
	for _, d := range corpus.Dimensions {
		if _, ok := res.Kappa[d]; !ok {
			t.Errorf("no kappa for dimension %s", d)
		}
	}
	// JSON has the fields the CLI promises.
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"micro_f1", "macro_f1", "label_f1", "link_f1", "is_peer_f1", "kappa", "calibration"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b[:200])
		}
	}
	if mi, ok := m["micro"].(map[string]any); !ok || mi["precision"] == nil || mi["recall"] == nil {
		t.Errorf("JSON lacks micro precision and recall: %v", m["micro"])
	}
	if s := res.Summary(); s.MicroF1 != res.MicroF1 || s.LabelF1 != res.LabelF1 || len(s.Kappa) != 6 {
		t.Errorf("Summary() = %+v, want the result's figures", s)
	}
}

// TestHardNegativesDev checks that no dev passage holding a hard negative
// gets a label the gold does not give it.
func TestHardNegativesDev(t *testing.T) {
	tg := tagger(t)
	n := 0
	for _, name := range []string{"dev.jsonl", "dev-passages.jsonl", "dev-passages-tei.jsonl"} {
		p := filepath.Join("..", "..", "shared", "gold", name)
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			var g struct {
				ID, Text string
				Labels   []string
			}
			if json.Unmarshal([]byte(line), &g) != nil {
				continue
			}
			low := strings.ToLower(g.Text)
			if !strings.Contains(low, "peer review") && !strings.Contains(low, "peer-review") && !strings.Contains(low, "peer-to-peer") {
				continue
			}
			n++
			for _, a := range tg.TagText(g.Text, "") {
				if a.Type != corpus.AnnLabel {
					continue
				}
				span := g.Text[a.Spans[0].Start:a.Spans[0].End]
				if strings.Contains(strings.ToLower(span), "review") || strings.Contains(strings.ToLower(span), "to-peer") {
					t.Errorf("%s: hard negative counted as label %q (%s)", g.ID, span, a.Family)
				}
			}
		}
	}
	if n == 0 {
		t.Skip("no gold passage with a hard negative")
	}
}

func TestReadGoldErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bad json", "{\"id\":\"a\",\"text\":\"x\"}\n{oops\n", "line 2"},
		{"no text", "\n{\"id\":\"a\"}\n", "line 2: no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := annotate.ReadGold(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadGold(%q) = %v, want an error containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestEvaluateSmall(t *testing.T) {
	gold := []annotate.Gold{
		{ID: "1", Text: "Peer navigators made home visits.", Labels: []string{"peer navigator"}, Codes: []string{"role.outreach"}},
		{ID: "2", Text: "No peer navigator was involved.", Labels: []string{"neg:peer navigator", "other:peer buddy"}},
		{ID: "3", Text: "CHWs were paid.", Labels: []string{"community health worker"}, Codes: []string{"pathway.status", "pathway.training"}},
	}
	res := annotate.Evaluate(tagger(t), gold)
	if res.LabelF1 != 1 {
		t.Errorf("LabelF1 = %v, want 1 (other: ignored, neg: scored)", res.LabelF1)
	}
	var tr annotate.NamedScore
	for _, c := range res.Codes {
		if c.Name == "pathway.training" {
			tr = c
		}
	}
	if tr.FN != 1 || tr.Support != 1 || tr.Recall != 0 {
		t.Errorf("pathway.training = %+v, want one false negative", tr)
	}
	if res.Micro.TP < 2 || res.Micro.FN < 1 {
		t.Errorf("micro = %+v, want ≥2 TP and ≥1 FN", res.Micro)
	}
}

func TestAgreement(t *testing.T) {
	// 50 passages: code X given by both 20 times, only by A 5 times, only
	// by B 10 times, by neither 15 times. po = .7, pe = .5: kappa = .4;
	// alpha = 1 − 99·15/(45·55) = .4.
	var a, b []annotate.Gold
	for i := range 50 {
		ga := annotate.Gold{ID: fmt.Sprint(i), Text: "t"}
		gb := ga
		switch {
		case i < 20:
			ga.Codes, gb.Codes = []string{"role.x"}, []string{"role.x"}
		case i < 25:
			ga.Codes = []string{"role.x"}
		case i < 35:
			gb.Codes = []string{"role.x"}
		}
		a, b = append(a, ga), append(b, gb)
	}
	b = append(b, annotate.Gold{ID: "extra", Text: "t"})
	r := annotate.Agreement(a, b)
	if r.N != 50 || r.OnlyB != 1 || r.OnlyA != 0 {
		t.Errorf("matched %d, only A %d, only B %d; want 50, 0, 1", r.N, r.OnlyA, r.OnlyB)
	}
	if len(r.Codes) != 1 || math.Abs(r.Codes[0].Kappa-0.4) > 1e-9 || math.Abs(r.Codes[0].Alpha-0.4) > 1e-9 {
		t.Errorf("Agreement codes = %+v, want kappa .4 and alpha .4", r.Codes)
	}
	if len(r.Dimensions) != 1 || r.Dimensions[0].Name != "role" || math.Abs(r.Dimensions[0].Kappa-0.4) > 1e-9 {
		t.Errorf("Agreement dimensions = %+v, want role with kappa .4", r.Dimensions)
	}
	// Perfect agreement without variance is reported as 1.
	same := annotate.Agreement(a[:20], a[:20])
	if same.Codes[0].Kappa != 1 || same.Codes[0].Alpha != 1 {
		t.Errorf("self-agreement = %+v, want 1 and 1", same.Codes[0])
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "role.x") {
		t.Errorf("WriteText = %v, %q", err, buf.String())
	}
}

func TestAgreementMatchesByText(t *testing.T) {
	a := []annotate.Gold{{Text: "same text", Codes: []string{"role.navigation"}}}
	b := []annotate.Gold{{Text: "same text", Codes: []string{"role.navigation"}}}
	if r := annotate.Agreement(a, b); r.N != 1 || r.Codes[0].Both != 1 {
		t.Errorf("Agreement by text = %+v, want one matched passage", r)
	}
}
