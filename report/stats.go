package report

import (
	"math"
	"slices"
)

// entropy returns the normalised Shannon entropy of p over k categories:
// -Σ p log p / log k, in [0, 1]. p must sum to 1; k < 2 gives 0. The sum
// runs in the order of p, so the same p gives the same bits.
func entropy(p []float64, k int) float64 {
	if k < 2 {
		return 0
	}
	h := 0.0
	for _, x := range p {
		if x > 0 {
			h -= x * math.Log(x)
		}
	}
	return clamp01(h / math.Log(float64(k)))
}

// jsd returns the Jensen–Shannon divergence of p and q in bits, in [0, 1]:
// JSD = ½ KL(p‖m) + ½ KL(q‖m) with m = ½(p+q) and KL in base 2. p and q
// are parallel and each sums to 1.
func jsd(p, q []float64) float64 {
	d := 0.0
	for i := range p {
		m := (p[i] + q[i]) / 2
		if p[i] > 0 {
			d += p[i] * math.Log2(p[i]/m) / 2
		}
		if q[i] > 0 {
			d += q[i] * math.Log2(q[i]/m) / 2
		}
	}
	return clamp01(d)
}

// jaccardDistance returns 1 - |a∩b|/|a∪b| for sets a and b (distinct
// elements, any order).
func jaccardDistance(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	return 1 - float64(inter)/float64(union)
}

func clamp01(x float64) float64 {
	return math.Max(0, math.Min(1, x))
}

// round3 rounds x to three decimals, so that reports show and store the
// same number.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
