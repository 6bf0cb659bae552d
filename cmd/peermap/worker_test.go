package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/internal/pdfgen"
)

func TestSameBuild(t *testing.T) {
	mod := func(path, v string) *debug.Module { return &debug.Module{Path: path, Version: v, Sum: "h1:" + v} }
	base := func() *debug.BuildInfo {
		return &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Path:      "github.com/peermap/peermap/cmd/peermap",
			Main:      debug.Module{Path: "github.com/peermap/peermap", Version: "(devel)"},
			Deps:      []*debug.Module{mod("github.com/ledongthuc/pdf", "v0.1"), mod("github.com/blevesearch/bleve/v2", "v2.6.3")},
			Settings: []debug.BuildSetting{{Key: "-ldflags", Value: "-X main.version=v1.2.0"},
				{Key: "CGO_ENABLED", Value: "1"}},
		}
	}
	worker := func() *debug.BuildInfo {
		b := base()
		b.Path = "github.com/peermap/peermap/cmd/peermap-extract"
		b.Deps = b.Deps[:1]
		return b
	}
	tests := []struct {
		name   string
		change func(p, w *debug.BuildInfo)
		want   bool
	}{
		{"one make build", func(p, w *debug.BuildInfo) {}, true},
		{"another Go", func(p, w *debug.BuildInfo) { w.GoVersion = "go1.26.7" }, false},
		{"another version given", func(p, w *debug.BuildInfo) { w.Settings[0].Value = "-X main.version=v1.1.0" }, false},
		{"no version given", func(p, w *debug.BuildInfo) { p.Settings, w.Settings = p.Settings[1:], w.Settings[1:] }, false},
		{"another setting", func(p, w *debug.BuildInfo) { w.Settings[1].Value = "0" }, false},
		{"a dependency at another version", func(p, w *debug.BuildInfo) { w.Deps[0] = mod("github.com/ledongthuc/pdf", "v0.2") }, false},
		{"a dependency peermap lacks", func(p, w *debug.BuildInfo) { w.Deps = append(w.Deps, mod("example.com/x", "v1")) }, false},
		{"a dependency replaced in one", func(p, w *debug.BuildInfo) { w.Deps[0].Replace = mod("../pdf", "") }, false},
		{"released module version", func(p, w *debug.BuildInfo) {
			p.Settings, w.Settings = p.Settings[1:], w.Settings[1:]
			p.Main.Version, w.Main.Version = "v1.2.0", "v1.2.0"
		}, true},
		{"another module version", func(p, w *debug.BuildInfo) {
			p.Main.Version, w.Main.Version = "v1.2.0", "v1.1.0"
		}, false},
		{"a clean commit", func(p, w *debug.BuildInfo) {
			vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}
			p.Settings, w.Settings = vcs, slices.Clone(vcs)
		}, true},
		{"a commit with changes", func(p, w *debug.BuildInfo) {
			vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}
			p.Settings, w.Settings = vcs, slices.Clone(vcs)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, w := base(), worker()
			tt.change(p, w)
			if got := sameBuild(p, w); got != tt.want {
				t.Errorf("sameBuild = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestExtractBinary builds peermap and peermap-extract as `make build`
// does and checks that peermap extracts PDFs with peermap-extract beside
// it, and with itself when that file is missing, is not a Go program or
// comes from another build.
func TestExtractBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	dir := t.TempDir()
	build := func(out, version string, pkgs ...string) {
		t.Helper()
		args := append([]string{"build", "-ldflags", "-X main.version=" + version, "-o", out}, pkgs...)
		if b, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
	}
	build(dir+"/", "worker-test", ".", "../peermap-extract")
	exe, sib := filepath.Join(dir, "peermap"), filepath.Join(dir, extractBinary)

	var pdf bytes.Buffer
	if err := pdfgen.Write(&pdf, pdfgen.Doc{Title: "Peer navigators", Pages: [][]string{{
		"Peer navigators accompany patients to their appointments."}}}); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "a.pdf"), pdf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// ingest ingests the PDF into a new workspace and returns the
	// workers' command, from the debug log.
	ingest := func(name string) []string {
		t.Helper()
		ws := filepath.Join(dir, "ws-"+name)
		cmd := exec.Command(exe, "-w", ws, "-vv", "-log-json", "ingest", "-json", in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), `"status":"ingested"`) {
			t.Fatalf("%s: peermap ingest: %v\n%s%s", name, err, out, stderr.Bytes())
		}
		for line := range strings.Lines(stderr.String()) {
			var l struct {
				Msg     string
				Command []string
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "PDF extraction workers" {
				return l.Command
			}
		}
		t.Fatalf("%s: no worker command in the debug log:\n%s", name, stderr.Bytes())
		return nil
	}

	self := []string{exe, workerCommand}
	if got := ingest("beside"); !slices.Equal(got, []string{sib}) {
		t.Errorf("with peermap-extract of the same build: worker %q, want %q", got, sib)
	}
	build(sib, "other", "../peermap-extract")
	if got := ingest("other build"); !slices.Equal(got, self) {
		t.Errorf("with peermap-extract of another build: worker %q, want %q", got, self)
	}
	if err := os.WriteFile(sib, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := ingest("not Go"); !slices.Equal(got, self) {
		t.Errorf("with a script as peermap-extract: worker %q, want %q", got, self)
	}
	os.Remove(sib)
	if got := ingest("missing"); !slices.Equal(got, self) {
		t.Errorf("without peermap-extract: worker %q, want %q", got, self)
	}
}
