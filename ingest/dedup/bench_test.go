package dedup_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/ingest/refs"
)

// synergy reads the records of the five SYNERGY datasets, one goroutine
// per file.
func synergy(t testing.TB) []*corpus.Document {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(sharedDir(t, "big"), "*.works.tar.gz"))
	per := make([][]*corpus.Document, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			f, err := os.Open(p)
			if err != nil {
				errs[i] = err
				return
			}
			defer f.Close()
			for d, err := range refs.Read(context.Background(), f, filepath.Base(p), "") {
				if err != nil {
					errs[i] = err
					return
				}
				per[i] = append(per[i], d)
			}
		})
	}
	wg.Wait()
	var docs []*corpus.Document
	for i := range paths {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		docs = append(docs, per[i]...)
	}
	if len(docs) != 3900 {
		t.Fatalf("read %d SYNERGY records, want 3900", len(docs))
	}
	return docs
}

// TestSynergyGroups groups the 3,900 SYNERGY records. The datasets hold a
// few real duplicates (an abstract and its article a year later); every
// group must have a preferred member among its members, and no group may
// chain dozens of records together.
func TestSynergyGroups(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 3,900 records: skipped with -short and under -race")
	}
	docs := synergy(t)
	groups, err := dedup.Groups(context.Background(), docs, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[corpus.DocID]*corpus.Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	foundShiftWork := false
	reasons := map[string]int{}
	for _, g := range groups {
		if len(g.Members) < 2 || len(g.Members) > 6 {
			t.Errorf("group %s has %d members", g.ID, len(g.Members))
		}
		ok := false
		for _, m := range g.Members {
			ok = ok || m == g.Preferred
			if strings.HasPrefix(strings.ToLower(byID[m].Title), "shift work at young age") {
				foundShiftWork = len(g.Members) == 2
			}
		}
		if !ok {
			t.Errorf("group %s: preferred %s is not a member", g.ID, g.Preferred)
		}
		for _, r := range g.Reasons {
			reasons[strings.SplitN(r, " (", 2)[0]]++
		}
		if testing.Verbose() {
			for _, m := range g.Members {
				t.Logf("%s %v %d %s | %s", g.ID, g.Reasons, byID[m].Year, byID[m].DOI, byID[m].Title)
			}
		}
	}
	if !foundShiftWork {
		t.Error(`the two "Shift work at young age..." records (abstract 2012, article 2011, same first author) are not one group`)
	}
	t.Logf("%d records, %d groups; reasons %v", len(docs), len(groups), reasons)
}

// BenchmarkGroups groups the 3,900 SYNERGY records.
func BenchmarkGroups(b *testing.B) {
	docs := synergy(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dedup.Groups(context.Background(), docs, dedup.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// synthetic returns n documents of random words (a fixed seed) plus dups
// near copies of the first dups documents (one word in 40 changed, a new ID,
// no shared DOI), for scale tests.
func synthetic(n, dups int) []*corpus.Document {
	r := rand.New(rand.NewPCG(7, 11))
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx%d", i, r.IntN(1000))
	}
	words := func(k int) []string {
		w := make([]string, k)
		for i := range w {
			w[i] = vocab[r.IntN(len(vocab))]
		}
		return w
	}
	var docs []*corpus.Document
	for i := range n {
		title := strings.Join(words(8), " ")
		text := title + "\n\n" + strings.Join(words(150), " ")
		docs = append(docs, &corpus.Document{ID: corpus.NewDocID([]byte(text)), Kind: corpus.KindRecord, Title: title,
			Year: 1990 + i%30, DOI: fmt.Sprintf("10.1000/s%d", i), Text: text})
	}
	for i := range dups {
		w := strings.Fields(docs[i].Text)
		for j := 20; j < len(w); j += 40 {
			w[j] = "edited"
		}
		text := strings.Join(w, " ")
		docs = append(docs, &corpus.Document{ID: corpus.NewDocID([]byte(text)), Kind: corpus.KindArticle,
			Title: "Preprint of " + docs[i].Title, Year: docs[i].Year - 1, Text: text})
	}
	return docs
}

// TestScale groups 5,000 random documents and 50 near copies: exactly the
// 50 pairs come out.
func TestScale(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("5,050 documents: skipped with -short and under -race")
	}
	docs := synthetic(5000, 50)
	groups, err := dedup.Groups(context.Background(), docs, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 50 {
		t.Fatalf("%d groups, want 50", len(groups))
	}
	for i, g := range groups {
		if len(g.Members) != 2 || !strings.HasPrefix(g.Reasons[0], "near duplicate") {
			t.Errorf("group %d: %+v", i, g)
		}
	}
}

// BenchmarkGroupsSynthetic groups 20,000 random documents and 200 near copies.
func BenchmarkGroupsSynthetic(b *testing.B) {
	docs := synthetic(20000, 200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dedup.Groups(context.Background(), docs, dedup.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// articles returns the documents of the GROBID TEI articles of the peer
// corpus: long texts, as those of PDFs.
func articles(t testing.TB) []*corpus.Document {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(sharedDir(t, "peer/tei"), "*.tei.xml"))
	if len(paths) == 0 {
		t.Skip("no TEI files in ../shared/corpus/peer/tei")
	}
	var docs []*corpus.Document
	for _, p := range paths {
		d, _, err := ingest.File(context.Background(), p, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkNewSketch makes the sketch of each TEI article of the peer
// corpus (what the ingest worker does for each new document).
func BenchmarkNewSketch(b *testing.B) {
	docs := articles(b)
	size := 0
	for _, d := range docs {
		size += len(d.Text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			dedup.NewSketch(d)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkGroupSketches groups the 3,900 SYNERGY records from their
// sketches, metadata set (what every ingest does for the whole corpus).
func BenchmarkGroupSketches(b *testing.B) {
	docs := synergy(b)
	sks := make([]dedup.Sketch, len(docs))
	texts := map[corpus.DocID]string{}
	for i, d := range docs {
		sks[i] = dedup.NewSketch(d)
		texts[d.ID] = d.Text
	}
	text := func(id corpus.DocID) (string, error) { return texts[id], nil }
	b.ReportAllocs()
	for b.Loop() {
		for i := range sks {
			sks[i].Meta(docs[i])
		}
		if _, err := dedup.GroupSketches(context.Background(), sks, text, dedup.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}
