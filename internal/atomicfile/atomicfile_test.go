package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/internal/atomicfile"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "sub", "report.md")
	for _, content := range []string{"first", "second, longer"} {
		if err := atomicfile.Write(name, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != content {
			t.Errorf("after Write(%q): file holds %q, %v", content, got, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sub", ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	if err := atomicfile.Write(filepath.Join(name, "under-a-file"), nil); err == nil {
		t.Error("Write under a regular file succeeded")
	}
}

// TestWriteFuncFails: when filling fails, the old file stays whole and no
// temporary file is left.
func TestWriteFuncFails(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "corpus.jsonl")
	if err := atomicfile.Write(name, []byte("old content")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := atomicfile.WriteFunc(name, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("WriteFunc = %v, want the fill error", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "old content" {
		t.Errorf("after a failed WriteFunc the file holds %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
