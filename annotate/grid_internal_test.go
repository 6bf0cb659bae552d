package annotate

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var gridFlag = flag.String("gridcv", "", "TestGridCV: lambdas/mincounts, e.g. 0.5,1,2/2,3: grouped 5-fold CV on train.jsonl per threshold")

// TestGridCV prints grouped 5-fold cross-validation on train.jsonl for a
// grid of training options and thresholds: how DefaultTrainOptions were
// chosen (dev.jsonl plays no part). Each (lambda, min count) trains the
// folds once; thresholds are applied to the same fold models.
func TestGridCV(t *testing.T) {
	if *gridFlag == "" {
		t.Skip("run with -gridcv 0.5,1,2/2,3")
	}
	p := filepath.Join("..", "..", "shared", "gold", "train.jsonl")
	f, err := os.Open(p)
	if err != nil {
		t.Skipf("%v", err)
	}
	gold, err := ReadGold(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	tg, err := New(Default(), Options{Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	var lambdas []float64
	var mins []int
	parts := strings.Split(*gridFlag, "/")
	for _, s := range strings.Split(parts[0], ",") {
		var v float64
		fmt.Sscan(s, &v)
		lambdas = append(lambdas, v)
	}
	for _, s := range strings.Split(parts[1], ",") {
		var v int
		fmt.Sscan(s, &v)
		mins = append(mins, v)
	}
	textOnly := len(parts) > 2 && parts[2] == "text"
	ex := tg.Examples(gold)
	folds := Folds(ex, 5)
	ths := []float64{0.25, 0.3, 0.35, 0.4, 0.45, 0.5}
	for _, l := range lambdas {
		for _, mc := range mins {
			ms := make([]*Model, 5)
			for k := 0; k < 5; k++ {
				var tr []Example
				for i := range ex {
					if folds[i] != k {
						tr = append(tr, ex[i])
					}
				}
				ms[k], err = Train(context.Background(), tg.cb, tr, TrainOptions{Lambda: l, MinCount: mc, TextOnly: textOnly})
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, th := range ths {
				preds := make([]prediction, len(gold))
				for k := 0; k < 5; k++ {
					ms[k].Threshold = th
					ft, _ := tg.WithModel(ms[k])
					for i := range gold {
						if folds[i] == k {
							preds[i] = predictionOf(ft.TagText(gold[i].Text, gold[i].Lang))
						}
					}
				}
				r := score(tg.cb, gold, preds)
				t.Logf("lambda %g min %d th %.2f: micro %.3f P %.3f R %.3f macro %.3f link %.3f peer %.3f", l, mc, th, r.MicroF1, r.Micro.Precision, r.Micro.Recall, r.MacroF1, r.LinkF1, r.IsPeerF1)
			}
		}
	}
}
