package main

import (
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// gcPercent reads the current GOGC setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestTuneGC runs in a child process (the collector's settings are the
// process's): a process starts with the collector off under smallHeap,
// stays so while it is small, and goes back to GOGC 100 under memoryLimit
// once more than half of smallHeap is live after a collection.
func TestTuneGC(t *testing.T) {
	if os.Getenv("PEERMAP_TUNEGC_CHILD") == "1" {
		tuneGC()
		if p := gcPercent(); p != -1 {
			t.Fatalf("GOGC %d at start, want off", p)
		}
		small := make([][]byte, 0, 100)
		for range 100 {
			small = append(small, make([]byte, 64<<10))
		}
		runtime.GC()
		time.Sleep(100 * time.Millisecond) // the finalizer runs after the collection
		if p := gcPercent(); p != -1 {
			t.Fatalf("GOGC %d after a collection with %d KiB live, want still off", p, len(small)*64)
		}
		big := make([][]byte, 0, 80)
		for range 80 {
			big = append(big, make([]byte, 1<<20))
		}
		runtime.GC()
		for deadline := time.Now().Add(10 * time.Second); gcPercent() != 100; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("GOGC %d with %d MiB live, want 100", gcPercent(), len(big))
			}
		}
		if l := debug.SetMemoryLimit(-1); l != memoryLimit {
			t.Fatalf("memory limit %d after the switch, want %d", l, memoryLimit)
		}
		runtime.KeepAlive(small)
		runtime.KeepAlive(big)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestTuneGC$", "-test.count=1")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			cmd.Env = append(cmd.Env, kv) // the child's settings are tuneGC's
		}
	}
	cmd.Env = append(cmd.Env, "PEERMAP_TUNEGC_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Fatalf("the child ran no test:\n%s", out)
	}
}
