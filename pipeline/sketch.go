package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/internal/atomicfile"
)

// sketchFile, in the workspace, keeps the dedup sketch of every document
// stored (band keys of its text and title, its text length), so that
// version groups are recomputed after an ingest without reading every
// text again. It is derived data, a cache: deleted or damaged, it is made
// again from the store. Layout: the line sketchHeader, then one record per
// document as dedup.Sketch.AppendBinary writes it, appended as documents
// are stored (a document may appear twice; its records are equal).
const (
	sketchFile   = "dedup.sketches"
	sketchHeader = "peermap dedup sketches\n"
)

func (w *Workspace) sketchPath() string { return filepath.Join(w.opts.Dir, sketchFile) }

// A sketchLog appends sketches to the workspace's sketch file; it is safe
// for concurrent use. Writing it is best effort: a sketch that could not
// be written is made again from the store when next needed.
type sketchLog struct {
	mu  sync.Mutex
	f   *os.File
	bw  *bufio.Writer
	buf []byte
	err error
	log *zap.Logger
}

// openSketchLog opens the sketch file for appending, starting it when it
// is missing or is not a sketch file.
func (w *Workspace) openSketchLog() *sketchLog {
	l := &sketchLog{log: w.log}
	path := w.sketchPath()
	head := make([]byte, len(sketchHeader))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err == nil {
		// A file too short or unreadable for its header is not a sketch
		// file: it is started again (sketches are made again as needed).
		if n, _ := io.ReadFull(f, head); n != len(sketchHeader) || string(head) != sketchHeader {
			err = f.Truncate(0)
			if err == nil {
				_, err = f.WriteAt([]byte(sketchHeader), 0)
			}
		}
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekEnd)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		l.err = fmt.Errorf("sketch file %s: %w", path, err)
		w.log.Warn("sketches not kept", zap.Error(l.err))
		return l
	}
	l.f, l.bw = f, bufio.NewWriterSize(f, 64<<10)
	return l
}

// add appends the sketches of ss.
func (l *sketchLog) add(ss ...dedup.Sketch) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return
	}
	for i := range ss {
		l.buf, l.err = ss[i].AppendBinary(l.buf[:0])
		if l.err == nil {
			_, l.err = l.bw.Write(l.buf)
		}
		if l.err != nil {
			l.log.Warn("sketches not kept", zap.Error(l.err))
			return
		}
	}
}

// close writes what is buffered and closes the file.
func (l *sketchLog) close() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.err
	if err == nil {
		err = l.bw.Flush()
	}
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// loadSketches reads the sketch file. damaged reports that it holds
// something else than whole records after the header (a record cut short
// by a killed process, another version): the caller then writes it again.
func (w *Workspace) loadSketches() (sks map[corpus.DocID]dedup.Sketch, damaged bool, err error) {
	sks = map[corpus.DocID]dedup.Sketch{}
	f, err := os.Open(w.sketchPath())
	if errors.Is(err, os.ErrNotExist) {
		return sks, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sketch file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		sks = make(map[corpus.DocID]dedup.Sketch, fi.Size()/400) // a record is ~400 bytes
	}
	r := bufio.NewReaderSize(f, 256<<10)
	head := make([]byte, len(sketchHeader))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != sketchHeader {
		return sks, true, nil
	}
	for {
		s, err := dedup.ReadSketch(r)
		if err == io.EOF {
			return sks, false, nil
		}
		if err != nil {
			w.log.Info("sketch file damaged: it is written again", zap.Error(err), zap.Int(corpus.LogKeyCount, len(sks)))
			return sks, true, nil
		}
		sks[s.ID] = s
	}
}

// writeSketches replaces the sketch file with ss.
func (w *Workspace) writeSketches(ss []dedup.Sketch) error {
	return atomicfile.WriteFunc(w.sketchPath(), func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 256<<10)
		if _, err := bw.WriteString(sketchHeader); err != nil {
			return err
		}
		var buf []byte
		for i := range ss {
			var err error
			if buf, err = ss[i].AppendBinary(buf[:0]); err != nil {
				return err
			}
			if _, err := bw.Write(buf); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}

// group recomputes version groups over the whole corpus from the sketches
// of its documents: those of the sketch file, and, for documents it does
// not hold (a workspace written before it, a sketch that could not be
// written), sketches made from the store, in parallel. Only the texts of
// candidate near duplicates are read. Groups are stored only when they
// changed.
func (w *Workspace) group(ctx context.Context) error {
	cache, damaged, err := w.loadSketches()
	if err != nil {
		return err
	}
	// The head of each document (its citation fields) is read once,
	// streamed: only its sketch is kept. Sketch.Meta (normalising titles,
	// names and DOIs) runs on another goroutine, a chunk of heads at a
	// time, while the walk decodes the next ones.
	type chunk struct {
		sks   []dedup.Sketch
		heads []*corpus.Document
	}
	const chunkLen = 512
	chunks := make(chan chunk, 4)
	var done []chunk
	metaDone := make(chan struct{})
	go func() {
		defer close(metaDone)
		for c := range chunks {
			for i := range c.sks {
				c.sks[i].Meta(c.heads[i]) // a missing sketch gets its metadata now, its text part below
			}
			done = append(done, c)
		}
	}()
	newChunk := func() chunk {
		return chunk{make([]dedup.Sketch, 0, chunkLen), make([]*corpus.Document, 0, chunkLen)}
	}
	cur := newChunk()
	var missing []int // indexes in sks of documents without a sketch
	n := 0
	err = w.store.EachDocumentHead(ctx, func(m *corpus.Document) error {
		if m.Skip != corpus.NotSkipped {
			return nil
		}
		s, ok := cache[m.ID]
		if !ok {
			missing = append(missing, n)
			s = dedup.Sketch{ID: m.ID}
		}
		cur.sks, cur.heads = append(cur.sks, s), append(cur.heads, m)
		n++
		if len(cur.sks) == chunkLen {
			chunks <- cur
			cur = newChunk()
		}
		return nil
	})
	if len(cur.sks) > 0 {
		chunks <- cur
	}
	close(chunks)
	<-metaDone
	if err != nil {
		return err
	}
	sks := make([]dedup.Sketch, 0, n)
	for _, c := range done {
		sks = append(sks, c.sks...)
	}
	cache = nil
	if len(missing) > 0 {
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for _, i := range missing {
			g.Go(func() error {
				d, err := w.store.Document(sks[i].ID)
				if err != nil {
					return err
				}
				sks[i] = dedup.NewSketch(d)
				return ctx.Err()
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	switch {
	case damaged:
		err = w.writeSketches(sks)
	case len(missing) > 0:
		l := w.openSketchLog()
		for _, i := range missing {
			l.add(sks[i])
		}
		err = l.close()
	}
	if err != nil {
		w.log.Warn("sketches not kept", zap.Error(err))
	}
	groups, err := dedup.GroupSketches(ctx, sks, func(id corpus.DocID) (string, error) {
		d, err := w.store.Document(id)
		if err != nil {
			return "", err
		}
		return d.Text, nil
	}, dedup.Options{Logger: w.log})
	if err != nil {
		return err
	}
	old, err := w.store.Groups()
	if err != nil {
		return err
	}
	if slices.EqualFunc(old, groups, sameGroup) {
		return nil
	}
	return w.store.PutGroups(groups)
}

func sameGroup(a, b corpus.Group) bool {
	return a.ID == b.ID && a.Preferred == b.Preferred && slices.Equal(a.Members, b.Members) && slices.Equal(a.Reasons, b.Reasons)
}
