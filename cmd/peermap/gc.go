package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Garbage collection of a peermap process, when neither GOGC nor
// GOMEMLIMIT is set.
//
// Most processes are short and small: a search, an incremental ingest,
// annotate or index of a few new documents. Under Go's defaults such a
// process collects from its first 4 MiB of heap and again each time the
// heap doubles, a dozen collections for nothing, since everything it
// allocates is freed when it exits. So a process starts with the
// collector off and a soft memory limit of smallHeap: it collects when
// its memory reaches smallHeap, and never if it stays below. After each
// collection, when what is live exceeds half of smallHeap, the process is
// a large one (a full ingest, a rebuild of the index) and goes back to the
// defaults (GOGC 100) under memoryLimit; a process that stays small keeps
// collecting at smallHeap, that is, with at least half of it free.
const smallHeap = 96 << 20

// tuneGC sets the collector as above, or leaves the environment's
// settings alone.
func tuneGC() {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(smallHeap)
	watchGC()
}

// watchGC arms a finalizer that runs after the next collection: it
// switches to the defaults when the live heap is large, else arms itself
// again.
func watchGC() {
	sentinel := new([32]byte)
	runtime.SetFinalizer(sentinel, func(*[32]byte) {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > smallHeap/2 {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(memoryLimit)
			return
		}
		watchGC()
	})
}
