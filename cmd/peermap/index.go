package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

const indexHelp = `
Usage: peermap index

Builds or updates the search index (DIR/index, bleve) from the store. Only
documents whose passages or annotations changed since the last run are
re-indexed; documents no longer in the store are removed. The index is
derived data: 'peermap reindex' rebuilds it from scratch at any time.

Example:
  peermap index && peermap search '"peer navigator"'
`

const reindexHelp = `
Usage: peermap reindex

Rebuilds the search index from the store: the new index is built beside the
old one and swapped in only when complete, so an interrupted reindex leaves
the old index as it was.

Example:
  peermap reindex
`

// stampFingerprints is the index stamp holding, as JSON, the fingerprint of
// every indexed document's views (passages + annotations).
const stampFingerprints = "fingerprints"

func runIndex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "index", indexHelp)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer s.Close()
	return e.index(ctx, s)
}

func runReindex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reindex", reindexHelp)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer s.Close()
	return e.rebuildIndex(ctx, s)
}

// viewsOf returns the metadata of every ingested (not skipped) document.
func ingestedDocs(ctx context.Context, s *corpus.Store) ([]*corpus.Document, error) {
	docs, err := s.Documents(ctx)
	if err != nil {
		return nil, err
	}
	out := docs[:0]
	for _, d := range docs {
		if d.Skip == corpus.NotSkipped {
			out = append(out, d)
		}
	}
	return out, nil
}

func fingerprint(vs []corpus.View) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, v := range vs {
		enc.Encode(v.Passage)
		enc.Encode(v.Annotations)
		enc.Encode(v.Doc)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (e *env) indexOptions() index.Options { return index.Options{Logger: e.log} }

// searchOptions opens the index read-only, so that searches, serve and
// check can run side by side.
func (e *env) searchOptions() index.Options {
	return index.Options{Logger: e.log, ReadOnly: true}
}

// index brings the index up to date with the store.
func (e *env) index(ctx context.Context, s *corpus.Store) error {
	if _, err := os.Stat(e.indexPath()); errors.Is(err, os.ErrNotExist) {
		return e.rebuildIndex(ctx, s)
	}
	ix, err := index.Open(e.indexPath(), e.indexOptions())
	if err != nil {
		return fmt.Errorf("%w (run 'peermap reindex' to rebuild it)", err)
	}
	defer ix.Close()
	if f, _ := ix.Stamp("corpus_format"); f != strconv.Itoa(corpus.FormatVersion) {
		ix.Close()
		return e.rebuildIndex(ctx, s)
	}
	old := map[corpus.DocID]string{}
	if raw, _ := ix.Stamp(stampFingerprints); raw != "" {
		json.Unmarshal([]byte(raw), &old)
	}
	docs, err := ingestedDocs(ctx, s)
	if err != nil {
		return err
	}
	fps := make(map[corpus.DocID]string, len(docs))
	bar := e.progress(len(docs), "index")
	var changed, passages int
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		vs, err := s.Views(d.ID)
		if err != nil {
			return err
		}
		fp := fingerprint(vs)
		fps[d.ID] = fp
		bar.Add(1)
		if old[d.ID] == fp {
			continue
		}
		if _, ok := old[d.ID]; ok {
			if err := ix.DeleteDocs(ctx, []corpus.DocID{d.ID}); err != nil {
				return err
			}
		}
		if err := ix.Add(ctx, vs); err != nil {
			return err
		}
		changed++
		passages += len(vs)
	}
	var gone []corpus.DocID
	for id := range old {
		if _, ok := fps[id]; !ok {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		if err := ix.DeleteDocs(ctx, gone); err != nil {
			return err
		}
	}
	bar.Finish()
	if err := e.stampIndex(ix, fps); err != nil {
		return err
	}
	e.log.Named("index").Debug("indexed", zap.Int("documents", changed), zap.Int("passages", passages), zap.Int("removed", len(gone)))
	fmt.Fprintf(e.stderr, "index: %d documents (%d passages) added or updated, %d removed\n", changed, passages, len(gone))
	return nil
}

func (e *env) stampIndex(ix *index.Index, fps map[corpus.DocID]string) error {
	raw, err := json.Marshal(fps) // map keys are sorted by encoding/json
	if err != nil {
		return err
	}
	if err := ix.SetStamp(stampFingerprints, string(raw)); err != nil {
		return err
	}
	if err := ix.SetStamp("corpus_format", strconv.Itoa(corpus.FormatVersion)); err != nil {
		return err
	}
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	return ix.SetStamp("codebook", cb.Version())
}

// rebuildIndex builds a new index from the store and swaps it in.
func (e *env) rebuildIndex(ctx context.Context, s *corpus.Store) error {
	docs, err := ingestedDocs(ctx, s)
	if err != nil {
		return err
	}
	bar := e.progress(len(docs), "index")
	var passages int
	err = index.Rebuild(ctx, e.indexPath(), e.indexOptions(), func(ix *index.Index) error {
		fps := make(map[corpus.DocID]string, len(docs))
		var batch []corpus.View
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			vs, err := s.Views(d.ID)
			if err != nil {
				return err
			}
			fps[d.ID] = fingerprint(vs)
			batch = append(batch, vs...)
			passages += len(vs)
			if len(batch) >= 2000 {
				if err := ix.Add(ctx, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
			bar.Add(1)
		}
		if err := ix.Add(ctx, batch); err != nil {
			return err
		}
		return e.stampIndex(ix, fps)
	})
	bar.Finish()
	if err != nil {
		return err
	}
	e.log.Named("index").Debug("rebuilt", zap.Int("documents", len(docs)), zap.Int("passages", passages))
	fmt.Fprintf(e.stderr, "index: rebuilt with %d documents, %d passages\n", len(docs), passages)
	return nil
}
