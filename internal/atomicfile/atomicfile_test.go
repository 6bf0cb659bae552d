package atomicfile_test

import (
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
