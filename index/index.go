package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bberrors "go.etcd.io/bbolt/errors"
	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrNoIndex means there is no index at the given directory.
	ErrNoIndex = errors.New("no index here")
	// ErrFormat means the directory holds an index peermap cannot read:
	// another format version, a bleve index that is not peermap's, or a
	// damaged one. `peermap reindex` rebuilds it.
	ErrFormat = errors.New("index format not recognised")
	// ErrQuery means the free text of a query is not valid query-string syntax.
	ErrQuery = errors.New("bad query")
	// ErrExists means Create was given a directory that already exists.
	ErrExists = errors.New("already exists")
	// ErrStale means the index was built from another corpus format or
	// codebook than the caller's (see CheckStamp).
	ErrStale = errors.New("index is out of date")
)

// Options control an Index. The zero value is ready to use.
type Options struct {
	BatchSize int           // passages per write batch; <= 0 means 500
	LockWait  time.Duration // how long Open and Create wait for another process to release the index; <= 0 means 1s
	ReadOnly  bool          // Open for searching only: several read-only opens may share the index
	Logger    *zap.Logger   // nil means no logging
}

// config returns bleve's runtime configuration for opts.
func (o Options) config() map[string]any {
	wait := o.LockWait
	if wait <= 0 {
		wait = time.Second
	}
	cfg := map[string]any{"bolt_timeout": wait.String()}
	if o.ReadOnly {
		cfg["read_only"] = true
	}
	return cfg
}

// locked rewrites a lock timeout as corpus.ErrLocked.
func locked(err error) error {
	if errors.Is(err, bberrors.ErrTimeout) {
		return fmt.Errorf("%w (the index is held open)", corpus.ErrLocked)
	}
	return err
}

func (o Options) batchSize() int {
	if o.BatchSize <= 0 {
		return 500
	}
	return o.BatchSize
}

func (o Options) logger() *zap.Logger {
	if o.Logger == nil {
		return zap.NewNop()
	}
	return o.Logger.Named("index")
}

// An Index is a full-text index of passages. It is safe for concurrent
// searches; writes (Add, DeleteDocs, SetStamps) may run alongside searches.
type Index struct {
	b    bleve.Index // nil while Rebuild fills it
	bld  *build      // set while Rebuild fills it (build.go)
	dir  string      // "" when in memory
	opts Options
	log  *zap.Logger
	page int // hits per page when listing passages; tests lower it
}

// Create makes a new index in dir, which must not exist yet.
func Create(dir string, opts Options) (*Index, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("create index %s: %w", dir, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("create index %s: mapping: %w", dir, err)
	}
	b, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, opts.config())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, locked(err))
	}
	if err := b.SetInternal([]byte(formatKey), []byte(formatVersion)); err != nil {
		b.Close()
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return wrap(b, dir, opts), nil
}

// Open opens the existing index in dir. It returns an error wrapping
// ErrNoIndex if dir holds no index and ErrFormat if it holds one peermap
// cannot read. If another process holds the index open, Open waits
// Options.LockWait and then returns an error wrapping corpus.ErrLocked.
func Open(dir string, opts Options) (*Index, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open index %s: %w", dir, ErrNoIndex)
	} else if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	b, err := bleve.OpenUsing(dir, opts.config())
	switch {
	case errors.Is(err, bberrors.ErrTimeout):
		return nil, fmt.Errorf("open index %s: %w", dir, locked(err))
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist), errors.Is(err, bleve.ErrorIndexMetaMissing):
		return nil, fmt.Errorf("open index %s: %w", dir, ErrNoIndex)
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w: %v", dir, ErrFormat, err)
	}
	v, err := b.GetInternal([]byte(formatKey))
	if err != nil || string(v) != formatVersion {
		b.Close()
		if err == nil {
			err = fmt.Errorf("format %q, want %q", v, formatVersion)
		}
		return nil, fmt.Errorf("open index %s: %w: %v", dir, ErrFormat, err)
	}
	return wrap(b, dir, opts), nil
}

// New returns an empty index held in memory, for tests and one-off runs.
// It never merges its segments (one per batch), so it suits indexes built
// in a few large batches.
func New(opts Options) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("new index: mapping: %w", err)
	}
	// Not bleve.NewMemOnly: its upsidedown/gtreap store indexes our
	// passages at about 50 a second (BenchmarkAdd); scorch without a path
	// keeps its segments in memory and is two orders of magnitude faster.
	b, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("new index: %w", err)
	}
	if err := b.SetInternal([]byte(formatKey), []byte(formatVersion)); err != nil {
		b.Close()
		return nil, fmt.Errorf("new index: %w", err)
	}
	return wrap(b, "", opts), nil
}

