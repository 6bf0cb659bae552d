package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var (
	demoOnce sync.Once
	demoWS   string
	demoErr  string
)

// demoWorkspace returns a workspace holding the demo corpus, made once for
// the tests of this file.
func demoWorkspace(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "peermap-cli-")
		if err != nil {
			demoErr = err.Error()
			return
		}
		demoWS = filepath.Join(dir, "ws")
		if code, _, errs := peermapQuiet(demoWS, "demo"); code != 0 {
			demoErr = errs
		}
	})
	if demoErr != "" {
		t.Fatalf("demo workspace: %s", demoErr)
	}
	return demoWS
}

// TestCLI is the table of issue 16: what researchers expect of search and of
// the command line.
func TestCLI(t *testing.T) {
	ws := demoWorkspace(t)
	tests := []struct {
		name      string
		args      []string
		code      int
		inStdout  []string
		inStderr  []string
		notStdout []string
	}{
		// Query words are AND'ed; OR and NOT as researchers write them.
		{"words are AND'ed", []string{"search", "-w", ws, "-n", "50", "promotora", "diabetes", "cooking"}, 0, []string{"1 passages match"}, nil, nil},
		{"OR takes either", []string{"search", "-w", ws, "-n", "50", "cooking", "OR", "tribunal"}, 0, []string{"passages match cooking OR tribunal"}, nil, []string{"0 passages"}},
		{"NOT leaves out", []string{"search", "-w", ws, "-n", "50", "promotora", "NOT", "diabetes"}, 0, []string{"passages match"}, nil, []string{"diabetes"}},
		// Filter values are checked; the closest valid values are named.
		{"bad code", []string{"search", "-w", ws, "-code", "role.navgation", "x"}, 2, nil, []string{`unknown code "role.navgation"`, "did you mean role.navigation"}, nil},
		{"bad family", []string{"search", "-w", ws, "-family", "peer navigater", "x"}, 2, nil, []string{`unknown family "peer navigater"`, "did you mean peer navigator"}, nil},
		{"bad language name", []string{"search", "-w", ws, "-lang", "french", "x"}, 2, nil, []string{`unknown lang "french"`, "did you mean fr?"}, nil},
		{"language not in the corpus", []string{"search", "-w", ws, "-lang", "de", "x"}, 2, nil, []string{`unknown lang "de"`}, nil},
		{"bad label inline", []string{"search", "-w", ws, `label:"promotoraa"`}, 2, nil, []string{`unknown label "promotoraa"`, "did you mean promotora"}, nil},
		{"bad kind", []string{"search", "-w", ws, "-kind", "book", "x"}, 2, nil, []string{"want article, grey or record"}, nil},
		{"typo gets a suggestion", []string{"search", "-w", ws, "navigaton"}, 0, []string{"0 passages match", `"navigaton": did you mean navigation`}, nil, nil},
		// Highlights never borrow a character of the document's language.
		{"piped highlights", []string{"search", "-w", ws, "-lang", "fr", "pair", "aidant"}, 0, []string{"[pair"}, nil, []string{"»pair", "pair«"}},
		// Global flags before or after the command name.
		{"global flag after the command", []string{"stats", "-w", ws}, 0, []string{"documents    16 "}, nil, nil},
		{"global flag after the words", []string{"search", "navigation", "-w", ws, "-n", "1"}, 0, []string{"passages match navigation"}, nil, nil},
		// Logs: warnings by default, INFO with -v, DEBUG with -vv.
		{"quiet by default", []string{"index", "-w", ws}, 0, nil, nil, nil},
		{"-v gives INFO", []string{"reindex", "-w", ws, "-v"}, 0, nil, []string{"INFO", "index rebuilt"}, nil},
		{"-vv gives DEBUG", []string{"-vv", "reindex", "-w", ws}, 0, nil, []string{"DEBUG"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := peermapQuiet("", tt.args...)
			if code != tt.code {
				t.Errorf("peermap %q = exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out, errs)
			}
			for _, s := range tt.inStdout {
				if !strings.Contains(out, s) {
					t.Errorf("peermap %q: stdout lacks %q:\n%s", tt.args, s, out)
				}
			}
			for _, s := range tt.inStderr {
				if !strings.Contains(errs, s) {
					t.Errorf("peermap %q: stderr lacks %q:\n%s", tt.args, s, errs)
				}
			}
			for _, s := range tt.notStdout {
				if strings.Contains(strings.ToLower(hitLines(out)), s) {
					t.Errorf("peermap %q: stdout holds %q:\n%s", tt.args, s, out)
				}
			}
			if tt.code == 2 && strings.Count(errs, "Try:") > 1 {
				t.Errorf("peermap %q: more than one hint:\n%s", tt.args, errs)
			}
		})
	}
	// INFO lines never appear without -v.
	_, _, errs := peermapQuiet("", "index", "-w", ws)
	if strings.Contains(errs, "INFO") || strings.Contains(errs, "DEBUG") {
		t.Errorf("index without -v logs INFO or DEBUG:\n%s", errs)
	}
}

// hitLines returns the fragment lines of search output (the cited passages'
// text), not the query echo.
func hitLines(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "   ") && !strings.HasPrefix(l, "   [labels") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestNothingToIngest: inputs are checked before a workspace is made; a
// run that ingests nothing says so, writes no report and exits 1.
func TestNothingToIngest(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	junk := filepath.Join(dir, "junk")
	os.Mkdir(junk, 0o755)
	os.WriteFile(filepath.Join(junk, "empty.pdf"), nil, 0o644) // skipped: empty
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		wsMade bool
	}{
		{"missing path", []string{"run", filepath.Join(dir, "nope")}, 2, "no such file or folder", false},
		{"empty folder", []string{"run", empty}, 1, "no files to ingest", false},
		{"everything excluded", []string{"ingest", "-exclude", "*.pdf", junk}, 1, "no files to ingest", false},
		{"only a skipped file", []string{"run", junk}, 1, "nothing was ingested", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), "ws")
			code, _, errs := peermapQuiet(ws, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("peermap %q = exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.stderr)
			}
			if _, err := os.Stat(ws); (err == nil) != tt.wsMade {
				t.Errorf("peermap %q: workspace made = %v, want %v", tt.args, err == nil, tt.wsMade)
			}
			if reports, _ := filepath.Glob(filepath.Join(ws, "reports", "*")); len(reports) > 0 {
				t.Errorf("peermap %q wrote reports %q", tt.args, reports)
			}
		})
	}
}

