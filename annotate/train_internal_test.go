package annotate

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

func TestRuleDecides(t *testing.T) {
	y := []bool{true, true, true, true, false, false, false, false}
	tests := []struct {
		name  string
		probs []float64
		fires []bool
		want  bool
	}{
		{"the model is right, the rules miss", []float64{0.9, 0.8, 0.7, 0.6, 0.1, 0.1, 0.1, 0.1},
			[]bool{true, false, false, false, false, false, false, false}, false},
		{"the model stays at the base rate, the rules are right", []float64{0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1},
			[]bool{true, true, true, false, false, false, false, false}, true},
		{"a tie goes to the model", []float64{0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1},
			[]bool{true, true, true, false, false, false, false, false}, false},
		{"the rules fire everywhere", []float64{0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1},
			[]bool{true, true, true, true, true, true, true, true}, true},
		{"the rules beat the model but are mostly wrong", []float64{0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1},
			[]bool{true, false, false, false, true, true, true, true}, false},
		{"neither finds anything", []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1},
			[]bool{false, false, false, false, false, false, false, false}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleDecides(tt.probs, tt.fires, y, 0.3); got != tt.want {
				t.Errorf("ruleDecides = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIsotonic(t *testing.T) {
	tests := []struct {
		name  string
		xs    []float64
		ys    []bool
		wantX []float64
		wantY []float64
	}{
		{"no scores", nil, nil, nil, nil},
		{"increasing rates keep their steps", []float64{0.1, 0.9}, []bool{false, true},
			[]float64{0.5}, []float64{0.25, 0.75}}, // (0+0.5)/2, (1+0.5)/2
		{"violators are pooled", []float64{0.1, 0.2, 0.3, 0.4}, []bool{true, false, false, true},
			[]float64{0.35}, []float64{0.375, 0.75}}, // 1 of 3 and 1 of 1, base 0.5
		{"ties make one step", []float64{0.4, 0.4, 0.8}, []bool{true, false, true},
			[]float64{0.6}, []float64{0.5556, 0.8333}}, // 1 of 2 and 1 of 1, base 2/3
		{"a decreasing run is one step", []float64{0.3, 0.2, 0.1}, []bool{false, false, true},
			nil, []float64{0.3333}}, // 1 of 3, base 1/3
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := isotonic(tt.xs, tt.ys)
			if tt.wantY == nil {
				if f != nil {
					t.Fatalf("isotonic = %+v, want nil", f)
				}
				return
			}
			if !slices.Equal(f.X, tt.wantX) || !slices.Equal(f.Y, tt.wantY) {
				t.Errorf("isotonic = %v %v, want %v %v", f.X, f.Y, tt.wantX, tt.wantY)
			}
		})
	}
}

func TestIsotonicAt(t *testing.T) {
	f := &Isotonic{X: []float64{0.35}, Y: []float64{0.375, 0.75}}
	for _, tt := range []struct{ p, want float64 }{{0, 0.375}, {0.35, 0.375}, {0.36, 0.75}, {1, 0.75}} {
		if got := f.at(tt.p); got != tt.want {
			t.Errorf("at(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
}

// TestIsotonicMonotone checks on scores with noisy outcomes that the fit
// is a non-decreasing step function with one bound fewer than steps.
func TestIsotonicMonotone(t *testing.T) {
	var xs []float64
	var ys []bool
	for i := 0; i < 500; i++ {
		x := float64((i*7919)%1000) / 1000
		xs = append(xs, x)
		ys = append(ys, (i*104729)%1000 < int(x*1000)) // P(y) grows with x
	}
	f := isotonic(xs, ys)
	if len(f.X) != len(f.Y)-1 || !slices.IsSorted(f.X) || !slices.IsSorted(f.Y) {
		t.Fatalf("isotonic: %d bounds, %d steps, sorted %v %v", len(f.X), len(f.Y), slices.IsSorted(f.X), slices.IsSorted(f.Y))
	}
	if len(f.Y) < 3 || f.Y[0] > 0.3 || f.Y[len(f.Y)-1] < 0.7 {
		t.Errorf("isotonic steps %v do not follow the rising rate", f.Y)
	}
}

// TestModelHash checks that a model read from Save's bytes, hashed over
// those bytes, has the hash of its JSON (what a trained model gets), and
// that the decoded weights are the saved ones.
func TestModelHash(t *testing.T) {
	dm, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dm.Hash(), dm.computeHash(); got != want {
		t.Fatalf("embedded model: hash of its bytes %s, of its JSON %s", got, want)
	}
	var buf bytes.Buffer
	if err := dm.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash() != dm.Hash() || !slices.Equal(back.w, dm.w) || !slices.Equal(back.Features, dm.Features) {
		t.Fatalf("save and load: hash %s, want %s (or the weights differ)", back.Hash(), dm.Hash())
	}
	// Plain JSON, laid out otherwise, is the same model and has the
	// same hash.
	plain, err := json.MarshalIndent(dm, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	pm, err := LoadModel(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if pm.Hash() != dm.Hash() {
		t.Fatalf("indented JSON: hash %s, want %s", pm.Hash(), dm.Hash())
	}
	// A changed weight changes the hash.
	pm.Code[0].W[0] += 1
	if pm.computeHash() == dm.Hash() {
		t.Fatal("a changed weight kept the hash")
	}
}
