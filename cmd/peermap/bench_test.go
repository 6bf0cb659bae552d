package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/ingest/refs"
)

// synergy reads the five SYNERGY exports into memory once.
func synergy(b *testing.B) map[string][]byte {
	b.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "big")
	files, _ := filepath.Glob(filepath.Join(dir, "*.works.tar.gz"))
	if len(files) == 0 {
		b.Skipf("no SYNERGY exports in %s: benchmark skipped", dir)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out[f] = data
	}
	return out
}

// parseSynergy reads every record and splits it into passages.
func parseSynergy(b *testing.B, files map[string][]byte, split bool) ([]*corpus.Document, [][]corpus.Passage) {
	var docs []*corpus.Document
	var ps [][]corpus.Passage
	for name, data := range files {
		format := refs.Detect(data[:min(len(data), 64<<10)], name)
		for d, err := range refs.Read(context.Background(), bytes.NewReader(data), name, format) {
			if err != nil {
				b.Fatal(err)
			}
			if d.Skip != corpus.NotSkipped {
				continue
			}
			docs = append(docs, d)
			if split {
				ps = append(ps, ingest.Split(d, ingest.SplitOptions{}))
			}
		}
	}
	return docs, ps
}

// BenchmarkSynergyParse measures reading the five SYNERGY datasets (3,900
// OpenAlex records, abstracts rebuilt from inverted indexes): records/s.
func BenchmarkSynergyParse(b *testing.B) {
	files := synergy(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		docs, _ := parseSynergy(b, files, false)
		n += len(docs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkSynergyPipeline measures parsing + splitting + annotating +
// indexing (in-memory bleve) of the SYNERGY records, and reports the rate of
// each phase in the same run: records/s overall, and the annotator's
// passages/s against bleve's on the same passages (tag/index ratio).
func BenchmarkSynergyPipeline(b *testing.B) {
	files := synergy(b)
	tagger, err := annotate.New(annotate.Default(), annotate.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var records, passages int
	var parseT, tagT, indexT time.Duration
	for b.Loop() {
		t0 := time.Now()
		docs, pss := parseSynergy(b, files, true)
		t1 := time.Now()
		annsOf := make([][]corpus.Annotation, len(docs))
		for i, d := range docs {
			annsOf[i] = tagger.Tag(d, pss[i])
		}
		t2 := time.Now()
		var views []corpus.View // untimed: joining passages and annotations
		for i, d := range docs {
			by := map[corpus.PassageID][]corpus.Annotation{}
			for _, a := range annsOf[i] {
				by[a.Passage] = append(by[a.Passage], a)
			}
			meta := *d
			meta.Text = ""
			for _, p := range pss[i] {
				views = append(views, corpus.View{Passage: p, Doc: &meta, Annotations: by[p.ID]})
			}
		}
		t3 := time.Now()
		ix, err := index.New(index.Options{BatchSize: 2000})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Add(context.Background(), views); err != nil {
			b.Fatal(err)
		}
		ix.Close()
		t4 := time.Now()
		parseT += t1.Sub(t0)
		tagT += t2.Sub(t1)
		indexT += t4.Sub(t3)
		records += len(docs)
		passages += len(views)
	}
	total := parseT + tagT + indexT
	b.ReportMetric(float64(records)/total.Seconds(), "records/s")
	b.ReportMetric(float64(records)/parseT.Seconds(), "parse-records/s")
	b.ReportMetric(float64(passages)/tagT.Seconds(), "tag-passages/s")
	b.ReportMetric(float64(passages)/indexT.Seconds(), "index-passages/s")
	b.ReportMetric(indexT.Seconds()/tagT.Seconds(), "tag/index-speed")
}
