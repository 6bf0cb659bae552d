package qda_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/qda"
)

// BenchmarkReadQDPX reads the MAXQDA export (codebook of 307 codes, ten
// sources, 520 kB of text). The baseline "unzip" only inflates every entry
// of the archive: read/unzip is the cost of parsing and loading on top.
func BenchmarkReadQDPX(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(shared(b, "corpus/qda"), "maxqda24_icls-themes.qdpx"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("unzip", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := qda.ReadQDPX(bytes.NewReader(data), int64(len(data)), qda.ReadOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExportPlace exports the small coded corpus and places it back:
// the whole stage, store reads included.
func BenchmarkExportPlace(b *testing.B) {
	s := newStore(b)
	codeStore(b, s)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, _, err := qda.Export(ctx, s, vocab, qda.ExportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := qda.WriteQDPX(&buf, p); err != nil {
			b.Fatal(err)
		}
		back, err := qda.ReadQDPX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), qda.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := qda.Place(ctx, s, back, vocab, qda.PlaceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
