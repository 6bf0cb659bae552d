package main

import (
	"context"
	"debug/buildinfo"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/peermap/peermap/ingest"
)

// workerCommand is the hidden subcommand under which peermap re-executes
// itself to extract one PDF in a child process, so that a hostile file can
// only crash or exhaust the child.
const workerCommand = "extract-worker"

// extractBinary is the worker binary on its own (cmd/peermap-extract),
// which starts in a third of the time peermap does.
const extractBinary = "peermap-extract"

func runWorker(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := ingest.Worker(ctx, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "extract-worker: %v\n", err)
		return 1
	}
	return 0
}

// workerArgv returns the command of the PDF extraction workers of the
// peermap binary exe: peermap-extract beside it when that file was built
// from the same sources as this process (see sameBuild), else exe itself
// re-executed as `exe extract-worker`. Reading the other file's build
// information takes a fraction of a millisecond.
func workerArgv(exe string) []string {
	self := []string{exe, workerCommand}
	own, ok := debug.ReadBuildInfo()
	if !ok {
		return self
	}
	sib := filepath.Join(filepath.Dir(exe), extractBinary)
	other, err := buildinfo.ReadFile(sib)
	if err != nil || !sameBuild(own, other) {
		return self
	}
	return []string{sib}
}

// sameBuild reports whether the worker binary with build information w was
// built from the same sources as the peermap binary with build information
// p: the same Go, the same main module at an identified version (a release
// version, a commit without local changes, or a version given to the
// linker, as `make build` does), the same build settings, and each module w
// links at the version p links. A build that cannot be told apart from
// another (a `go build` of a work tree with changes and no version given)
// is never trusted: the two binaries may speak different versions of the
// worker's wire format.
func sameBuild(p, w *debug.BuildInfo) bool {
	if p.GoVersion != w.GoVersion || p.Main != w.Main || !slices.Equal(p.Settings, w.Settings) {
		return false
	}
	if !identified(p) {
		return false
	}
	deps := make(map[string]debug.Module, len(p.Deps))
	for _, m := range p.Deps {
		deps[m.Path] = *m
	}
	for _, m := range w.Deps {
		pm, ok := deps[m.Path]
		if !ok || pm.Version != m.Version || pm.Sum != m.Sum || (pm.Replace == nil) != (m.Replace == nil) ||
			(pm.Replace != nil && *pm.Replace != *m.Replace) {
			return false
		}
	}
	return true
}

// identified reports whether b names the sources it was built from.
func identified(b *debug.BuildInfo) bool {
	if b.Main.Version != "" && b.Main.Version != "(devel)" {
		return true
	}
	var rev, modified, ldflags string
	for _, s := range b.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		case "-ldflags":
			ldflags = s.Value
		}
	}
	return (rev != "" && modified == "false") || strings.Contains(ldflags, "main.version=")
}
