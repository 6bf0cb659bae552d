package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/atomicfile"
)

// Options say which workspace to open and how. Only Dir is required.
type Options struct {
	Dir      string           // the workspace folder
	Codebook string           // codebook file; "" means the embedded codebook
	ReadOnly bool             // open the store read-only (search, report, check, stats)
	Shared   bool             // hold the store only during each call (serve), so other processes can write between calls
	Rules    bool             // annotate with the codebook's rules alone, no learned layer
	Wait     time.Duration    // how long to wait for another process's lock; 0 means 2s
	Logger   *zap.Logger      // nil means no logs
	Now      func() time.Time // nil means time.Now
	Version  string           // peermap's version, recorded with each run
	Command  string           // what this process is doing ("ingest", "serve"), told to another process that finds the workspace held
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
	codebook *annotate.Codebook // of Options.Codebook; nil means the embedded one, parsed when first used
	tagger   *annotate.Tagger   // made by Tagger, dropped by Learn
	log      *zap.Logger
	sketches *sketchLog // open during Ingest

	suggested suggestions   // passages with machine codes, for Queue
	uncertain uncertainties // the learned layer's uncertainty per passage, for Queue
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
		return nil, w.held(err)
	}
	w.store = s
	w.hold()
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
			return nil, false, w.held(err)
		}
		w.hold()
		return w, false, nil
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("create workspace %s: %w", opts.Dir, err)
	}
	w.store, err = corpus.Create(w.StorePath(), w.storeOptions())
	if err != nil {
		return nil, false, err
	}
	w.hold()
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
	w := &Workspace{opts: opts, log: opts.Logger}
	if opts.Codebook != "" {
		// A codebook file is read and checked now, so that a mistake in
		// it stops the command before it writes anything. The embedded
		// one cannot be wrong: it is parsed when first used (about 10 ms
		// that an ingest, which never reads it, does not pay).
		cb, err := LoadCodebook(opts.Codebook)
		if err != nil {
			return nil, err
		}
		w.codebook = cb
	}
	return w, nil
}

func (w *Workspace) storeOptions() corpus.StoreOptions {
	return corpus.StoreOptions{ReadOnly: w.opts.ReadOnly, Wait: w.opts.Wait, Now: w.opts.Now, Shared: w.opts.Shared}
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
func (w *Workspace) Close() error {
	if !w.opts.ReadOnly && !w.opts.Shared {
		os.Remove(w.holderPath())
	}
	return w.store.Close()
}

// A holder is who holds a workspace for writing: written beside the store
// by the process that holds it (the store's file lock is what excludes; this
// only names the holder), removed when it lets go.
type holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

func (w *Workspace) holderPath() string { return filepath.Join(w.opts.Dir, "holder.json") }

// hold records this process as the holder of the workspace.
func (w *Workspace) hold() {
	if w.opts.ReadOnly || w.opts.Shared {
		return
	}
	data, _ := json.Marshal(holder{PID: os.Getpid(), Command: w.opts.Command, Since: w.opts.Now().UTC().Truncate(time.Second)})
	if err := os.WriteFile(w.holderPath(), data, 0o644); err != nil {
		w.log.Debug("cannot record the workspace holder", zap.Error(err))
	}
}

// held adds to a corpus.ErrLocked error which process holds the workspace.
func (w *Workspace) held(err error) error {
	if !errors.Is(err, corpus.ErrLocked) {
		return err
	}
	data, rerr := os.ReadFile(w.holderPath())
	var h holder
	if rerr != nil || json.Unmarshal(data, &h) != nil || h.PID == 0 {
		return err
	}
	what := "peermap"
	if h.Command != "" {
		what = "peermap " + h.Command
	}
	return fmt.Errorf("%w: held by %s (pid %d, since %s)", err, what, h.PID, h.Since.Local().Format("2006-01-02 15:04:05"))
}

// Store returns the workspace's corpus store.
func (w *Workspace) Store() *corpus.Store { return w.store }

// Codebook returns the active codebook.
func (w *Workspace) Codebook() *annotate.Codebook {
	if w.codebook != nil {
		return w.codebook
	}
	return annotate.Default()
}

// CodebookVersion returns the active codebook's version; the embedded
// codebook is not parsed for it.
func (w *Workspace) CodebookVersion() string {
	if w.codebook != nil {
		return w.codebook.Version()
	}
	return annotate.DefaultVersion()
}

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

// ingestedIDs returns the IDs of every ingested (not skipped) document, in
// ID order, without decoding their metadata (a record's holds its abstract).
func (w *Workspace) ingestedIDs(ctx context.Context) ([]corpus.DocID, error) {
	return w.store.IngestedIDs(ctx)
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

// Backup writes a consistent copy of the workspace's store to path
// (atomically: a copy that is there is whole) and returns its size. The
// index, derived, is not copied: 'peermap reindex' rebuilds it.
func (w *Workspace) Backup(path string) (int64, error) {
	var n int64
	err := atomicfile.WriteFunc(path, func(f io.Writer) error {
		var err error
		n, err = w.store.Backup(f)
		return err
	})
	return n, err
}
