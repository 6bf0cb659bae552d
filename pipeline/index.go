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

	jsonv2 "github.com/go-json-experiment/json"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// Index stamps that say what the index holds of each document, as a JSON
// object document ID → hash. stampDigests (written since issue 17) holds
// corpus.Store.ViewDigest, a hash of the stored bytes: telling which
// documents changed then costs reading bytes, not decoding every passage.
// stampFingerprints (written before) holds fingerprint, a hash of the
// decoded views; an index that has only it is compared the old way once,
// and gets digests.
const (
	stampDigests      = "digests"
	stampFingerprints = "fingerprints"
)

// An IndexSummary says what Index or Reindex did.
type IndexSummary struct {
	Rebuilt   bool // the index was built from scratch
	Documents int  // documents added or updated (all of them when rebuilt)
	Passages  int  // their passages
	Removed   int  // documents no longer in the store, removed
}

// fingerprint is the hash of what an index stamped before digests holds of
// one document.
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
	ids, err := w.ingestedIDs(ctx)
	if err != nil {
		return IndexSummary{}, err
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

// update re-indexes the documents of ids whose digest changed; with
// all, ids is every document of the store and documents not in it are
// removed from the index.
func (w *Workspace) update(ctx context.Context, ix *index.Index, ids []corpus.DocID, all bool) (IndexSummary, error) {
	var sum IndexSummary
	stamp := func(key string) (map[corpus.DocID]string, error) {
		m := map[corpus.DocID]string{}
		raw, _ := ix.Stamp(key)
		if raw == "" {
			return nil, nil
		}
		// The v2 decoder: a corpus's stamp is one object of every
		// document's digest, read by each index update.
		if err := jsonv2.Unmarshal([]byte(raw), &m); err != nil {
			return nil, fmt.Errorf("index %s: %s: %w: %w", w.IndexPath(), key, index.ErrFormat, err)
		}
		return m, nil
	}
	old, err := stamp(stampDigests)
	if err != nil {
		return sum, err
	}
	var legacy map[corpus.DocID]string // fingerprints of an index stamped before digests
	if old == nil {
		if legacy, err = stamp(stampFingerprints); err != nil {
			return sum, err
		}
		old = map[corpus.DocID]string{}
		for id := range legacy {
			old[id] = "" // indexed; its digest is not known yet
		}
	}
	fps := make(map[corpus.DocID]string, len(old))
	if !all {
		for id, fp := range old {
			fps[id] = fp
		}
	}
	// Documents whose digest changed are collected, their old passages
	// removed at once, and their views added in batches of indexBatch
	// passages: one bleve segment per batch, not one per document.
	bar := w.progress(len(ids), "index")
	var stale []corpus.DocID
	var batch []corpus.View
	add := func() error {
		if len(stale) > 0 {
			if err := ix.DeleteDocs(ctx, stale); err != nil {
				return err
			}
			stale = stale[:0]
		}
		if len(batch) > 0 {
			if err := ix.Add(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	}
	// Digests are read digestChunk documents to a store transaction.
	var digests []string
	for i, id := range ids {
		if i%digestChunk == 0 { // ViewDigests checks ctx
			digests, err = w.store.ViewDigests(ctx, ids[i:min(i+digestChunk, len(ids))])
			if err != nil {
				return sum, err
			}
		}
		digest := digests[i%digestChunk]
		fps[id] = digest
		bar.Add(1)
		if old[id] == digest {
			continue
		}
		vs, err := w.store.Views(id)
		if err != nil {
			return sum, err
		}
		if fp, ok := legacy[id]; ok && fp == fingerprint(vs) {
			continue // unchanged since an index stamped with fingerprints
		}
		if _, ok := old[id]; ok {
			stale = append(stale, id)
		}
		batch = append(batch, vs...)
		sum.Documents++
		sum.Passages += len(vs)
		if len(batch) >= indexBatch {
			if err := add(); err != nil {
				return sum, err
			}
		}
	}
	if err := add(); err != nil {
		return sum, err
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

// stampIndex records the digests of the indexed documents and what the
// index was built from. The fingerprints of an index stamped before
// digests are dropped: they are out of date from now on.
func (w *Workspace) stampIndex(ix *index.Index, digests map[corpus.DocID]string) error {
	// Keys sorted, as encoding/json writes them (doc IDs and digests are
	// hex: no escaping differs).
	raw, err := jsonv2.Marshal(digests, jsonv2.Deterministic(true))
	if err != nil {
		return err
	}
	stamps := map[string]string{
		stampDigests:    string(raw),
		"corpus_format": strconv.Itoa(corpus.FormatVersion),
		"codebook":      w.CodebookVersion(),
	}
	if old, _ := ix.Stamp(stampFingerprints); old != "" {
		stamps[stampFingerprints] = ""
	}
	return ix.SetStamps(stamps) // one write of the index, not four
}

// digestChunk is how many documents' digests update reads in one store
// transaction.
const digestChunk = 4096

// indexBatch is how many passages Reindex and Index give the index at once
// (one bleve segment each). Larger segments cost less to write and merge:
// on the shared corpus (30,000 passages) a rebuild takes 500: 24.2 CPU-s,
// 307 MB peak; 1000: 22.2 CPU-s, 370 MB; 2000: 19.8 CPU-s, 507 MB (medians
// of 3). bleve holds a whole batch's analysis in memory, so 1000 keeps the
// peak near what the other stages need.
const indexBatch = 1000

// Reindex builds a new index from the store beside the old one and swaps it
// in only when complete, so an interrupted rebuild leaves the old index.
// Documents are read from the store (and digested) in one goroutine
// while the index analyses and writes the batch before in another.
func (w *Workspace) Reindex(ctx context.Context) (IndexSummary, error) {
	sum := IndexSummary{Rebuilt: true}
	docs, err := w.ingestedIDs(ctx)
	if err != nil {
		return sum, err
	}
	bar := w.progress(len(docs), "index")
	opts := w.indexOptions(false)
	opts.BatchSize = indexBatch
	err = index.Rebuild(ctx, w.IndexPath(), opts, func(ix *index.Index) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type batch struct {
			vs   []corpus.View
			docs int
		}
		batches := make(chan batch, 1)
		fps := make(map[corpus.DocID]string, len(docs))
		var readErr error
		go func() {
			defer close(batches)
			var b batch
			for _, id := range docs {
				if readErr = ctx.Err(); readErr != nil {
					return
				}
				digest, err := w.store.ViewDigest(id)
				if err != nil {
					readErr = err
					return
				}
				vs, err := w.store.Views(id)
				if err != nil {
					readErr = err
					return
				}
				fps[id] = digest
				b.vs = append(b.vs, vs...)
				b.docs++
				if len(b.vs) >= indexBatch {
					select {
					case batches <- b:
					case <-ctx.Done():
						return
					}
					b = batch{}
				}
			}
			select {
			case batches <- b:
			case <-ctx.Done():
			}
		}()
		for b := range batches {
			if err := ix.Add(ctx, b.vs); err != nil {
				cancel()
				for range batches { // let the reader end
				}
				return err
			}
			sum.Passages += len(b.vs)
			bar.Add(b.docs)
		}
		if readErr != nil { // the reader has ended: batches is closed
			return readErr
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
