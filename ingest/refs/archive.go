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

	"github.com/peermap/peermap/internal/expand"
)

func newGzip(r io.Reader) (*gzip.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return zr, nil
}

// gunzip opens the gzip stream r and returns its reader, to close, and the
// expanded stream, to read, which fails once it passes e's expansion limits.
func (e *emitter) gunzip(r io.Reader) (*gzip.Reader, io.Reader, error) {
	c := &expand.Counter{R: r}
	zr, err := newGzip(c)
	if err != nil {
		return nil, nil, err
	}
	return zr, expand.NewReader(zr, func() int64 { return c.N }, e.lim.expansion()), nil
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

// member reads one archive member, r, whose compressed bytes packed
// returns: its format is detected from its first bytes and name; members
// that are not reference exports are skipped. Records are numbered on
// across members, in archive order. A member that breaks the expansion
// limits, or is itself an archive, is reported and the others are read.
func (e *emitter) member(r io.Reader, name string, packed func() int64) error {
	lim := e.lim.expansion()
	if packed == nil {
		lim.Ratio = 0 // the archive's stream has its own ratio limit
	}
	br := bufio.NewReaderSize(expand.NewReader(r, packed, lim), headSize)
	head, err := br.Peek(headSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("%s: %w", name, err)
	}
	f := Detect(head, name)
	if f == "" {
		return nil // not an export (README, labels...)
	}
	inner := &emitter{ctx: e.ctx, name: e.name, n: e.n, yield: e.yield, lim: e.lim, nested: true}
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
	zr, x, err := e.gunzip(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	tr := tar.NewReader(x)
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
		if err := e.member(tr, h.Name, nil); err != nil {
			return err
		}
	}
}

// readZip reads the members of a zip archive in directory order. A zip
// needs random access, so the stream is first copied to a temporary file
// (never into memory), of at most the spool limit.
func readZip(r io.Reader, e *emitter) error {
	tmp, err := os.CreateTemp("", "peermap-refs-*.zip")
	if err != nil {
		return fmt.Errorf("spool zip: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(r, e.lim.spool+1))
	if err != nil {
		return fmt.Errorf("spool zip: %w", err)
	}
	if n > e.lim.spool {
		return fmt.Errorf("zip larger than %s: not read", expand.Size(e.lim.spool))
	}
	zr, err := zip.NewReader(tmp, n)
	if err != nil {
		return fmt.Errorf("unzip: %w", err)
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || skipMember(f.Name) {
			continue
		}
		packed := int64(f.CompressedSize64)
		rc, err := f.Open()
		if err == nil {
			err = expand.Check(packed, int64(f.UncompressedSize64), e.lim.expansion())
			if err != nil {
				rc.Close()
			}
		}
		if err != nil {
			// A member that cannot be opened, or declares that it is a
			// bomb, does not stop the others.
			if !e.yield(nil, fmt.Errorf("read %s: %s: %w", e.name, f.Name, err)) {
				e.stopped = true
				return errStop
			}
			continue
		}
		err = e.member(rc, f.Name, func() int64 { return packed })
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
