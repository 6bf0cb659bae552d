// Package peak measures the most heap a function holds at once, for tests
// that prove an input is streamed rather than read whole.
//
// Heap runs f once and samples the live heap every half millisecond with
// the garbage collector made eager (GOGC=20), so that the figure is close
// to live data: a reader that holds a 200 MB file whole holds at least
// 200 MB for far longer than that. It is a test helper: it changes the GC
// percentage while f runs and must not run alongside other measurements.
package peak

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Heap runs f and returns the most heap it held at once above what was held
// before it started.
func Heap(f func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var top atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		for {
			if v := read(); v > top.Load() {
				top.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	if v := read(); v > top.Load() {
		top.Store(v)
	}
	if t := top.Load(); t > base {
		return t - base
	}
	return 0
}
