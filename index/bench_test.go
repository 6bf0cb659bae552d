package index_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

var (
	teiDir  = filepath.Join("..", "..", "shared", "corpus", "peer", "tei")
	bigDir  = filepath.Join("..", "..", "shared", "corpus", "big")
	teiPara = regexp.MustCompile(`(?s)<p\b[^>]*>(.*?)</p>`)
	anyTag  = regexp.MustCompile(`<[^>]+>`)
	spaces  = regexp.MustCompile(`\s+`)
)

// benchViews returns real passages: the paragraphs of the shared plain-text
// and TEI sources and the abstracts of two SYNERGY sets. Passages that name
// peers get the label "peer worker", so filters have something to select.
func benchViews(b *testing.B) []corpus.View {
	b.Helper()
	peer := regexp.MustCompile(`(?i)\bpeers?\b`)
	label := func(_, para string) []string {
		if peer.MatchString(para) {
			return []string{"peer worker"}
		}
		return nil
	}
	vs := realViews(b, label)
	add := func(doc *corpus.Document, paras []string) {
		n := 0
		for _, p := range paras {
			p = strings.TrimSpace(spaces.ReplaceAllString(p, " "))
			if len(p) < 40 {
				continue
			}
			v := corpus.View{Passage: corpus.Passage{ID: corpus.NewPassageID(doc.ID, n), Doc: doc.ID, N: n, Text: p}, Doc: doc}
			for _, l := range label("", p) {
				v.Annotations = append(v.Annotations, corpus.Annotation{Type: corpus.AnnLabel, Label: l, Family: l, Annotator: "rules@bench"})
			}
			vs = append(vs, v)
			n++
		}
	}
	teis, _ := filepath.Glob(filepath.Join(teiDir, "*.tei.xml"))
	for _, f := range teis {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		var paras []string
		for _, m := range teiPara.FindAllSubmatch(raw, -1) {
			paras = append(paras, html.UnescapeString(anyTag.ReplaceAllString(string(m[1]), "")))
		}
		add(&corpus.Document{ID: corpus.NewDocID(raw), Path: f, Kind: corpus.KindArticle, Lang: "en"}, paras)
	}
	for _, set := range []string{"synergy_Nelson_2002", "synergy_van_der_Valk_2021"} {
		for _, w := range synergyWorks(b, filepath.Join(bigDir, set+".works.tar.gz")) {
			add(&corpus.Document{ID: corpus.NewDocID([]byte(w.ID)), Path: w.ID, Kind: corpus.KindRecord, Lang: "en", Title: w.Title, Year: w.Year},
				[]string{w.abstract()})
		}
	}
	return vs
}

type work struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Year     int              `json:"publication_year"`
	Inverted map[string][]int `json:"abstract_inverted_index"`
}

// abstract rebuilds the text of an OpenAlex inverted abstract.
func (w work) abstract() string {
	var words []string
	for word, at := range w.Inverted {
		for _, i := range at {
			if i >= 0 && i < 100000 {
				if i >= len(words) {
					words = append(words, make([]string, i+1-len(words))...)
				}
				words[i] = word
			}
		}
	}
	return strings.Join(slices.DeleteFunc(words, func(s string) bool { return s == "" }), " ")
}

// synergyWorks reads the OpenAlex works of a SYNERGY tar.gz of JSON arrays.
func synergyWorks(b testing.TB, path string) []work {
	f, err := os.Open(path)
	if err != nil {
		b.Logf("skipping %s: %v", path, err)
		return nil
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []work
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			b.Fatal(err)
		}
		if !strings.HasSuffix(h.Name, ".json") {
			continue
		}
		var ws []work
		if err := json.NewDecoder(tr).Decode(&ws); err != nil {
			b.Fatalf("%s: %s: %v", path, h.Name, err)
		}
		out = append(out, ws...)
	}
}

func BenchmarkAdd(b *testing.B) {
	vs := benchViews(b)
	ctx := context.Background()
	for _, bc := range []struct {
		where string
		batch int
	}{{"mem", 0}, {"disk", 0}, {"disk", 2000}} {
		where := bc.where
		opts := index.Options{BatchSize: bc.batch}
		b.Run(fmt.Sprintf("%s/batch=%d/passages=%d", where, max(bc.batch, 500), len(vs)), func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			var size int64
			cpu0 := cpuTime()
			for b.Loop() {
				var ix *index.Index
				var err error
				dir := filepath.Join(b.TempDir(), fmt.Sprint("ix", n))
				if where == "mem" {
					ix, err = index.New(opts)
				} else {
					ix, err = index.Create(dir, opts)
				}
				if err != nil {
					b.Fatal(err)
				}
				if err := ix.Add(ctx, vs); err != nil {
					b.Fatal(err)
				}
				if err := ix.Close(); err != nil {
					b.Fatal(err)
				}
				if where == "disk" {
					size = dirSize(b, dir)
				}
				n++
			}
			// The machine may be shared: CPU time says more than wall time.
			b.ReportMetric(float64(n*len(vs))/b.Elapsed().Seconds(), "passages/s")
			b.ReportMetric(float64(n*len(vs))/(cpuTime()-cpu0).Seconds(), "passages/cpu-s")
			if size > 0 {
				b.ReportMetric(float64(size)/(1<<20), "MiB-on-disk")
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	vs := benchViews(b)
	ctx := context.Background()
	ix, err := index.New(index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Add(ctx, vs); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d passages indexed", len(vs))
	for _, bc := range []struct {
		name string
		q    corpus.Query
	}{
		{"term", corpus.Query{Text: "support"}},
		{"phrase", corpus.Query{Text: `"peer support"`}},
		{"bool", corpus.Query{Text: `+peer +support -group`}},
		{"filtered", corpus.Query{Text: "support", Labels: []string{"peer worker"}, Kinds: []corpus.Kind{corpus.KindArticle, corpus.KindGrey}, Langs: []string{"en"}}},
		{"year", corpus.Query{Text: "depression", YearFrom: 2000, YearTo: 2020}},
		{"facets", corpus.Query{Text: "support", Facets: true}},
		{"all-facets", corpus.Query{Facets: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var total uint64
			for b.Loop() {
				res, err := ix.Search(ctx, bc.q)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}

// cpuTime returns the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
