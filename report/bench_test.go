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

// synthetic returns a corpus of docs documents of per passages each, from
// a fixed seed: each passage is one to four sentences, each naming a label
// and carrying one or two codes linked to its family at sentence scope,
// with confidences from 0.3 to 1; every tenth pair of documents is a
// version group. Each document draws its labels and codes from a few
// "programmes", so that the profiles have structure to cluster.
func synthetic(docs, per int) report.Input {
	v := vocab()
	rng := rand.New(rand.NewPCG(1, 2))
	in := report.Input{Vocab: v, Annotator: "rules@" + v.Version}
	programmes := make([][]corpus.CodeInfo, 8)
	for i := range programmes {
		for range 5 {
			programmes[i] = append(programmes[i], v.Codes[rng.IntN(len(v.Codes))])
		}
	}
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
		prog := programmes[rng.IntN(len(programmes))]
		off := 0
		for n := range per {
			var text strings.Builder
			var anns []corpus.Annotation
			for range 1 + rng.IntN(4) {
				l := v.Labels[rng.IntN(len(v.Labels))]
				if text.Len() > 0 {
					text.WriteByte(' ')
				}
				start := text.Len()
				text.WriteString(strings.ToUpper(l.Label[:1]) + l.Label[1:] + "s in this programme accompanied people to services and shared their own experience of recovery.")
				anns = append(anns, corpus.Annotation{Type: corpus.AnnLabel, Label: l.Label, Family: l.Family,
					Spans: []corpus.Span{{Start: start, End: start + len(l.Label) + 1}}, Annotator: in.Annotator, Confidence: 0.95})
				for range 1 + rng.IntN(2) {
					c := prog[rng.IntN(len(prog))]
					s := start + len(l.Label) + 5 + rng.IntN(60)
					anns = append(anns, corpus.Annotation{Type: corpus.AnnCode, Code: c.ID, Spans: []corpus.Span{{Start: s, End: s + 8}},
						Links: []string{l.Family}, LinkScope: "sentence", Annotator: in.Annotator, Confidence: 0.3 + 0.7*rng.Float64()})
				}
			}
			t := text.String()
			p := corpus.Passage{ID: corpus.NewPassageID(d.ID, n), Doc: d.ID, N: n, Page: 1 + n/3, Start: off, End: off + len(t), Text: t}
			off = p.End + 2
			for j := range anns {
				anns[j].Passage = p.ID
			}
			in.Views = append(in.Views, corpus.View{Passage: p, Doc: d, Annotations: anns})
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
