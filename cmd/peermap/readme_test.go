package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/internal/golden"
)

// TestReadmeCommands checks README.md against the command table: every
// command is listed with its one-line description, and every command with
// a long help has an example in its help text.
func TestReadmeCommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, c := range commandTable() {
		if !strings.Contains(readme, "| `"+c.name) {
			t.Errorf("README.md's command table lacks %q", c.name)
		}
		if !strings.HasPrefix(strings.TrimSpace(c.help), "Usage: peermap "+c.name) {
			t.Errorf("help of %q does not start with its usage line", c.name)
		}
		if c.name != "version" && c.name != "help" && !strings.Contains(c.help, "Example") {
			t.Errorf("help of %q has no example", c.name)
		}
	}
}

// exampleMarker precedes a ```sh block of README.md whose "$ peermap ..."
// lines are run on the demo workspace by TestReadmeExamples; the lines
// after each command are its output (stdout and stderr, as a terminal
// shows them).
const exampleMarker = "<!-- example: run on the demo corpus by TestReadmeExamples; make readme rewrites it -->"

// TestReadmeExamples runs every marked example of README.md with the real
// command on a fresh demo workspace (made by "peermap -w demo-out demo", as
// make demo does) and fails when README's output differs from the real
// one. With -update it rewrites README's outputs instead (make readme).
func TestReadmeExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo pipeline")
	}
	path, err := filepath.Abs("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if code, out := runLine(t, "peermap -w demo-out demo"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, out)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var b strings.Builder
	examples := 0
	for i := 0; i < len(lines); i++ {
		b.WriteString(lines[i])
		if strings.TrimSpace(lines[i]) != exampleMarker {
			continue
		}
		if i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) != "```sh" {
			t.Fatalf("README.md:%d: the example marker is not followed by a ```sh block", i+1)
		}
		b.WriteString(lines[i+1])
		i += 2
		var want, got strings.Builder
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			want.WriteString(lines[i])
			if cmdline, ok := strings.CutPrefix(lines[i], "$ "); ok {
				got.WriteString(lines[i])
				_, out := runLine(t, strings.TrimSpace(cmdline))
				got.WriteString(out)
				examples++
			}
		}
		if i == len(lines) {
			t.Fatalf("README.md: an example block does not end")
		}
		if got.String() != want.String() && !golden.Updating() {
			t.Errorf("README.md example differs from the real output (make readme rewrites it):\n%s", cmp.Diff(want.String(), got.String()))
		}
		b.WriteString(got.String())
		b.WriteString(lines[i])
	}
	if examples < 8 {
		t.Errorf("README.md has %d marked example commands, want at least 8", examples)
	}
	if golden.Updating() {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runLine runs a README command line ("peermap ARGS", arguments split as a
// shell splits words, single and double quotes kept together) in-process
// and returns its exit code and output.
func runLine(t *testing.T, line string) (int, string) {
	t.Helper()
	args := shellWords(line)
	if len(args) == 0 || args[0] != "peermap" {
		t.Fatalf("README example %q does not start with peermap", line)
	}
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, prog: "peermap", worker: nil,
		now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	code := run(context.Background(), e, args[1:])
	return code, out.String()
}

// shellWords splits s on spaces outside single or double quotes, and drops
// the quotes.
func shellWords(s string) []string {
	var out []string
	var b strings.Builder
	var q rune
	in := false
	for _, r := range s {
		switch {
		case q != 0 && r == q:
			q = 0
		case q != 0:
			b.WriteRune(r)
		case r == '\'' || r == '"':
			q, in = r, true
		case r == ' ':
			if b.Len() > 0 || in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 || in {
		out = append(out, b.String())
	}
	return out
}
