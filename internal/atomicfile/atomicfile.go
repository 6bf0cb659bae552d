// Package atomicfile writes files so that readers see either the old
// content or the new, never a part, and so that a crash right after a
// write returns does not lose the new content: it writes a temporary file
// in the same folder, syncs it, renames it over the target and syncs the
// folder. Files are written with mode 0644 (readable by everyone, like a
// file made by a text editor), whatever the process umask says.
package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission of the files Write and WriteFunc make.
const Mode os.FileMode = 0o644

// Write writes data to name atomically with mode Mode, creating name's
// folder if needed. When it returns nil, the data and the rename have been
// flushed to stable storage (as far as the file system honours fsync).
func Write(name string, data []byte) error {
	return WriteFunc(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc is Write for content that is streamed: fill writes it to w
// (buffered). If fill fails, name is left as it was.
func WriteFunc(name string, fill func(w io.Writer) error) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := fill(bw); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	// CreateTemp makes the file 0600; Chmod is not masked by the umask.
	if err := tmp.Chmod(Mode); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return syncDir(dir)
}

// syncDir flushes the folder entry of a rename to stable storage.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
