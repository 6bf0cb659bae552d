package annotate

import "slices"

// An Isotonic maps a probability to a calibrated one: the step function
// of a pool-adjacent-violators fit, Y[k] up to X[k] (inclusive), the last
// Y beyond the last X.
type Isotonic struct {
	X []float64 `json:"x"` // bounds between steps, ascending
	Y []float64 `json:"y"` // one more than X, non-decreasing
}

// at returns the calibrated value of p.
func (f *Isotonic) at(p float64) float64 {
	k, _ := slices.BinarySearch(f.X, p)
	return f.Y[k]
}

// isotonic fits a non-decreasing step function of the scores xs to the
// outcomes ys by pool adjacent violators; each step's rate is smoothed
// towards the overall rate by one pseudo-observation, so that a step of
// a few codes says little. A bound lies halfway between two steps'
// scores. Nil when xs is empty.
func isotonic(xs []float64, ys []bool) *Isotonic {
	if len(xs) == 0 {
		return nil
	}
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case xs[a] < xs[b]:
			return -1
		case xs[a] > xs[b]:
			return 1
		}
		return 0
	})
	type step struct{ lo, hi, pos, n float64 }
	var st []step
	for _, i := range idx {
		v := 0.0
		if ys[i] {
			v = 1
		}
		if k := len(st) - 1; k >= 0 && st[k].hi == xs[i] {
			st[k].pos += v
			st[k].n++
		} else {
			st = append(st, step{xs[i], xs[i], v, 1})
		}
		for len(st) > 1 {
			a, b := st[len(st)-2], st[len(st)-1]
			if a.pos/a.n < b.pos/b.n {
				break
			}
			st = append(st[:len(st)-2], step{a.lo, b.hi, a.pos + b.pos, a.n + b.n})
		}
	}
	pos, n := 0.0, 0.0
	for _, s := range st {
		pos, n = pos+s.pos, n+s.n
	}
	base := pos / n
	f := &Isotonic{}
	for k, s := range st {
		if k > 0 {
			f.X = append(f.X, round6((st[k-1].hi+s.lo)/2))
		}
		f.Y = append(f.Y, round4((s.pos+base)/(s.n+1)))
	}
	return f
}
