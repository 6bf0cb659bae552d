package annotate_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenDev tags, for each code, the first two passages of the dev
// gold file coded with it, and compares the annotations with
// testdata/tag/<dimension>.golden.jsonl (the passages themselves stay in
// ../shared; only the tagger's output is kept here). The codebook version
// is written as <version> and the model's hash as <model>, so that the
// files show what changed.
func TestGoldenDev(t *testing.T) {
	gold := readGold(t, "dev.jsonl")
	cb := annotate.Default()
	tg := tagger(t)
	for _, dim := range cb.Dimensions {
		t.Run(dim.ID, func(t *testing.T) {
			var picked []annotate.Gold
			for _, c := range dim.Categories {
				n := 0
				for _, g := range gold {
					if n < 2 && slices.Contains(g.Codes, c.ID) && !slices.ContainsFunc(picked, func(p annotate.Gold) bool { return p.ID == g.ID }) {
						picked = append(picked, g)
						n++
					}
				}
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for _, g := range picked {
				doc := &corpus.Document{ID: corpus.DocID(g.ID), Lang: g.Lang}
				for _, a := range tg.Tag(doc, []corpus.Passage{{ID: corpus.PassageID(g.ID), Text: g.Text, End: len(g.Text)}}) {
					a.Annotator = strings.ReplaceAll(a.Annotator, cb.Version(), "<version>")
					if m := tg.Model(); m != nil {
						a.Annotator = strings.ReplaceAll(a.Annotator, m.Hash(), "<model>")
					}
					a.Codebook = "<version>"
					if err := enc.Encode(a); err != nil {
						t.Fatal(err)
					}
				}
			}
			path := filepath.Join("testdata", "tag", dim.ID+".golden.jsonl")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./annotate -run TestGoldenDev -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("annotations differ from %s (run with -update and review the diff):\n%s", path, firstDiff(string(want), buf.String()))
			}
		})
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "want: " + a + "\ngot:  " + b
		}
	}
	return ""
}
