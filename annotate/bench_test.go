package annotate_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// synergyAbstracts reads the SYNERGY OpenAlex exports (tar.gz of JSON
// arrays of works) and returns each abstract, rebuilt from its inverted
// index, as one passage.
func synergyAbstracts(tb testing.TB) []corpus.Passage {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "big", "*.works.tar.gz"))
	if len(files) == 0 {
		tb.Skip("no SYNERGY exports in ../../shared/corpus/big")
	}
	var ps []corpus.Passage
	for _, f := range files {
		ps = append(ps, readWorks(tb, f)...)
	}
	return ps
}

func readWorks(tb testing.TB, path string) []corpus.Passage {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	tr := tar.NewReader(zr)
	var ps []corpus.Passage
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("read %s: %v", path, err)
		}
		if !strings.HasSuffix(h.Name, ".json") {
			continue
		}
		var works []struct {
			ID       string           `json:"id"`
			Abstract map[string][]int `json:"abstract_inverted_index"`
		}
		if err := json.NewDecoder(tr).Decode(&works); err != nil {
			tb.Fatalf("read %s %s: %v", path, h.Name, err)
		}
		for _, w := range works {
			text := rebuild(w.Abstract)
			if text == "" {
				continue
			}
			doc := corpus.DocID(w.ID)
			ps = append(ps, corpus.Passage{ID: corpus.NewPassageID(doc, 0), Doc: doc, Text: text, End: len(text)})
		}
	}
	return ps
}

func rebuild(inv map[string][]int) string {
	type wp struct {
		pos  int
		word string
	}
	var ws []wp
	for w, ps := range inv {
		for _, p := range ps {
			ws = append(ws, wp{p, w})
		}
	}
	slices.SortFunc(ws, func(a, b wp) int { return a.pos - b.pos })
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.word
	}
	return strings.Join(parts, " ")
}

// BenchmarkTag tags every SYNERGY abstract as one passage of its own
// document, on one goroutine, and reports passages per second.
func BenchmarkTag(b *testing.B) {
	ps := synergyAbstracts(b)
	for _, c := range []struct {
		name string
		tg   *annotate.Tagger
	}{{"model", tagger(b)}, {"rules", rulesTagger(b)}} {
		b.Run(c.name, func(b *testing.B) { benchTag(b, c.tg, ps) })
	}
}

// benchTag tags each passage alone, as the store's documents of one
// abstract are.
func benchTag(b *testing.B, tg *annotate.Tagger, ps []corpus.Passage) {
	doc := &corpus.Document{Lang: "en"}
	bytes := 0
	for _, p := range ps {
		bytes += len(p.Text)
	}
	for i := range ps {
		tg.Tag(doc, ps[i:i+1])
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		for i := range ps {
			tg.Tag(doc, ps[i:i+1])
		}
		n += len(ps)
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "passages/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "passages/cpu-s")
	}
	b.ReportMetric(float64(len(ps)), "passages")
}

func TestSynergyAbstracts(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the SYNERGY exports")
	}
	path := filepath.Join("..", "..", "shared", "corpus", "big", "synergy_Nelson_2002.works.tar.gz")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("SYNERGY export absent: %v", err)
	}
	ps := readWorks(t, path)
	if len(ps) < 100 {
		t.Fatalf("%d abstracts in %s, want hundreds", len(ps), path)
	}
	tg := tagger(t)
	labelled := 0
	for _, p := range ps[:min(len(ps), 1000)] {
		for _, a := range tg.Tag(nil, []corpus.Passage{p}) {
			for _, s := range a.Spans {
				if s.Start < 0 || s.End > len(p.Text) || s.Start >= s.End {
					t.Fatalf("%s: span %+v outside the text", p.ID, s)
				}
			}
			if a.Type == corpus.AnnLabel {
				labelled++
			}
		}
	}
	t.Logf("%d abstracts, %d label mentions in the first 1000", len(ps), labelled)
}

// BenchmarkTrain fits the model on the embedded training set.
func BenchmarkTrain(b *testing.B) {
	ex, err := annotate.DefaultTrainSet()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := annotate.Train(context.Background(), annotate.Default(), ex, annotate.DefaultTrainOptions); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ex)), "examples")
}
