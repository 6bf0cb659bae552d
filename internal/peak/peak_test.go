package peak_test

import (
	"testing"

	"github.com/peermap/peermap/internal/peak"
)

var sink []byte

// TestHeap: a function that holds 64 MiB is seen holding at least that; one
// that allocates the same 64 MiB in 64 KiB pieces it drops at once is not.
func TestHeap(t *testing.T) {
	whole := peak.Heap(func() { sink = make([]byte, 64<<20); clear(sink); sink = nil })
	if whole < 64<<20 {
		t.Errorf("holding 64 MiB measured %d MiB", whole>>20)
	}
	streamed := peak.Heap(func() {
		for range 1024 {
			b := make([]byte, 64<<10)
			clear(b)
			sink = b
		}
		sink = nil
	})
	if streamed > 16<<20 {
		t.Errorf("streaming 64 MiB in 64 KiB pieces measured %d MiB", streamed>>20)
	}
}
