package ingest

import (
	"strings"
	"testing"
)

// TestReadSized: a file read into a buffer of its stat size comes out
// whole whether it kept its size, shrank or grew since, and never past the
// limit.
func TestReadSized(t *testing.T) {
	for _, tt := range []struct {
		name        string
		content     string
		size, limit int64
		want        string
	}{
		{"same size", "peer support", 12, 100, "peer support"},
		{"shrank", "peer", 12, 100, "peer"},
		{"grew", "peer support workers", 4, 100, "peer support workers"},
		{"grew past the limit", "peer support workers", 4, 8, "peer sup"},
		{"empty", "", 0, 100, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readSized(strings.NewReader(tt.content), tt.size, tt.limit)
			if err != nil || string(got) != tt.want {
				t.Errorf("readSized(%q, %d, %d) = %q, %v; want %q", tt.content, tt.size, tt.limit, got, err, tt.want)
			}
		})
	}
}
