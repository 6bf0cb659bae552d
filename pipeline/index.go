package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// stampFingerprints is the index stamp holding, as JSON, the fingerprint of
// every indexed document's views (passages + annotations).
const stampFingerprints = "fingerprints"

// An IndexSummary says what Index or Reindex did.
type IndexSummary struct {
	Rebuilt   bool // the index was built from scratch
	Documents int  // documents added or updated (all of them when rebuilt)
	Passages  int  // their passages
	Removed   int  // documents no longer in the store, removed
}

// fingerprint is the hash of what the index holds of one document.
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

func (w *Workspace) indexOptions(readOnly bool) index.Options {
	return index.Options{Logger: w.log, ReadOnly: readOnly}
}

// OpenIndex opens the workspace's search index read-only, so that searches,
// serve and check can run side by side with one writer.
func (w *Workspace) OpenIndex() (*index.Index, error) {
	return index.Open(w.IndexPath(), w.indexOptions(true))
}

// Index brings the index up to date with the store: documents whose
// passages or annotations changed are re-indexed, documents no longer in
// the store are removed. A missing index, or one built for another corpus
// format, is rebuilt.
func (w *Workspace) Index(ctx context.Context) (IndexSummary, error) {
	if _, err := os.Stat(w.IndexPath()); errors.Is(err, os.ErrNotExist) {
		return w.Reindex(ctx)
	}
	ix, err := index.Open(w.IndexPath(), w.indexOptions(false))
	if err != nil {
		return IndexSummary{}, err
	}
	if f, _ := ix.Stamp("corpus_format"); f != strconv.Itoa(corpus.FormatVersion) {
		ix.Close()
		return w.Reindex(ctx)
	}
	defer ix.Close()
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return IndexSummary{}, err
	}
	ids := make([]corpus.DocID, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return w.update(ctx, ix, ids, true)
}

// IndexDocs brings the index up to date for the documents ids only (after a
// hand code, say), leaving the others as they are.
func (w *Workspace) IndexDocs(ctx context.Context, ids []corpus.DocID) (IndexSummary, error) {
	ix, err := index.Open(w.IndexPath(), w.indexOptions(false))
	if err != nil {
		return IndexSummary{}, err
	}
	defer ix.Close()
	return w.update(ctx, ix, ids, false)
}

// update re-indexes the documents of ids whose fingerprint changed; with
// all, ids is every document of the store and documents not in it are
// removed from the index.
func (w *Workspace) update(ctx context.Context, ix *index.Index, ids []corpus.DocID, all bool) (IndexSummary, error) {
	var sum IndexSummary
	old := map[corpus.DocID]string{}
	if raw, _ := ix.Stamp(stampFingerprints); raw != "" {
		if err := json.Unmarshal([]byte(raw), &old); err != nil {
			return sum, fmt.Errorf("index %s: fingerprints: %w: %w", w.IndexPath(), index.ErrFormat, err)
		}
	}
	fps := make(map[corpus.DocID]string, len(old))
	if !all {
		for id, fp := range old {
			fps[id] = fp
		}
	}
	bar := w.progress(len(ids), "index")
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		vs, err := w.store.Views(id)
		if err != nil {
			return sum, err
		}
		fp := fingerprint(vs)
		fps[id] = fp
		bar.Add(1)
		if old[id] == fp {
			continue
		}
		if _, ok := old[id]; ok {
			if err := ix.DeleteDocs(ctx, []corpus.DocID{id}); err != nil {
				return sum, err
			}
		}
		if err := ix.Add(ctx, vs); err != nil {
			return sum, err
		}
		sum.Documents++
		sum.Passages += len(vs)
	}
	if all {
		var gone []corpus.DocID
		for id := range old {
			if _, ok := fps[id]; !ok {
				gone = append(gone, id)
			}
		}
		if len(gone) > 0 {
			if err := ix.DeleteDocs(ctx, gone); err != nil {
				return sum, err
			}
		}
		sum.Removed = len(gone)
	}
	bar.Finish()
	if err := w.stampIndex(ix, fps); err != nil {
		return sum, err
	}
	w.log.Debug("indexed", zap.Int("documents", sum.Documents), zap.Int("passages", sum.Passages), zap.Int("removed", sum.Removed))
	return sum, nil
}

func (w *Workspace) stampIndex(ix *index.Index, fps map[corpus.DocID]string) error {
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
	return ix.SetStamp("codebook", w.codebook.Version())
}

// Reindex builds a new index from the store beside the old one and swaps it
// in only when complete, so an interrupted rebuild leaves the old index.
func (w *Workspace) Reindex(ctx context.Context) (IndexSummary, error) {
	sum := IndexSummary{Rebuilt: true}
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return sum, err
	}
	bar := w.progress(len(docs), "index")
	err = index.Rebuild(ctx, w.IndexPath(), w.indexOptions(false), func(ix *index.Index) error {
		fps := make(map[corpus.DocID]string, len(docs))
		var batch []corpus.View
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			vs, err := w.store.Views(d.ID)
			if err != nil {
				return err
			}
			fps[d.ID] = fingerprint(vs)
			batch = append(batch, vs...)
			sum.Passages += len(vs)
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
		return w.stampIndex(ix, fps)
	})
	bar.Finish()
	if err != nil {
		return sum, err
	}
	sum.Documents = len(docs)
	w.log.Debug("rebuilt", zap.Int("documents", len(docs)), zap.Int("passages", sum.Passages))
	return sum, nil
}

// A LiveIndex is the workspace's index open for searching, brought up to
// date in place after hand codes (Update): the web server searches and
// codes through one. It is safe for concurrent use.
type LiveIndex struct {
	w  *Workspace
	mu sync.RWMutex
	ix *index.Index // opened read-only; nil while Update swaps it
}

// LiveIndex opens the workspace's index for searching.
func (w *Workspace) LiveIndex() (*LiveIndex, error) {
	ix, err := w.OpenIndex()
	if err != nil {
		return nil, err
	}
	return &LiveIndex{w: w, ix: ix}, nil
}

// Search runs q.
func (l *LiveIndex) Search(ctx context.Context, q corpus.Query) (*corpus.Results, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.ix == nil {
		return nil, errors.New("the index could not be reopened after an update: restart peermap serve")
	}
	return l.ix.Search(ctx, q)
}

// Update re-indexes the documents ids (whose passages' human codes
// changed, say) through IndexDocs: it lets go of its read-only handle,
// updates the index for writing and opens it again.
func (l *LiveIndex) Update(ctx context.Context, ids []corpus.DocID) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix != nil {
		if err := l.ix.Close(); err != nil {
			return err
		}
		l.ix = nil
	}
	_, uerr := l.w.IndexDocs(ctx, ids)
	ix, err := l.w.OpenIndex()
	if err != nil {
		return errors.Join(uerr, err)
	}
	l.ix = ix
	return uerr
}

// Close closes the index.
func (l *LiveIndex) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix == nil {
		return nil
	}
	err := l.ix.Close()
	l.ix = nil
	return err
}
