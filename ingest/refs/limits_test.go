package refs

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
)

// TestLimits reads small files with lowered limits, for the limits that the
// real ones (1 GiB) make too slow to reach in a test: the absolute expansion
// limit, the zip spool, and a zip member that cannot be opened.
func TestLimits(t *testing.T) {
	var ris strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&ris, "TY  - JOUR\nTI  - Record %d on peer support %x\nER  - \n", i, i*7919)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(ris.String()))
	zw.Close()

	var zbuf bytes.Buffer
	z := zip.NewWriter(&zbuf)
	w, _ := z.Create("a.ris")
	w.Write([]byte(ris.String()))
	z.Close()

	// A zip whose first member claims an unknown compression method.
	var odd bytes.Buffer
	z = zip.NewWriter(&odd)
	z.RegisterCompressor(99, func(out io.Writer) (io.WriteCloser, error) { return nopCloser{out}, nil })
	w, _ = z.CreateHeader(&zip.FileHeader{Name: "odd.ris", Method: 99})
	w.Write([]byte("TY  - JOUR\nTI  - Odd\nER  - \n"))
	w, _ = z.Create("good.ris")
	w.Write([]byte("TY  - JOUR\nTI  - Good\nER  - \n"))
	z.Close()

	lim := defaultLimits()
	small := lim
	small.expand, small.spool = 256<<10, 64<<10
	tests := []struct {
		name    string
		data    []byte
		lim     limits
		recs    int    // records wanted
		wantErr string // "" means none
	}{
		{"x.ris.gz", gz.Bytes(), lim, 20000, ""},
		{"x.ris.gz", gz.Bytes(), small, strings.Count(ris.String()[:256<<10], "ER  - \n"), "expands past the limit of 256 KiB"},
		{"x.zip", zbuf.Bytes(), lim, 20000, ""},
		{"x.zip", zbuf.Bytes(), small, 0, "zip larger than 64 KiB: not read"},
		{"odd.zip", odd.Bytes(), lim, 1, "odd.ris: zip: unsupported compression algorithm"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.name, tt.lim.expand), func(t *testing.T) {
			n := 0
			var errs []string
			for d, err := range read(context.Background(), bytes.NewReader(tt.data), tt.name, "", tt.lim) {
				if err != nil {
					errs = append(errs, err.Error())
					continue
				}
				if d.Skip == corpus.NotSkipped {
					n++
				}
			}
			// A record cut by the limit may or may not be the last whole one.
			if n < tt.recs-1 || n > tt.recs {
				t.Errorf("%d whole records, want %d", n, tt.recs)
			}
			var want []string
			if tt.wantErr != "" {
				want = []string{tt.wantErr}
			}
			for i := range errs {
				if i < len(want) && strings.Contains(errs[i], want[i]) {
					errs[i] = want[i]
				}
			}
			if diff := cmp.Diff(want, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// TestUTF8ReaderLongLines: a line longer than the read buffer is converted
// piece by piece, each piece ending at a character boundary, so a long
// UTF-8 line (a CSL-JSON file on one line) comes out unchanged and a long
// Windows-1252 line comes out as the whole line decoded would.
func TestUTF8ReaderLongLines(t *testing.T) {
	utf := strings.Repeat("pairs aidants é 你好 😀 ", 20000) // 500 KB, characters of 1 to 4 bytes across every buffer end
	latin := strings.Repeat("pair aidant \xe9t\xe9 ", 20000)
	for _, tt := range []struct{ name, in, want string }{
		{"utf8", utf + "\n" + utf, utf + "\n" + utf},
		{"windows-1252", latin + "\nok é\n", string(toUTF8([]byte(latin))) + "\nok é\n"},
		{"bom", "\xef\xbb\xbf" + utf, utf},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := io.ReadAll(newUTF8Reader(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("converted %d bytes differ from the %d wanted", len(b), len(tt.want))
			}
		})
	}
}
