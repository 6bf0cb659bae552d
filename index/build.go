package index

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/peermap/peermap/corpus"
)

// buildMergeMax is how many segments the offline builder merges at once:
// a rebuild of a million passages in batches of 1000 writes each passage
// twice more (1000 segments → 10 → 1), one of a hundred thousand once,
// whatever the size, where an online index merges tier after tier as it
// grows. It also bounds the segment files open during a merge.
const buildMergeMax = 100

// errBuilding is returned by the reading methods of an index that
// Rebuild is filling: it can be searched once it is built.
var errBuilding = errors.New("the index is being rebuilt: it cannot be read before it is complete")

// A build is an index Rebuild fills through bleve's offline builder: each
// batch is analysed and written as a segment file, and the segments are
// merged when the build is closed. Nothing is merged while passages come
// in, and no more than one batch is held in memory.
type build struct {
	b       bleve.Builder
	dir     string // the index being built
	scratch string // the builder's segments before the final merge
	n       uint64
	stamps  map[string]string
}

// newBuild starts an offline build of a new index in dir.
func newBuild(dir string, opts Options) (*Index, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("create index %s: %w", dir, ErrExists)
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("create index %s: mapping: %w", dir, err)
	}
	// The scratch folder sits beside dir: the builder renames its last
	// segment into dir, which must be on the same file system.
	scratch := dir + ".build"
	if err := os.RemoveAll(scratch); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	b, err := bleve.NewBuilder(dir, m, map[string]any{
		"batchSize":       opts.batchSize(),
		"mergeMax":        buildMergeMax,
		"buildPathPrefix": scratch,
	})
	if err != nil {
		os.RemoveAll(scratch)
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	ix := wrap(nil, dir, opts)
	ix.bld = &build{b: b, dir: dir, scratch: scratch, stamps: map[string]string{}}
	return ix, nil
}

// add gives vs to the builder. A passage must be added once per build.
func (bd *build) add(ctx context.Context, vs []corpus.View) error {
	for i, v := range vs {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("add to index %s: %w", bd.dir, err)
			}
		}
		if v.Passage.ID == "" {
			return fmt.Errorf("add to index %s: passage without ID (doc %s, n %d)", bd.dir, v.Passage.Doc, v.Passage.N)
		}
		if err := bd.b.Index(string(v.Passage.ID), toDoc(v)); err != nil {
			return fmt.Errorf("add to index %s: passage %s: %w", bd.dir, v.Passage.ID, err)
		}
		bd.n++
	}
	return nil
}

// close merges the segments into the finished index, then opens it to
// write the format stamp and the stamps set during the build.
func (bd *build) close(opts Options) error {
	defer os.RemoveAll(bd.scratch)
	var b bleve.Index
	var err error
	if bd.n == 0 {
		// The builder cannot close without a segment (bleve v2.6 indexes
		// segPaths[0]): an empty corpus gets an empty index made the
		// online way, and the builder's scratch is dropped.
		var m *mapping.IndexMappingImpl
		if err = os.RemoveAll(bd.dir); err == nil { // the builder made it
			m, err = newMapping()
		}
		if err == nil {
			b, err = bleve.NewUsing(bd.dir, m, scorch.Name, scorch.Name, opts.config())
		}
		if err != nil {
			return fmt.Errorf("build index %s: %w", bd.dir, err)
		}
	} else {
		if err := bd.b.Close(); err != nil {
			return fmt.Errorf("build index %s: %w", bd.dir, err)
		}
		if b, err = bleve.OpenUsing(bd.dir, opts.config()); err != nil {
			return fmt.Errorf("build index %s: %w", bd.dir, locked(err))
		}
	}
	err = b.SetInternal([]byte(formatKey), []byte(formatVersion))
	for k, v := range bd.stamps {
		if err != nil {
			break
		}
		err = b.SetInternal([]byte(stampPrefix+k), []byte(v))
	}
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("build index %s: %w", bd.dir, err)
	}
	return nil
}

// abandon ends a build whose index will not be used: the builder's
// segments are left unmerged and removed.
func (bd *build) abandon() {
	os.RemoveAll(bd.scratch)
}
