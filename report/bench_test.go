package report_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/report"
)

// synthetic returns a corpus of docs documents of per passages each, with
// one or two labels and two to four linked codes per passage, drawn from a
// fixed seed; every tenth pair of documents is a version group.
func synthetic(docs, per int) report.Input {
	v := vocab()
	rng := rand.New(rand.NewPCG(1, 2))
	in := report.Input{Vocab: v, Annotator: "rules@" + v.Version}
	sentence := "Peer workers in this programme accompanied people to services and shared their own experience of recovery. "
	for i := range docs {
		d := &corpus.Document{
			ID: corpus.NewDocID([]byte(fmt.Sprint("doc", i))), Path: fmt.Sprintf("in/doc%04d.pdf", i), Format: "pdf",
			Kind: corpus.KindArticle, Lang: "en", Title: fmt.Sprintf("Synthetic study %d", i),
			Authors: []string{"Author, A", "Author, B", "Author, C"}, Year: 2000 + i%25,
		}
		in.Docs = append(in.Docs, d)
		in.Sources = append(in.Sources, corpus.Source{Path: d.Path, Status: corpus.StatusIngested, Docs: []corpus.DocID{d.ID}})
		if i%10 == 1 {
			prev := in.Docs[i-1].ID
			in.Groups = append(in.Groups, corpus.Group{ID: fmt.Sprint("g", i), Members: []corpus.DocID{prev, d.ID}, Preferred: d.ID})
		}
		off := 0
		for n := range per {
			text := strings.Repeat(sentence, 1+rng.IntN(4))
			p := corpus.Passage{ID: corpus.NewPassageID(d.ID, n), Doc: d.ID, N: n, Page: 1 + n/3, Start: off, End: off + len(text), Text: text}
			off = p.End + 2
			view := corpus.View{Passage: p, Doc: d}
			var fams []string
			for range 1 + rng.IntN(2) {
				l := v.Labels[rng.IntN(len(v.Labels))]
				fams = append(fams, l.Family)
				view.Annotations = append(view.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnLabel, Label: l.Label, Family: l.Family,
					Spans: []corpus.Span{{Start: 0, End: 12}}, Annotator: in.Annotator})
			}
			for range 2 + rng.IntN(3) {
				c := v.Codes[rng.IntN(len(v.Codes))]
				s := rng.IntN(len(text) - 20)
				view.Annotations = append(view.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnCode, Code: c.ID,
					Spans: []corpus.Span{{Start: s, End: s + 10}}, Links: fams, LinkScope: "passage", Annotator: in.Annotator})
			}
			in.Views = append(in.Views, view)
		}
	}
	return in
}

// BenchmarkBuild builds a report of 5,000 passages (500 documents).
func BenchmarkBuild(b *testing.B) {
	in := synthetic(500, 10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := report.Build(context.Background(), in, report.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite writes the report of BenchmarkBuild in each format.
func BenchmarkWrite(b *testing.B) {
	r, err := report.Build(context.Background(), synthetic(500, 10), report.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range formats {
		b.Run(f.ext, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
