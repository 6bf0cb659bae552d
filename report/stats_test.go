package report

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEntropy(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		k    int
		want float64
	}{
		{"one code", []float64{1, 0, 0, 0}, 4, 0},
		{"uniform over all", []float64{.25, .25, .25, .25}, 4, 1},
		{"half of four", []float64{.5, .5, 0, 0}, 4, 0.5},
		{"k below 2", []float64{1}, 1, 0},
		{"empty", nil, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := entropy(tt.p, tt.k); !near(got, tt.want) {
				t.Errorf("entropy(%v, %d) = %v, want %v", tt.p, tt.k, got, tt.want)
			}
		})
	}
}

func TestJSD(t *testing.T) {
	tests := []struct {
		name string
		p, q []float64
		want float64
	}{
		{"same", []float64{.5, .5, 0}, []float64{.5, .5, 0}, 0},
		{"disjoint", []float64{1, 0}, []float64{0, 1}, 1},
		{"disjoint, one spread", []float64{1, 0, 0}, []float64{0, .5, .5}, 1},
		// M = (.25, .5, .25): ½(.5·log2 2 + .5·log2 1) + ½(.5·log2 1 + .5·log2 2) = .5
		{"one shared", []float64{.5, .5, 0}, []float64{0, .5, .5}, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jsd(tt.p, tt.q)
			if !near(got, tt.want) {
				t.Errorf("jsd(%v, %v) = %v, want %v", tt.p, tt.q, got, tt.want)
			}
			if back := jsd(tt.q, tt.p); !near(back, got) {
				t.Errorf("jsd is not symmetric: %v vs %v", got, back)
			}
		})
	}
}

func TestJaccardDistance(t *testing.T) {
	tests := []struct {
		a, b []string
		want float64
	}{
		{nil, nil, 0},
		{[]string{"x"}, []string{"x"}, 0},
		{[]string{"x"}, []string{"y"}, 1},
		{[]string{"z", "a"}, []string{"a", "z"}, 0}, // order does not matter
		{[]string{"x", "y"}, []string{"y", "z"}, 1 - 1.0/3},
	}
	for _, tt := range tests {
		if got := jaccardDistance(tt.a, tt.b); !near(got, tt.want) {
			t.Errorf("jaccardDistance(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
