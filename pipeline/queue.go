package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// Queue orders, in Queue.Order.
const (
	// OrderSuggested is the fallback order: the passages the coder has not
	// coded, among those the machine suggests codes for or another coder
	// coded; passages other coders already coded come first (most coders
	// first), so a second coder meets the first one's passages and the
	// team gets common passages to measure agreement on; then corpus order
	// (passage ID).
	OrderSuggested = "suggested"
	// OrderUncertainty is the order of the annotator's learned layer
	// ('code next'): after the passages other coders coded, the ones it is
	// least sure of first. Queue uses it whenever the workspace has a model.
	OrderUncertainty = "uncertainty"
)

// A Queue is what a coder should code next, and how far they are.
type Queue struct {
	Coder string
	Order string      // OrderSuggested or OrderUncertainty
	Items []QueueItem // at most n, in order
	Coded int         // passages in scope the coder has coded
	Total int         // passages in scope: suggested or coded by anyone (adjudications aside)
}

// A QueueItem is one passage to code.
type QueueItem struct {
	Passage corpus.PassageID
	Coders  []string // other coders who coded it already, sorted
}

// Queue returns the next n passages coder should code (none for n <= 0,
// only the counts) and how many of the passages in scope they coded. The
// scope is every passage with a machine code suggestion plus every
// passage some coder coded by hand (adjudicated codes aside); a passage
// the coder saved, even with no code, is coded. This is the one place the
// order is decided: the annotator's uncertainty ranking replaces the
// fallback here (see OrderSuggested).
func (w *Workspace) Queue(ctx context.Context, coder string, n int) (*Queue, error) {
	suggested, err := w.suggested.get(ctx, w)
	if err != nil {
		return nil, err
	}
	coded, err := w.store.Coded("")
	if err != nil {
		return nil, err
	}
	others := map[corpus.PassageID][]string{}
	mine := map[corpus.PassageID]bool{}
	for _, c := range coded {
		switch c.Coder {
		case Consensus:
		case coder:
			mine[c.Passage] = true
		default:
			others[c.Passage] = append(others[c.Passage], c.Coder)
		}
	}
	scope := slices.Clone(suggested)
	for p := range others {
		scope = append(scope, p)
	}
	for p := range mine {
		scope = append(scope, p)
	}
	slices.Sort(scope)
	scope = slices.Compact(scope)
	q := &Queue{Coder: coder, Order: OrderSuggested, Total: len(scope), Coded: len(mine)}
	if n <= 0 {
		return q, nil
	}
	var todo []QueueItem
	for _, p := range scope {
		if !mine[p] {
			todo = append(todo, QueueItem{Passage: p, Coders: others[p]}) // Coded sorts coders per passage
		}
	}
	unc, err := w.uncertain.get(ctx, w)
	if err != nil {
		return nil, err
	}
	if unc != nil {
		// The learned layer's order: passages others coded first (agreement
		// needs common passages), then the ones the model is least sure of.
		q.Order = OrderUncertainty
		slices.SortStableFunc(todo, func(a, b QueueItem) int {
			if c := cmp.Compare(len(b.Coders), len(a.Coders)); c != 0 {
				return c
			}
			return cmp.Compare(unc[b.Passage], unc[a.Passage])
		})
	} else {
		slices.SortStableFunc(todo, func(a, b QueueItem) int { return cmp.Compare(len(b.Coders), len(a.Coders)) })
	}
	q.Items = todo[:min(n, len(todo))]
	return q, nil
}

// uncertainties caches the learned layer's uncertainty of every passage
// (the summed entropy of its code probabilities), for Queue: scoring a
// corpus takes about a second per 10,000 passages. It changes only with
// the model or the passages: Annotate and Learn forget it.
type uncertainties struct {
	mu  sync.Mutex
	by  map[corpus.PassageID]float64
	key string // annotator and passage count it was made for
}

// get returns the uncertainty of every passage, or nil when the workspace
// has no learned layer.
func (u *uncertainties) get(ctx context.Context, w *Workspace) (map[corpus.PassageID]float64, error) {
	t, err := w.Tagger()
	if err != nil {
		return nil, err
	}
	if t.Model() == nil {
		return nil, nil
	}
	n, err := w.store.CountPassages()
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s %d", t.Annotator(), n)
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.by != nil && u.key == key {
		return u.by, nil
	}
	by := map[corpus.PassageID]float64{}
	err = w.eachScore(ctx, t, func(sc annotate.PassageScore, _ corpus.Passage) { by[sc.Passage] = sc.Uncertainty() })
	if err != nil {
		return nil, err
	}
	u.by, u.key = by, key
	return by, nil
}

func (u *uncertainties) forget() {
	u.mu.Lock()
	u.by = nil
	u.mu.Unlock()
}

// suggestions caches Store.MachineCoded: reading every machine annotation
// takes a tenth of a second per 10,000 passages, and a server asks for the
// queue at every passage. Machine annotations change only through
// Workspace.Annotate, which forgets the cache, while this process holds
// the workspace for writing; a workspace opened read-only or Shared is not
// cached, since another process may annotate it meanwhile.
type suggestions struct {
	mu  sync.Mutex
	ids []corpus.PassageID
	ok  bool
}

func (s *suggestions) get(ctx context.Context, w *Workspace) ([]corpus.PassageID, error) {
	if w.opts.ReadOnly || w.opts.Shared {
		return w.store.MachineCoded(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		ids, err := w.store.MachineCoded(ctx)
		if err != nil {
			return nil, err
		}
		s.ids, s.ok = ids, true
	}
	return s.ids, nil
}

func (s *suggestions) forget() {
	s.mu.Lock()
	s.ids, s.ok = nil, false
	s.mu.Unlock()
}
