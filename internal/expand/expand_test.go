package expand_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peermap/peermap/internal/expand"
)

// gz compresses n bytes of the repeated pattern p.
func gz(t *testing.T, p string, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := []byte(strings.Repeat(p, 64<<10/len(p)+1))[:64<<10]
	for left := n; left > 0; left -= len(chunk) {
		if _, err := zw.Write(chunk[:min(left, len(chunk))]); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return b.Bytes()
}

// drain reads a gzip stream through a Reader with lim and returns the
// expanded byte count and the error that ended it (nil at EOF).
func drain(t *testing.T, packed []byte, lim expand.Limits) (int64, error) {
	t.Helper()
	c := &expand.Counter{R: bytes.NewReader(packed)}
	zr, err := gzip.NewReader(c)
	if err != nil {
		t.Fatal(err)
	}
	x := expand.NewReader(zr, func() int64 { return c.N }, lim)
	_, err = io.Copy(io.Discard, x)
	return x.N(), err
}

func TestReader(t *testing.T) {
	bomb := gz(t, "\x00", 64<<20)            // 64 MiB of zeros: about 1000 to 1
	text := gz(t, "peer navigator, ", 4<<20) // regular text
	tests := []struct {
		name    string
		packed  []byte
		lim     expand.Limits
		wantErr string // "" means the stream is read to its end
		maxRead int64  // the Reader must stop before reading more than this
	}{
		{"zero limits bound nothing", bomb, expand.Limits{}, "", 64 << 20},
		{"zeros break the ratio", bomb, expand.Limits{Ratio: 100, Slack: 1 << 20}, "expands more than 100 times", 2 << 20},
		{"absolute limit", text, expand.Limits{Max: 1 << 20}, "expands past the limit of 1 MiB", 1<<20 + 64<<10},
		{"slack lets small regular files through", gz(t, "a", 512<<10), expand.Limits{Ratio: 10, Slack: 1 << 20}, "", 512 << 10},
		{"within both limits", text, expand.Limits{Max: 8 << 20, Ratio: 1000, Slack: 1 << 20}, "", 4 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := drain(t, tt.packed, tt.lim)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("read %d bytes, error %v; want the whole stream", n, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("read %d bytes, error %v; want %q", n, err, tt.wantErr)
			case n > tt.maxRead:
				t.Errorf("read %d bytes before stopping, want at most %d", n, tt.maxRead)
			}
			var xe *expand.Error
			if tt.wantErr != "" && !errors.As(err, &xe) {
				t.Errorf("error %T is not an *expand.Error", err)
			}
		})
	}
}

// TestRealArchives: the real exports of ../shared expand about 5 to 1, far
// within the ratio that the ingest stages use (100).
func TestRealArchives(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.gz"))
	if len(files) == 0 {
		t.Skipf("shared data not here (%s)", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := drain(t, b, expand.Limits{Ratio: 20, Slack: 1 << 20}); err != nil {
			t.Errorf("%s: %v after %d bytes", f, err, n)
		}
	}
}

func TestCheck(t *testing.T) {
	lim := expand.Limits{Max: 1 << 30, Ratio: 100, Slack: 1 << 20}
	for _, tt := range []struct {
		packed, expanded int64
		want             string
	}{
		{300 << 10, 300 << 20, "expands more than 100 times (300 MiB from 300 KiB)"},
		{1 << 30, 2 << 30, "expands past the limit of 1 GiB"},
		{1 << 20, 10 << 20, ""},
		{10, 1 << 20, ""}, // within the slack
	} {
		err := expand.Check(tt.packed, tt.expanded, lim)
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("Check(%d, %d) = %v, want %q", tt.packed, tt.expanded, err, tt.want)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KiB", 1536: "1.5 KiB", 8 << 20: "8 MiB", 1 << 30: "1 GiB", 50_000_000: "47.7 MiB"} {
		if got := expand.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
