package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-isatty"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/peermap/peermap/corpus"
)

// env is what every command gets: its streams, the logger, the workspace
// and the clock.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *zap.Logger
	dir            string // workspace
	verbose        bool
	logJSON        bool
	codebookPath   string
	worker         []string // argv of the extraction worker; nil extracts in-process
	prog           string   // how the user called peermap, for hints; "" means peermap
	now            func() time.Time
}

func (e *env) globalFlags(fs *flag.FlagSet) {
	def := os.Getenv("PEERMAP_WORKSPACE")
	if def == "" {
		def = ".peermap"
	}
	fs.StringVar(&e.dir, "w", def, "workspace `folder`")
	fs.BoolVar(&e.verbose, "v", false, "verbose (debug) logs")
	fs.BoolVar(&e.logJSON, "log-json", false, "logs as JSON lines")
	fs.StringVar(&e.codebookPath, "codebook", "", "codebook `file` (default: embedded)")
}

func (e *env) setup() error {
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = newLogger(e.stderr, e.verbose, e.logJSON)
	}
	return nil
}

func (e *env) close() { _ = e.log.Sync() }

// newLogger returns the one logger of the process, writing to w.
func newLogger(w io.Writer, verbose, json bool) *zap.Logger {
	level := zapcore.InfoLevel
	if verbose {
		level = zapcore.DebugLevel
	}
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	if json {
		enc = zapcore.NewJSONEncoder(cfg)
	} else {
		cfg.EncodeLevel = zapcore.CapitalLevelEncoder
		cfg.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05")
		cfg.EncodeCaller = nil
		enc = zapcore.NewConsoleEncoder(cfg)
	}
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(w), level))
}

func (e *env) storePath() string  { return filepath.Join(e.dir, "corpus.db") }
func (e *env) indexPath() string  { return filepath.Join(e.dir, "index") }
func (e *env) reportDir() string  { return filepath.Join(e.dir, "reports") }
func (e *env) fetchedDir() string { return filepath.Join(e.dir, "fetched") }

// openStore opens the workspace's corpus.
func (e *env) openStore(readOnly bool) (*corpus.Store, error) {
	return corpus.Open(e.storePath(), corpus.StoreOptions{ReadOnly: readOnly, Now: e.now})
}

// initStore creates the workspace if it does not exist and opens its corpus.
func (e *env) initStore() (*corpus.Store, bool, error) {
	if _, err := os.Stat(e.storePath()); err == nil {
		s, err := e.openStore(false)
		return s, false, err
	}
	if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("create workspace %s: %w", e.dir, err)
	}
	s, err := corpus.Create(e.storePath(), corpus.StoreOptions{Now: e.now})
	return s, true, err
}

// isTerminal reports whether w is a terminal (progress bars only then).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
