package annotate

import (
	"os"
	"testing"
)

func TestQuickEval(t *testing.T) {
	f, err := os.Open("../../shared/gold/dev.jsonl")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	g, err := ReadGold(f)
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := New(Default(), Options{})
	r := Evaluate(tg, g)
	r.WriteText(os.Stdout)
	if os.Getenv("MISSES") != "" {
		r.WriteMisses(os.Stdout)
	}
}

func TestQuickDiag(t *testing.T) {
	f, err := os.Open("../../shared/gold/dev.jsonl")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	g, _ := ReadGold(f)
	tg, _ := New(Default(), Options{})
	cnt := map[string][2]int{}
	for _, x := range g {
		gs := map[string]bool{}
		for _, c := range x.Codes {
			gs[c] = true
		}
		for _, a := range tg.TagText(x.Text, x.Lang) {
			if a.Type != "code" || a.Negated {
				continue
			}
			for _, sp := range a.Spans {
				k := a.Code + " | " + x.Text[sp.Start:sp.End]
				v := cnt[k]
				if gs[a.Code] {
					v[0]++
				} else {
					v[1]++
				}
				cnt[k] = v
			}
		}
	}
	for k, v := range cnt {
		if v[1] > 0 {
			t.Logf("%d/%d %s", v[0], v[1], k)
		}
	}
}
