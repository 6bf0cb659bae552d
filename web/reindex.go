package web

import (
	"context"
	"slices"
	"sync"

	"github.com/peermap/peermap/corpus"
)

// reindexer brings the index up to date after hand codes, coalescing the
// updates of concurrent saves: bringing the index up to date closes and
// reopens it, a tenth of a second or more on a large corpus, and meanwhile
// searches wait. A save asks for its document and waits for a round of
// updates that covers it; while a round runs, the documents of the saves
// that come in gather for the next round, which one of them runs (group
// commit). With one coder at a time every save is its own round.
type reindexer struct {
	u Updater

	mu   sync.Mutex
	cur  *round         // the round running, nil if none
	next *round         // the round gathering documents
	docs []corpus.DocID // the documents of next
}

type round struct {
	done     chan struct{} // closed when the round has run
	finished bool
	err      error
}

// update returns once doc is indexed with what the store holds now: by a
// round that starts after this call, run by this caller or another one.
func (x *reindexer) update(ctx context.Context, doc corpus.DocID) error {
	x.mu.Lock()
	if x.next == nil {
		x.next = &round{done: make(chan struct{})}
	}
	r := x.next
	if !slices.Contains(x.docs, doc) {
		x.docs = append(x.docs, doc)
	}
	for x.cur != nil && !r.finished {
		c := x.cur
		x.mu.Unlock()
		select {
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		x.mu.Lock()
	}
	if r.finished {
		x.mu.Unlock()
		return r.err
	}
	// Nothing runs and our round has not: run it for everyone in it.
	x.cur, x.next = r, nil
	docs := x.docs
	x.docs = nil
	x.mu.Unlock()
	// Not the caller's context: the round serves the other saves in it too.
	err := x.u.Update(context.WithoutCancel(ctx), docs)
	x.mu.Lock()
	r.err, r.finished, x.cur = err, true, nil
	close(r.done)
	x.mu.Unlock()
	return err
}
