package web

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
)

// slowUpdater records its calls and takes a while, as bleve does.
type slowUpdater struct {
	mu    sync.Mutex
	calls [][]corpus.DocID
	seq   int                  // calls started
	seen  map[corpus.DocID]int // doc → the last call that started with it
}

func (u *slowUpdater) Update(ctx context.Context, ids []corpus.DocID) error {
	u.mu.Lock()
	u.seq++
	for _, id := range ids {
		u.seen[id] = u.seq
	}
	u.calls = append(u.calls, slices.Clone(ids))
	u.mu.Unlock()
	time.Sleep(20 * time.Millisecond)
	return nil
}

// TestReindexerCoalesces runs 40 saves at once: each returns only after a
// call that started after it asked covered its document, and the calls
// are far fewer than the saves.
func TestReindexerCoalesces(t *testing.T) {
	u := &slowUpdater{seen: map[corpus.DocID]int{}}
	x := &reindexer{u: u}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := corpus.DocID(fmt.Sprintf("doc%02d", i%25))
			u.mu.Lock()
			asked := u.seq // calls started before this save asked
			u.mu.Unlock()
			if err := x.update(context.Background(), doc); err != nil {
				t.Error(err)
				return
			}
			u.mu.Lock()
			defer u.mu.Unlock()
			if u.seen[doc] <= asked {
				t.Errorf("%s: update returned, but no call started after it asked (asked after call %d, last call with it %d)", doc, asked, u.seen[doc])
			}
		}()
	}
	wg.Wait()
	if n := len(u.calls); n == 0 || n > 20 {
		t.Errorf("%d calls for 40 concurrent saves, want a few", n)
	}
	for _, c := range u.calls {
		if len(c) != len(slices.Compact(slices.Sorted(slices.Values(c)))) {
			t.Errorf("call %v names a document twice", c)
		}
	}
	// One save alone is one call of its own document.
	u.calls = nil
	if err := x.update(context.Background(), "alone"); err != nil || len(u.calls) != 1 || !slices.Equal(u.calls[0], []corpus.DocID{"alone"}) {
		t.Errorf("a lone save: calls %v, %v", u.calls, err)
	}
}
