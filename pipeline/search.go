package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// SearchOptions control Search.
type SearchOptions struct {
	AllVersions bool // do not fold versions of one work into one hit
}

// Search runs q against the index of the workspace opts.Dir, opened
// read-only. A filter value that neither the codebook nor the index knows
// is a *ValueError naming the closest known values; a query with no hit
// carries suggestions for its words the index does not hold. Unless AllVersions, the versions of one work are folded into
// its best hit, whose Also lists the work's other documents (not listed
// when another process holds the store).
func Search(ctx context.Context, opts Options, q corpus.Query, sopts SearchOptions) (*corpus.Results, error) {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
		opts.Logger = log
	}
	// The codebook names the codes, families and labels a filter may ask
	// for: the embedded one is parsed (about 10 ms) only when the query
	// has such a filter.
	var vocab corpus.Vocabulary
	if opts.Codebook != "" || len(q.Codes)+len(q.Families)+len(q.Labels) > 0 {
		cb, err := LoadCodebook(opts.Codebook)
		if err != nil {
			return nil, err
		}
		vocab = cb.Vocabulary()
	}
	if err := checkFilters(q, vocab, nil); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, "corpus.db")); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no workspace in %s: %w", opts.Dir, corpus.ErrNoStore)
	}
	ix, err := index.Open(indexPath(opts.Dir), index.Options{Logger: log, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	if err := checkFilters(q, vocab, ix); err != nil {
		return nil, err
	}
	limit := q.Limit
	if !sopts.AllVersions && limit > 0 {
		q.Limit = limit * 3 // room for versions folded away below
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	if !sopts.AllVersions {
		if err := foldVersions(opts, res); err != nil {
			return nil, err
		}
	}
	if limit > 0 && len(res.Hits) > limit {
		res.Hits = res.Hits[:limit]
	}
	if res.Total == 0 && strings.TrimSpace(q.Text) != "" {
		if res.Suggest, err = ix.Suggest(ctx, q.Text, 3); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// foldVersions keeps the best hit of each version group and lists the
// group's other documents in Also.
func foldVersions(opts Options, res *corpus.Results) error {
	members := map[string][]corpus.DocID{}
	opts.ReadOnly = true
	w, err := Open(opts)
	switch {
	case errors.Is(err, corpus.ErrLocked):
		opts.Logger.Debug("store in use: other versions not listed", zap.Error(err))
	case err != nil:
		return err
	default:
		defer w.Close()
		groups, err := w.store.Groups()
		if err != nil {
			return err
		}
		for _, g := range groups {
			members[g.ID] = g.Members
		}
	}
	seen := map[string]bool{}
	out := res.Hits[:0]
	for _, h := range res.Hits {
		if h.Group != "" {
			if seen[h.Group] {
				continue
			}
			seen[h.Group] = true
			for _, m := range members[h.Group] {
				if m != h.Doc {
					h.Also = append(h.Also, m)
				}
			}
		}
		out = append(out, h)
	}
	res.Hits = out
	return nil
}
