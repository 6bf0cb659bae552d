package main

import (
	"flag"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/pipeline"
)

// env is what every command gets: its streams, the logger, the workspace
// and the clock.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *zap.Logger
	dir            string // workspace
	verbose        bool   // -v: info logs
	debug          bool   // -vv: debug logs
	logJSON        bool
	wait           time.Duration // -wait: how long to wait for a workspace another process holds
	command        string        // the command being run, told to other processes that find the workspace held
	ownLog         bool          // log was made by setup (not given by a test), so flags may remake it
	codebookPath   string
	worker         []string // argv of the extraction worker; nil extracts in-process
	prog           string   // how the user called peermap, for hints; "" means peermap
	now            func() time.Time
}

// globalFlags binds the global flags to fs. They may be given before the
// command name or among its own flags; the defaults are the values already
// set, so flags given before the command stay when not repeated after it.
func (e *env) globalFlags(fs *flag.FlagSet) {
	if e.dir == "" {
		e.dir = os.Getenv("PEERMAP_WORKSPACE")
		if e.dir == "" {
			e.dir = ".peermap"
		}
	}
	fs.StringVar(&e.dir, "w", e.dir, "workspace `folder` (default ./.peermap, or $PEERMAP_WORKSPACE)")
	fs.BoolVar(&e.verbose, "v", e.verbose, "verbose: informational logs too")
	fs.BoolVar(&e.debug, "vv", e.debug, "debug logs")
	fs.BoolVar(&e.logJSON, "log-json", e.logJSON, "logs as JSON lines")
	fs.StringVar(&e.codebookPath, "codebook", e.codebookPath, "codebook `file` (default: embedded)")
	if e.wait == 0 {
		e.wait = 2 * time.Second
	}
	fs.DurationVar(&e.wait, "wait", e.wait, "wait this `long` for a workspace another peermap process holds (e.g. 10m)")
}

// setup makes what the flags decide: the logger (unless one was given).
func (e *env) setup() error {
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil || e.ownLog {
		e.log = newLogger(e.stderr, e.level(), e.logJSON)
		e.ownLog = true
	}
	return nil
}

// level is the log level of -v and -vv: warnings and errors by default.
func (e *env) level() zapcore.Level {
	switch {
	case e.debug:
		return zapcore.DebugLevel
	case e.verbose:
		return zapcore.InfoLevel
	}
	return zapcore.WarnLevel
}

func (e *env) close() { _ = e.log.Sync() }

// newLogger returns the one logger of the process, writing to w.
func newLogger(w io.Writer, level zapcore.Level, json bool) *zap.Logger {
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

// options returns the pipeline options of the workspace, opened
// read-only or for writing.
func (e *env) options(readOnly bool) pipeline.Options {
	return pipeline.Options{
		Dir:      e.dir,
		Codebook: e.codebookPath,
		ReadOnly: readOnly,
		Wait:     e.wait,
		Command:  e.command,
		Logger:   e.log,
		Now:      e.now,
		Version:  versionString(),
		Worker:   e.worker,
		Progress: e.progress,
	}
}

// open opens the workspace (it must exist).
func (e *env) open(readOnly bool) (*pipeline.Workspace, error) {
	return pipeline.Open(e.options(readOnly))
}

// openShared opens the workspace for a long-running process (serve): the
// store is held only during each call, so other commands can write between
// calls.
func (e *env) openShared(readOnly bool) (*pipeline.Workspace, error) {
	opts := e.options(readOnly)
	opts.Shared = true
	return pipeline.Open(opts)
}

// init opens the workspace for writing, creating it when it is missing.
func (e *env) init() (*pipeline.Workspace, bool, error) {
	return pipeline.Init(e.options(false))
}

// loadCodebook returns the codebook of -codebook, or the embedded one.
func (e *env) loadCodebook() (*annotate.Codebook, error) {
	return pipeline.LoadCodebook(e.codebookPath)
}

// progress returns a progress bar on stderr when it is a terminal, and a
// silent one otherwise.
func (e *env) progress(n int, what string) pipeline.Progress {
	if !isTerminal(e.stderr) || n < 2 {
		return progressbar.DefaultSilent(int64(n))
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}

// isTerminal reports whether w is a terminal (progress bars only then).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
