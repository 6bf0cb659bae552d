package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// A sample is one timed run.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system, of this process or of the child and its waited-for children
	rss  int64         // peak resident set of the largest process, bytes (process runs only)
	anon int64         // peak anonymous resident memory of the process itself (not its children), bytes, sampled
	n    int           // items done (passages, files, records), 0 when not counted
}

// A runner is one timed command: peermap's or a reference's.
type runner func(context.Context) (sample, error)

// alternate runs the runners in turn, runs times (A B A B ..., or A B C A
// B C ...), after one untimed warm-up run of each when warm is set, and
// returns the samples of each runner. All see the machine in the same
// state, as closely as a shared machine allows.
func alternate(ctx context.Context, runs int, warm bool, rs ...runner) ([][]sample, error) {
	out := make([][]sample, len(rs))
	if warm {
		for i, r := range rs {
			if _, err := r(ctx); err != nil {
				return nil, fmt.Errorf("warm-up of command %d: %w", i+1, err)
			}
		}
	}
	for range runs {
		for i, r := range rs {
			s, err := r(ctx)
			if err != nil {
				return nil, fmt.Errorf("command %d: %w", i+1, err)
			}
			out[i] = append(out[i], s)
		}
	}
	return out, nil
}

// median returns the median of the values f picks from ss.
func median(ss []sample, f func(sample) float64) float64 {
	if len(ss) == 0 {
		return 0
	}
	vs := make([]float64, len(ss))
	for i, s := range ss {
		vs[i] = f(s)
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}

// ratios returns, for each run i, f(a[i]) / f(b[i]), sorted: the ratios
// of runs made next to each other.
func ratios(a, b []sample, f func(sample) float64) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if d := f(b[i]); d > 0 {
			out = append(out, f(a[i])/d)
		}
	}
	slices.Sort(out)
	return out
}

// medianOf returns the median of sorted values.
func medianOf(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}

func wall(s sample) float64 { return s.wall.Seconds() }
func cpu(s sample) float64  { return s.cpu.Seconds() }
func rss(s sample) float64  { return float64(s.rss) }
func anon(s sample) float64 { return float64(s.anon) }

// cpuTime returns the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// inProcess times fn in this process (wall and CPU time).
func inProcess(fn func() (int, error)) (sample, error) {
	c0, t0 := cpuTime(), time.Now()
	n, err := fn()
	return sample{wall: time.Since(t0), cpu: cpuTime() - c0, n: n}, err
}

// command times one process: wall time, the CPU time of it and its
// children, and the peak RSS of the largest of them (what /usr/bin/time -v
// reports). A non-zero exit is an error unless okExit allows it.
func command(ctx context.Context, dir string, okExit func(int) bool, argv ...string) (sample, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Start()
	var anon int64
	if err == nil {
		stop := make(chan struct{})
		sampled := make(chan int64)
		go func() { sampled <- peakAnon(cmd.Process.Pid, stop) }()
		err = cmd.Wait()
		close(stop)
		anon = <-sampled
	}
	s := sample{wall: time.Since(t0), anon: anon}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			s.rss = ru.Maxrss * 1024
		}
	}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && okExit != nil && okExit(ee.ExitCode()) {
			return s, nil
		}
		return s, fmt.Errorf("%s: %w: %s", argv[0], err, lastLine(stderr.String()))
	}
	return s, nil
}

// peakAnon samples the RssAnon line of /proc/PID/status every 20 ms until
// stop is closed and returns the largest value, in bytes. RssAnon is the
// process's own memory: ru_maxrss also counts the pages of files it maps
// (bbolt's corpus.db, bleve's segments), which the kernel can drop at will.
func peakAnon(pid int, stop <-chan struct{}) int64 {
	path := fmt.Sprintf("/proc/%d/status", pid)
	var peak int64
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if raw, err := os.ReadFile(path); err == nil {
			for l := range strings.SplitSeq(string(raw), "\n") {
				if v, ok := strings.CutPrefix(l, "RssAnon:"); ok {
					var kb int64
					fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
					peak = max(peak, kb*1024)
				}
			}
		}
		select {
		case <-stop:
			return peak
		case <-t.C:
		}
	}
}

func lastLine(s string) string {
	s = string(bytes.TrimSpace([]byte(s)))
	if i := bytes.LastIndexByte([]byte(s), '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
