package annotate

import "testing"

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
