package refs_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/internal/golden"
)

// TestGolden writes the first three records of every meta file, and of one
// SYNERGY dataset, as JSON and compares them with testdata/golden/<file>.json
// (go test ./ingest/refs -run TestGolden -update rewrites them).
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
			docs := readAll(t, p, "")
			if len(docs) > 3 {
				docs = docs[:3]
			}
			type out struct {
				*docJSON
				Text string `json:"text"`
			}
			var got []out
			for _, d := range docs {
				got = append(got, out{(*docJSON)(nil), d.Text})
				b, _ := json.Marshal(d)
				var dj docJSON
				json.Unmarshal(b, &dj)
				got[len(got)-1].docJSON = &dj
			}
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", name+".json"), append(b, '\n'))
		})
	}
}

// docJSON is a Document as JSON, without the Added time (always zero here).
type docJSON map[string]any

func (d *docJSON) MarshalJSON() ([]byte, error) {
	m := map[string]any(*d)
	delete(m, "added")
	return json.Marshal(m)
}
