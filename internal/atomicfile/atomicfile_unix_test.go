//go:build unix

package atomicfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/peermap/peermap/internal/atomicfile"
)

// TestMode checks that files are written 0644 whatever the umask, both new
// files and files that were there before with another mode.
func TestMode(t *testing.T) {
	old := syscall.Umask(0o077) // the strictest usual umask: without Chmod the file would be 0600
	defer syscall.Umask(old)
	dir := t.TempDir()
	tests := []struct {
		name   string
		before os.FileMode // 0: no file before
	}{
		{"new file", 0},
		{"replaces a 0600 file", 0o600},
		{"replaces a 0755 file", 0o755},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(dir, tt.name+".html")
			if tt.before != 0 {
				if err := os.WriteFile(name, []byte("old"), tt.before); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(name, tt.before); err != nil {
					t.Fatal(err)
				}
			}
			if err := atomicfile.Write(name, []byte("<p>report</p>")); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != atomicfile.Mode {
				t.Errorf("Write(%s): mode %v, want %v", filepath.Base(name), got, atomicfile.Mode)
			}
		})
	}
}