// TestExclude: -exclude and .peermapignore leave files out of an ingest.
func TestExclude(t *testing.T) {
	src := shared(t, "corpus/peer/text")
	dir := t.TempDir()
	// A literature folder with its own README and notes, and an ignore file.
	files, _ := filepath.Glob(filepath.Join(src, "ctgov_*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# My review folder\n\nNotes about peer navigators, not literature.\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "notes"), 0o755)
	os.WriteFile(filepath.Join(dir, "notes", "todo.txt"), []byte("Read the peer navigator papers again.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".peermapignore"), []byte("# not literature\nnotes/\n"), 0o644)
	ws := filepath.Join(t.TempDir(), "ws")
	code, out, errs := peermapQuiet(ws, "ingest", "-json", "-exclude", "README.md", dir)
	if code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	if strings.Contains(out, "README.md") || strings.Contains(out, "todo.txt") {
		t.Errorf("excluded files were ingested:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n != len(files) {
		t.Errorf("ingest gave %d results, want %d (the ctgov files)", n, len(files))
	}
	if !regexp.MustCompile(`excluded 1\b`).MatchString(errs) {
		t.Errorf("summary does not count the excluded README: %s", errs)
	}
}

// peermapQuiet runs the CLI in-process like peermap does, with the logger
// the flags make (so log levels can be tested), in workspace ws ("" adds no
// -w), and returns its exit code, stdout and stderr.
func peermapQuiet(ws string, args ...string) (int, string, string) {
	var out, errb strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, prog: "peermap"}
	if ws != "" {
		args = append([]string{"-w", ws}, args...)
	}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}
