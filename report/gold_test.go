package report_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/report"
)

// goldRecord is one line of ../shared/gold/dev.jsonl: a passage coded by
// hand against the codebook.
type goldRecord struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Doc    string   `json:"doc"`
	Lang   string   `json:"lang"`
	Labels []string `json:"labels"`
	Codes  []string `json:"codes"`
}

// goldInput reads the hand-coded passages of the shared gold file as a
// corpus: one document per source file, one passage per record, label
// families as label annotations (neg:F as negated), codes as human codes
// without links (so they describe the families named in their passage).
func goldInput(t *testing.T) (report.Input, map[corpus.PassageID]corpus.Passage) {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "gold", "dev.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("shared gold file not available (%v); skipping the real-data report test", err)
	}
	defer f.Close()
	in := report.Input{Vocab: vocab(), Annotator: "human:gold"}
	docs := map[string]*corpus.Document{}
	n := map[string]int{}
	offset := map[string]int{}
	byID := map[corpus.PassageID]corpus.Passage{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r goldRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		d := docs[r.Doc]
		if d == nil {
			kind := corpus.KindArticle
			if strings.HasPrefix(r.Doc, "html/") || strings.HasPrefix(r.Doc, "text/") {
				kind = corpus.KindGrey
			}
			d = &corpus.Document{ID: corpus.NewDocID([]byte(r.Doc)), Path: r.Doc, Format: strings.TrimPrefix(filepath.Ext(r.Doc), "."), Kind: kind, Lang: r.Lang}
			docs[r.Doc] = d
			in.Docs = append(in.Docs, d)
			in.Sources = append(in.Sources, corpus.Source{Path: r.Doc, Status: corpus.StatusIngested, Docs: []corpus.DocID{d.ID}})
		}
		p := corpus.Passage{ID: corpus.NewPassageID(d.ID, n[r.Doc]), Doc: d.ID, N: n[r.Doc], Start: offset[r.Doc], Text: r.Text}
		p.End = p.Start + len(r.Text)
		n[r.Doc]++
		offset[r.Doc] = p.End + 2
		v := corpus.View{Passage: p, Doc: d}
		for _, l := range r.Labels {
			neg := strings.HasPrefix(l, "neg:")
			fam := strings.TrimPrefix(l, "neg:")
			if strings.HasPrefix(fam, "other:") {
				continue
			}
			v.Annotations = append(v.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnLabel, Label: fam, Family: fam, Negated: neg, Annotator: "human:gold"})
		}
		for _, c := range r.Codes {
			v.Annotations = append(v.Annotations, corpus.Annotation{Passage: p.ID, Type: corpus.AnnCode, Code: c, Annotator: "human:gold"})
		}
		in.Views = append(in.Views, v)
		byID[p.ID] = p
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return in, byID
}

// TestGoldCorpus builds the report on the shared hand-coded passages (real
// peer-support literature) and checks that it names the families coded
// there, that every quote resolves to its passage, and that every format
// renders.
func TestGoldCorpus(t *testing.T) {
	in, byID := goldInput(t)
	r := build(t, in, report.Options{MinDocs: 2})
	var names []string
	for _, u := range slices.Concat(r.Units, r.Rare) {
		names = append(names, u.Name)
	}
	t.Logf("%d passages, %d works, families: %s", r.Flow.Passages, r.Flow.Works, strings.Join(names, ", "))
	if len(names) < 7 {
		t.Errorf("report names %d label families (%v), want the 7 coded in the gold file", len(names), names)
	}
	if len(r.Units) < 3 {
		t.Errorf("only %d families named in 2 or more works", len(r.Units))
	}
	// The gold file gives labels and codes without spans: the report counts
	// the human codes for the labels of their passage, but has no span to
	// quote, so it quotes nothing rather than a passage without its label.
	if q := r.Quotes(); len(q) != 0 {
		t.Errorf("%d quotes from passages coded without spans, want none: %+v", len(q), q[0])
	}
	if len(r.Configurations) < 2 {
		t.Errorf("%d configurations from the hand-coded passages, want at least 2", len(r.Configurations))
	}
	for _, f := range r.Findings {
		if len(f.Works) == 0 {
			t.Errorf("finding %q cites no work", f.Text)
		}
	}
	t.Logf("%d configurations from %d profiles; first finding: %s", len(r.Configurations), r.Method.Clustering.Profiles, r.Findings[0].Text)
	checkQuotes(t, r, byID)
	for _, f := range formats {
		b := render(t, r, f.write)
		if len(b) == 0 {
			t.Errorf("%s: empty output", f.ext)
		}
		if f.ext == "html" && (bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte(`src="http`))) {
			t.Error("html report is not self-contained")
		}
	}
}
