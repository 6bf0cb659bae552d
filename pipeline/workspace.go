package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// Options say which workspace to open and how. Only Dir is required.
type Options struct {
	Dir      string           // the workspace folder
	Codebook string           // codebook file; "" means the embedded codebook
	ReadOnly bool             // open the store read-only (search, report, check, stats)
	Wait     time.Duration    // how long to wait for another process's lock; 0 means 2s
	Logger   *zap.Logger      // nil means no logs
	Now      func() time.Time // nil means time.Now
	Version  string           // peermap's version, recorded with each run
	Worker   []string         // argv of the PDF extraction worker process; nil extracts in-process
	// Progress, when set, is called at the start of a long step with the
	// number of items it will go through; the step calls Add as it goes and
	// Finish at the end.
	Progress func(total int, what string) Progress
}

// A Progress is told how a long step goes.
type Progress interface {
	Add(n int) error
	Finish() error
}

type noProgress struct{}

func (noProgress) Add(int) error { return nil }
func (noProgress) Finish() error { return nil }

// A Workspace is an open workspace: its store and active codebook.
type Workspace struct {
	opts     Options
	store    *corpus.Store
	codebook *annotate.Codebook
	log      *zap.Logger

	suggested suggestions // passages with machine codes, for Queue
}

// Open opens the workspace of opts.Dir, which must exist. It returns an
// error wrapping corpus.ErrNoStore when the folder holds no workspace and
// corpus.ErrLocked when another process holds it for writing.
func Open(opts Options) (*Workspace, error) {
	w, err := newWorkspace(opts)
	if err != nil {
		return nil, err
	}
	s, err := corpus.Open(w.StorePath(), w.storeOptions())
	if err != nil {
		return nil, err
	}
	w.store = s
	return w, nil
}

// Init opens the workspace of opts.Dir, creating it first when it does not
// exist; created reports whether it did.
func Init(opts Options) (w *Workspace, created bool, err error) {
	w, err = newWorkspace(opts)
	if err != nil {
		return nil, false, err
	}
	if opts.ReadOnly {
		return nil, false, errors.New("init: a workspace cannot be created read-only")
	}
	if _, err := os.Stat(w.StorePath()); err == nil {
		w.store, err = corpus.Open(w.StorePath(), w.storeOptions())
		if err != nil {
			return nil, false, err
		}
		return w, false, nil
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("create workspace %s: %w", opts.Dir, err)
	}
	w.store, err = corpus.Create(w.StorePath(), w.storeOptions())
	if err != nil {
		return nil, false, err
	}
	return w, true, nil
}

func newWorkspace(opts Options) (*Workspace, error) {
	if opts.Dir == "" {
		return nil, errors.New("no workspace folder given")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	cb, err := LoadCodebook(opts.Codebook)
	if err != nil {
		return nil, err
	}
	return &Workspace{opts: opts, codebook: cb, log: opts.Logger}, nil
}

func (w *Workspace) storeOptions() corpus.StoreOptions {
	return corpus.StoreOptions{ReadOnly: w.opts.ReadOnly, Wait: w.opts.Wait, Now: w.opts.Now}
}

// LoadCodebook returns the codebook of the file path, or the embedded one
// when path is "".
func LoadCodebook(path string) (*annotate.Codebook, error) {
	if path == "" {
		return annotate.Default(), nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	defer fh.Close()
	return annotate.LoadCodebook(fh, path)
}

// Close closes the workspace's store.
func (w *Workspace) Close() error { return w.store.Close() }

// Store returns the workspace's corpus store.
func (w *Workspace) Store() *corpus.Store { return w.store }

// Codebook returns the active codebook.
func (w *Workspace) Codebook() *annotate.Codebook { return w.codebook }

// Dir returns the workspace folder.
func (w *Workspace) Dir() string { return w.opts.Dir }

// ReadOnly reports whether the workspace was opened read-only.
func (w *Workspace) ReadOnly() bool { return w.opts.ReadOnly }

// StorePath returns the path of the store file.
func (w *Workspace) StorePath() string { return filepath.Join(w.opts.Dir, "corpus.db") }

// IndexPath returns the path of the search index.
func (w *Workspace) IndexPath() string { return indexPath(w.opts.Dir) }

func indexPath(dir string) string { return filepath.Join(dir, "index") }

// ReportDir returns the folder reports are written to by default.
func (w *Workspace) ReportDir() string { return filepath.Join(w.opts.Dir, "reports") }

// FetchedDir returns the folder that keeps the bytes of fetched URLs.
func (w *Workspace) FetchedDir() string { return filepath.Join(w.opts.Dir, "fetched") }

func (w *Workspace) progress(total int, what string) Progress {
	if w.opts.Progress == nil {
		return noProgress{}
	}
	return w.opts.Progress(total, what)
}

// ingestedDocs returns the metadata of every ingested (not skipped) document.
func (w *Workspace) ingestedDocs(ctx context.Context) ([]*corpus.Document, error) {
	docs, err := w.store.Documents(ctx)
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