func wrap(b bleve.Index, dir string, opts Options) *Index {
	return &Index{b: b, dir: dir, opts: opts, log: opts.logger(), page: 5000}
}

// Close releases the index. It must be called once the index is no longer used.
func (ix *Index) Close() error {
	if ix.bld != nil {
		return ix.bld.close(ix.opts)
	}
	if err := ix.b.Close(); err != nil {
		return fmt.Errorf("close index %s: %w", ix.name(), err)
	}
	return nil
}

func (ix *Index) name() string {
	if ix.dir == "" {
		return "(memory)"
	}
	return ix.dir
}

// Count returns the number of passages in the index.
func (ix *Index) Count() (uint64, error) {
	if ix.bld != nil {
		return ix.bld.n, nil
	}
	n, err := ix.b.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count index %s: %w", ix.name(), err)
	}
	return n, nil
}

// SetStamps records each value of stamps under its key in the index, e.g.
// the codebook version ("codebook") or the corpus format
// ("corpus_format") it was built from, in one write: one bleve batch and
// one persisted snapshot (with its fsyncs) for them all.
func (ix *Index) SetStamps(stamps map[string]string) error {
	if ix.bld != nil {
		maps.Copy(ix.bld.stamps, stamps)
		return nil
	}
	batch := ix.b.NewBatch()
	for _, key := range slices.Sorted(maps.Keys(stamps)) {
		batch.SetInternal([]byte(stampPrefix+key), []byte(stamps[key]))
	}
	if err := ix.b.Batch(batch); err != nil {
		return fmt.Errorf("stamp index %s: %w", ix.name(), err)
	}
	return nil
}

// Stamp returns the value SetStamps recorded under key, or "" if none was.
func (ix *Index) Stamp(key string) (string, error) {
	if ix.bld != nil {
		return ix.bld.stamps[key], nil
	}
	v, err := ix.b.GetInternal([]byte(stampPrefix + key))
	if err != nil {
		return "", fmt.Errorf("read stamp %s of index %s: %w", key, ix.name(), err)
	}
	return string(v), nil
}

// CheckStamp returns an error wrapping ErrStale, naming the command that
// fixes it, if the stamp under key is not want (an index built before the
// stamp was set has "").
func (ix *Index) CheckStamp(key, want string) error {
	got, err := ix.Stamp(key)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("index %s: %s %q, want %q: %w", ix.name(), key, got, want, ErrStale)
	}
	return nil
}

// Rebuild builds a new index in dir+".new", calls fill to put passages and
// stamps in it, and only when fill succeeds swaps it in place of dir (which
// need not exist). If fill or the build fails, dir is left as it was and
// the partial index is removed. fill must not keep ix: Rebuild closes it.
//
// The new index is written by bleve's offline builder (build.go): batches
// of Options.BatchSize passages become segment files, merged once at the
// end, so a rebuild costs the same per passage at any size. While fill
// runs, ix takes Add (each passage once), SetStamps, Stamp and Count; it
// cannot be searched and DeleteDocs fails.
func Rebuild(ctx context.Context, dir string, opts Options, fill func(ix *Index) error) error {
	tmp, old := dir+".new", dir+".old"
	if err := os.RemoveAll(tmp); err != nil { // a leftover of an interrupted rebuild
		return fmt.Errorf("rebuild index %s: %w", dir, err)
	}
	ix, err := newBuild(tmp, opts)
	if err != nil {
		return fmt.Errorf("rebuild index %s: %w", dir, err)
	}
	var n uint64
	err = fill(ix)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		n, err = ix.Count()
	}
	if err == nil {
		err = ix.Close()
	} else {
		ix.bld.abandon()
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("rebuild index %s: %w", dir, err)
	}
	if err := os.RemoveAll(old); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("rebuild index %s: %w", dir, err)
	}
	hadOld := true
	if err := os.Rename(dir, old); errors.Is(err, fs.ErrNotExist) {
		hadOld = false
	} else if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("rebuild index %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if hadOld {
			os.Rename(old, dir) // put the old index back
		}
		os.RemoveAll(tmp)
		return fmt.Errorf("rebuild index %s: %w", dir, err)
	}
	if hadOld {
		if err := os.RemoveAll(old); err != nil {
			opts.logger().Warn("could not remove old index", zap.String(corpus.LogKeyPath, old), zap.Error(err))
		}
	}
	opts.logger().Info("index rebuilt", zap.String(corpus.LogKeyPath, dir), zap.Uint64(corpus.LogKeyCount, n))
	return nil
}
