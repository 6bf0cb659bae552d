// Command peermap turns a literature set on peer support into a searchable,
// annotated corpus and a synthesis report of which labels hide which roles.
//
// Run 'peermap help' for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// memoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not
// set: the garbage collector works harder as the heap nears it instead of
// letting it grow to twice what is live. Ingesting a million passages held
// 1.07 GiB of anonymous memory at its peak without it (doc/performance.md).
// It is a soft limit: a larger corpus still runs, at some CPU cost.
const memoryLimit = 640 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, prog: os.Args[0]}
	if exe, err := os.Executable(); err == nil {
		// PDFs are extracted in a child process (peermap-extract, or this
		// binary re-executed), so a hostile file cannot crash or hang the run.
		e.worker = workerArgv(exe)
	}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// A command is one subcommand. The table drives both dispatch and help.
type command struct {
	name  string
	short string
	run   func(ctx context.Context, e *env, args []string) error
	help  string // long help; the first line is the usage line
}

// commands is filled in order by commandTable, so 'help' lists them in
// pipeline order.
func commandTable() []command {
	return []command{
		{"init", "create an empty workspace", runInit, initHelp},
		{"ingest", "add files, folders, URLs and reference exports to the corpus", runIngest, ingestHelp},
		{"annotate", "tag passages with the map's dimensions and peer labels", runAnnotate, annotateHelp},
		{"index", "build or update the search index", runIndex, indexHelp},
		{"search", "print passages matching a query", runSearch, searchHelp},
		{"report", "write the synthesis report", runReport, reportHelp},
		{"run", "init, ingest, annotate, index and report in one go", runRun, runHelp},
		{"demo", "run the whole pipeline on the embedded example corpus", runDemo, demoHelp},
		{"stats", "summarise the corpus (documents, skips, duplicates, extraction)", runStats, statsHelp},
		{"check", "verify that store, index and codebook agree", runCheck, checkHelp},
		{"reindex", "rebuild the search index from the store", runReindex, reindexHelp},
		{"backup", "write a consistent copy of the workspace's store", runBackup, backupHelp},
		{"upgrade", "upgrade the workspace's store to this peermap's format", runUpgrade, upgradeHelp},
		{"export", "write the corpus as JSON Lines", runExport, exportHelp},
		{"codebook", "print or check a codebook", runCodebook, codebookHelp},
		{"code", "import or export hand coding", runCode, codeHelp},
		{"eval", "score the annotator against hand coding", runEval, evalHelp},
		{"serve", "browse, search and code passages in a web browser", runServe, serveHelp},
		{"version", "print the version", runVersion, versionHelp},
		{"help", "show help for a command", runHelpCmd, helpHelp},
	}
}

// run is the testable core of main: it parses global flags, dispatches and
// maps errors to exit codes (0 ok, 1 failure, 2 usage).
func run(ctx context.Context, e *env, args []string) int {
	stderr := e.stderr
	fs := flag.NewFlagSet("peermap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e.globalFlags(fs)
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	args = fs.Args()
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	if name == workerCommand {
		// Hidden: the peermap binary re-executed as an extraction worker.
		return runWorker(ctx, e.stdin, e.stdout, stderr)
	}
	var cmd *command
	for _, c := range commandTable() {
		if c.name == name {
			cmd = &c
			break
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "peermap: unknown command %q\nTry: peermap help\n", name)
		return 2
	}
	if err := e.setup(); err != nil {
		fmt.Fprintf(stderr, "peermap: %v\n", err)
		return 2
	}
	defer e.close()
	e.command = cmd.name
	err := cmd.run(ctx, e, rest)
	return exitCode(stderr, cmd.name, err, e.hint)
}

// hint returns the one command that mends err, "" if none is known.
func (e *env) hint(err error) string {
	prog := e.prog
	if prog == "" {
		prog = "peermap"
	}
	w := ""
	if e.dir != ".peermap" {
		w = " -w " + e.dir
	}
	switch {
	case errors.Is(err, corpus.ErrNoStore):
		return prog + w + " run PATH...   (or -w DIR to name another workspace)"
	case errors.Is(err, index.ErrNoIndex):
		return prog + w + " index"
	case errors.Is(err, index.ErrFormat), errors.Is(err, index.ErrStale):
		return prog + w + " reindex"
	case errors.Is(err, corpus.ErrLocked):
		return prog + w + " -wait 10m " + e.command + " ...   (waits for the other process to let go)"
	case errors.Is(err, corpus.ErrUpgrade):
		return prog + w + " upgrade"
	}
	return ""
}

func exitCode(stderr io.Writer, name string, err error, hint func(error) string) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "peermap %s: %s\n", name, ue.msg)
		if ue.hint != "" {
			fmt.Fprintf(stderr, "Try: %s\n", ue.hint)
		}
		return 2
	}
	var se *silentError
	if errors.As(err, &se) {
		return se.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "peermap %s: interrupted; what was stored is kept, run the same command again to go on\n", name)
		return 1
	}
	fmt.Fprintf(stderr, "peermap %s: %v\n", name, err)
	if h := hint(err); h != "" {
		fmt.Fprintf(stderr, "Try: %s\n", h)
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprint(w, `peermap maps the literature on peer support: which labels hide which roles.

Usage: peermap [-w DIR] [-v|-vv] [-log-json] COMMAND [ARGS]

Commands:
`)
	for _, c := range commandTable() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Global flags:
  -w DIR       workspace folder (default ./.peermap, or $PEERMAP_WORKSPACE)
  -v           informational logs too (default: warnings and errors only)
  -vv          debug logs
  -log-json    logs as JSON lines on stderr
  -codebook F  use codebook file F instead of the embedded one
  -wait D      wait up to D (e.g. 10m) for a workspace another peermap process holds (default 2s)
Global flags may come before or after the command name.

Run 'peermap help COMMAND' for a command's flags and examples.
Exit codes: 0 ok, 1 failure (including some files failed), 2 usage error.
`)
}

// A usageError is a mistake in how the command was called (exit code 2).
type usageError struct {
	msg  string
	hint string
}

func (u *usageError) Error() string { return u.msg }

func usagef(hint, format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...), hint: hint}
}

// A silentError sets the exit code after the command has already told the
// user what went wrong.
type silentError struct{ code int }

func (s *silentError) Error() string { return fmt.Sprintf("exit %d", s.code) }

// newFlags returns a FlagSet for a subcommand whose -h prints help. The
// global flags are bound to it too, so they may follow the command name.
func newFlags(e *env, name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		own := flag.NewFlagSet(name, flag.ContinueOnError) // the command's own flags

		fmt.Fprintln(e.stderr, strings.TrimSpace(help))
		fmt.Fprintln(e.stderr, "\nFlags:")
		fs.VisitAll(func(f *flag.Flag) {
			if !globalFlag(f.Name) {
				own.Var(f.Value, f.Name, f.Usage)
			}
		})
		own.SetOutput(e.stderr)
		own.PrintDefaults()
		fmt.Fprintln(e.stderr, "\nGlobal flags (before or after the command): -w DIR, -v, -vv, -log-json, -codebook FILE, -wait DURATION")
	}
	e.globalFlags(fs)
	return fs
}

func globalFlag(name string) bool {
	switch name {
	case "w", "v", "vv", "log-json", "codebook", "wait":
		return true
	}
	return false
}

// parseFlags parses args and turns flag errors into usage errors. Flags may
// come after positional arguments ("peermap search care -n 5"). Global
// flags given here take effect at once (the logger is remade).
func (e *env) parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &silentError{code: 2}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, e.setup()
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
