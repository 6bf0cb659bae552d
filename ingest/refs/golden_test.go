package refs_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/internal/golden"
)

// TestGolden writes the first three records of every meta file, and of one
// SYNERGY dataset, as JSON and compares them with testdata/golden/<file>.json
// (go test ./ingest/refs -run TestGolden -update rewrites them). Abstract
// and text are written as a digest (start, length, hash), so the golden
// files hold no third-party abstract.
func TestGolden(t *testing.T) {
	dir := corpusDir(t, "meta")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{}
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	paths = append(paths, filepath.Join(corpusDir(t, "big"), "synergy_Nelson_2002.works.tar.gz"))
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			docs := readN(t, p, "", 3)
			var got []docJSON
			for _, d := range docs {
				b, _ := json.Marshal(d)
				var dj docJSON
				json.Unmarshal(b, &dj)
				delete(dj, "added")
				// Abstracts and texts are not ours to copy: keep their start,
				// length and hash.
				if a, ok := dj["abstract"].(string); ok {
					dj["abstract"] = digest(a)
				}
				dj["text"] = digest(d.Text)
				got = append(got, dj)
			}
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", name+".json"), append(b, '\n'))
		})
	}
}

// docJSON is a Document as JSON.
type docJSON map[string]any

// digest stands for a long text: its first 40 runes, its length in bytes
// and the start of its SHA-256.
func digest(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		r = r[:40]
	}
	sum := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%s… (%d bytes, sha256 %x)", string(r), len(s), sum[:6])
}
