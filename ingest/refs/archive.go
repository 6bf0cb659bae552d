package refs

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

func newGzip(r io.Reader) (*gzip.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return zr, nil
}

// gunzipHead returns as much of the decompressed start of a gzip stream as
// head (a prefix of the file) holds, up to 64 KiB.
func gunzipHead(head []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(zr, headSize))
	return out
}

// member reads one archive member: its format is detected from its first
// bytes and name; members that are not reference exports are skipped.
// Records are numbered on across members, in archive order.
func (e *emitter) member(r io.Reader, name string) error {
	br := bufio.NewReaderSize(io.LimitReader(r, maxArchiveMember), headSize)
	head, err := br.Peek(headSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("%s: %w", name, err)
	}
	f := Detect(head, name)
	if f == "" || f == FormatZip || f == FormatTarGz {
		return nil // not an export (README, labels...) or a nested archive
	}
	inner := &emitter{ctx: e.ctx, name: e.name, n: e.n, yield: e.yield}
	err = inner.read(br, name, f)
	e.n, e.stopped = inner.n, inner.stopped
	if e.stopped {
		return errStop
	}
	if err != nil {
		// A broken member does not stop the others.
		if !e.yield(nil, fmt.Errorf("read %s: %s: %w", e.name, name, err)) {
			e.stopped = true
			return errStop
		}
	}
	return nil
}

// readTarGz reads the members of a gzip-compressed tar in order.
func readTarGz(r io.Reader, e *emitter) error {
	zr, err := newGzip(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("untar: %w", err)
		}
		if h.Typeflag != tar.TypeReg || skipMember(h.Name) {
			continue
		}
		if err := e.member(tr, h.Name); err != nil {
			return err
		}
	}
}

// readZip reads the members of a zip archive in directory order. A zip
// needs random access, so the stream is first copied to a temporary file
// (never into memory).
func readZip(r io.Reader, e *emitter) error {
	tmp, err := os.CreateTemp("", "peermap-refs-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, r)
	if err != nil {
		return fmt.Errorf("copy zip: %w", err)
	}
	zr, err := zip.NewReader(tmp, n)
	if err != nil {
		return fmt.Errorf("unzip: %w", err)
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || skipMember(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("unzip %s: %w", f.Name, err)
		}
		err = e.member(rc, f.Name)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// skipMember reports whether an archive member is metadata of the archiver
// (macOS resource forks, hidden files).
func skipMember(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._") || strings.HasPrefix(base, ".")
}
