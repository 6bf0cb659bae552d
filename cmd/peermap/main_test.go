package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

// TestMain lets the test binary stand in for the peermap binary as the
// extraction worker: tests start it with PEERMAP_TEST_WORKER=1.
func TestMain(m *testing.M) {
	if os.Getenv("PEERMAP_TEST_WORKER") == "1" {
		os.Exit(runWorker(context.Background(), os.Stdin, os.Stdout, os.Stderr))
	}
	code := m.Run()
	if peerWS != "" {
		os.RemoveAll(filepath.Dir(peerWS)) // the shared workspace of peer_test.go
	}
	os.Exit(code)
}

// peermap runs the CLI in-process in workspace dir and returns its exit
// code, stdout and stderr.
func peermap(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, log: zap.NewNop(),
		now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	code := run(context.Background(), e, append([]string{"-w", dir}, args...))
	return code, out.String(), errb.String()
}

// shared returns the path of ../shared/<rel> from the repository root, or
// skips the test if the shared corpus is absent.
func shared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared corpus not found at %s: tests on real files are skipped", p)
	}
	return p
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"no command", nil, 2, "", "Commands:"},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help lists commands", []string{"help"}, 0, "ingest", ""},
		{"help of a command", []string{"help", "search"}, 0, "-label", ""},
		{"version", []string{"version"}, 0, "peermap ", ""},
		{"ingest without path", []string{"ingest"}, 2, "", "no PATH"},
		{"bad kind", []string{"ingest", "-kind", "book", "x"}, 2, "", "want article, grey or record"},
		{"bad flag", []string{"search", "-nope"}, 2, "", "flag provided but not defined"},
		{"search before init", []string{"search", "x"}, 1, "", ""},
		{"stats before init", []string{"stats"}, 1, "", "run PATH..."},
		{"bad year", []string{"search", "-year", "2024..2010", "x"}, 2, "", "start after end"},
		{"bad dim", []string{"search", "-dim", "colour", "x"}, 2, "", `unknown dim "colour"`},
		{"bad dim close to one", []string{"search", "-dim", "rol", "x"}, 2, "", "did you mean role?"},
		{"report format", []string{"report", "-format", "pdf"}, 2, "", "want md, html, csv or json"},
		{"eval without gold", []string{"eval"}, 2, "", "-gold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := peermap(t, filepath.Join(t.TempDir(), "ws"), tt.args...)
			if code != tt.code {
				t.Errorf("peermap %q exit code = %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out, errs)
			}
			if !strings.Contains(out, tt.inStdout) {
				t.Errorf("peermap %q stdout = %q, want it to contain %q", tt.args, out, tt.inStdout)
			}
			if !strings.Contains(errs, tt.inStderr) {
				t.Errorf("peermap %q stderr = %q, want it to contain %q", tt.args, errs, tt.inStderr)
			}
		})
	}
}

func decodeLines[T any](t *testing.T, s string) []T {
	t.Helper()
	var out []T
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		out = append(out, v)
	}
	return out
}
