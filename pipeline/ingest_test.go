package pipeline

import "testing"

// TestPickJob checks the order extract starts jobs in: the largest first
// within the window, exports in input order, nothing past the window.
func TestPickJob(t *testing.T) {
	const M = 1 << 20
	file := func(size int64) job { return job{size: size} }
	export := func(size int64) job { return job{size: size, format: "ris"} }
	tests := []struct {
		name    string
		jobs    []job
		started []int // indexes already started
		nStored int
		workers int
		want    int
	}{
		{"the largest first", []job{file(1), file(5), file(3)}, nil, 0, 1, 1},
		{"equal sizes: input order", []job{file(2), file(2)}, nil, 0, 1, 0},
		{"started ones are skipped", []job{file(1), file(5), file(3)}, []int{1}, 0, 1, 2},
		{"all started", []job{file(1), file(5)}, []int{0, 1}, 0, 1, -1},
		{"a later export waits for an earlier one", []job{export(1), file(2), export(9)}, nil, 0, 1, 1},
		{"the first export may start", []job{export(3), file(2), export(9)}, nil, 0, 1, 0},
		{"once the first export started, the next may", []job{export(3), file(2), export(9)}, []int{0}, 0, 1, 2},
		{"past the byte window", []job{file(1), file(40 * M), file(50 * M)}, nil, 0, 1, 1},
		{"the oldest not stored always may start", []job{file(2 * extractAheadBytes), file(1)}, nil, 0, 1, 0},
		{"the window grows with the workers", []job{file(1), file(40 * M), file(50 * M)}, nil, 0, 2, 2},
		{"the window starts at the oldest not stored", []job{file(9), file(extractAheadBytes), file(50 * M)}, []int{0, 1}, 1, 1, -1},
		{"and moves on when it is stored", []job{file(9), file(extractAheadBytes), file(50 * M)}, []int{0, 1}, 2, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make([]bool, len(tt.jobs))
			for _, i := range tt.started {
				started[i] = true
			}
			if got := pickJob(tt.jobs, started, tt.nStored, tt.workers); got != tt.want {
				t.Errorf("pickJob = %d, want %d", got, tt.want)
			}
		})
	}
	// The job window: no more than extractAhead jobs per worker past the oldest not stored.
	many := make([]job, 3*extractAhead)
	for i := range many {
		many[i] = file(int64(i))
	}
	if got := pickJob(many, make([]bool, len(many)), 0, 1); got != extractAhead-1 {
		t.Errorf("pickJob over %d jobs = %d, want %d (the largest within %d)", len(many), got, extractAhead-1, extractAhead)
	}
}
