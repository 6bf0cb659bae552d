package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/testtool"
)

// goldRow is a line of ../shared/gold/dev.jsonl.
type goldRow struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Doc    string   `json:"doc"`
	Labels []string `json:"labels"`
	Codes  []string `json:"codes"`
	Note   string   `json:"note"`
}

// placeGold gives coder "gold" the codes of dev.jsonl, each on the span of
// the passage where the gold text is found (by text: the gold file names
// the document by path and quotes the text), with its note as a memo; and
// coder "ana" the first code of every fifth placed row, on the whole
// passage. It returns how many rows were placed.
func placeGold(t *testing.T, storePath, goldPath string) int {
	t.Helper()
	s, err := corpus.Open(storePath, corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, err := s.Documents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(goldPath)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	version := annotate.Default().Version()
	type key struct {
		coder string
		p     corpus.PassageID
	}
	acc := map[key][]corpus.Annotation{}
	var order []key
	add := func(k key, a corpus.Annotation) {
		if _, ok := acc[k]; !ok {
			order = append(order, k)
		}
		a.Passage, a.Annotator, a.Codebook, a.Confidence = k.p, "human:"+k.coder, version, 1
		acc[k] = append(acc[k], a)
	}
	placed, rows := 0, 0
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var g goldRow
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		rows++
		i := slices.IndexFunc(docs, func(d *corpus.Document) bool { return strings.HasSuffix(filepath.ToSlash(d.Path), "/"+g.Doc) })
		if i < 0 {
			continue
		}
		d, err := s.Document(docs[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		at := strings.Index(d.Text, g.Text)
		if at < 0 || len(g.Codes)+len(g.Labels) == 0 {
			continue
		}
		ps, err := s.Passages(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		j := slices.IndexFunc(ps, func(p corpus.Passage) bool { return at >= p.Start && at < p.End })
		if j < 0 {
			continue
		}
		p := ps[j]
		sp := []corpus.Span{{Start: at - p.Start, End: min(at+len(g.Text), p.End) - p.Start}}
		if sp[0].Start == 0 && sp[0].End == len(p.Text) {
			sp = nil // the whole passage
		}
		note := strings.TrimSpace(g.Note)
		k := key{"gold", p.ID}
		for _, c := range g.Codes {
			add(k, corpus.Annotation{Type: corpus.AnnCode, Code: c, Spans: sp, Note: note})
			note = ""
		}
		for _, l := range g.Labels {
			if strings.HasPrefix(l, "other:") {
				continue
			}
			fam, neg := strings.CutPrefix(l, "neg:")
			add(k, corpus.Annotation{Type: corpus.AnnLabel, Label: fam, Family: fam, Negated: neg, Spans: sp, Note: note})
			note = ""
		}
		if placed%5 == 0 && len(g.Codes) > 0 {
			add(key{"ana", p.ID}, corpus.Annotation{Type: corpus.AnnCode, Code: g.Codes[0]})
		}
		placed++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, k := range order {
		anns := acc[k]
		// Two gold rows on one passage: one annotation per code, spans merged.
		merged := map[string]*corpus.Annotation{}
		var out []corpus.Annotation
		for _, a := range anns {
			mk := a.Type + "\x00" + a.Code + "\x00" + a.Family + "\x00" + strings.Repeat("n", boolInt(a.Negated))
			if m, ok := merged[mk]; ok {
				if m.Spans == nil || a.Spans == nil {
					m.Spans = nil
				} else {
					m.Spans = append(m.Spans, a.Spans...)
				}
				if a.Note != "" && m.Note != "" && m.Note != a.Note {
					m.Note += "\n\n" + a.Note
				} else if m.Note == "" {
					m.Note = a.Note
				}
				continue
			}
			out = append(out, a)
			merged[mk] = &out[len(out)-1]
		}
		for i := range out {
			if m := merged[out[i].Type+"\x00"+out[i].Code+"\x00"+out[i].Family+"\x00"+strings.Repeat("n", boolInt(out[i].Negated))]; m != nil {
				out[i] = *m
			}
			slices.SortFunc(out[i].Spans, func(a, b corpus.Span) int { return a.Start - b.Start })
			out[i].Spans = slices.Compact(out[i].Spans)
		}
		if err := s.PutHumanCodes(k.coder, k.p, out); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("gold: %d of %d rows placed by text in %d passages", placed, rows, len(order))
	return placed
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func storeHumanCodes(t *testing.T, path, coder string) []corpus.Annotation {
	t.Helper()
	s, err := corpus.Open(path, corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	anns, err := s.HumanCodes(coder)
	if err != nil {
		t.Fatal(err)
	}
	return anns
}

// validateQDE checks the project.qde of a .qdpx against the REFI-QDA
// project schema with xmllint (skipped without it, unless under CI).
func validateQDE(t *testing.T, qdpx string) {
	t.Helper()
	bin := testtool.Path(t, "libxml2-utils", "xmllint")
	zr, err := zip.OpenReader(qdpx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("project.qde")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	qde := filepath.Join(t.TempDir(), "project.qde")
	if err := os.WriteFile(qde, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", shared(t, "corpus/qda/Project-mrt2019.xsd"), qde).CombinedOutput()
	if err != nil {
		t.Fatalf("project.qde does not validate: %v\n%.3000s", err, out)
	}
}

// TestQDARoundTrip: gold codes placed by text on the peer corpus, exported
// as .qdpx (valid against the schema), imported into a fresh workspace of
// the same corpus where another coder has codes: the same human codes,
// offsets, coders and memos come back, the other coder untouched.
func TestQDARoundTrip(t *testing.T) {
	src := shared(t, "corpus/peer")
	gold := shared(t, "gold/dev.jsonl")
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, ws := range []string{a, b} {
		if code, _, errs := peermap(t, ws, "ingest", src); code != 0 {
			t.Fatalf("ingest: %s", errs)
		}
	}
	if code, _, errs := peermap(t, a, "annotate"); code != 0 {
		t.Fatalf("annotate: %s", errs)
	}
	// The floor is about the size of the test, not the exchange: rows are
	// placed by exact text, and TEI passages now carry bracketed callouts
	// ("[4]") that the gold text lacks (149 of 195 rows place).
	if n := placeGold(t, filepath.Join(a, "corpus.db"), gold); n < 140 {
		t.Fatalf("only %d gold rows placed by text on the peer corpus", n)
	}
	qdpx := filepath.Join(dir, "review.qdpx")
	code, _, errs := peermap(t, a, "export", "-format", "qdpx", "-o", qdpx, "-machine")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	t.Log(strings.TrimSpace(errs))
	validateQDE(t, qdpx)
	// A second export is byte for byte the same (stable GUIDs, sorted output).
	again := filepath.Join(dir, "again", "review.qdpx")
	if code, _, errs := peermap(t, a, "export", "-format", "qdpx", "-o", again, "-machine"); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if x, y := mustRead(t, qdpx), mustRead(t, again); !bytes.Equal(x, y) {
		t.Error("two exports of the same workspace differ")
	}

	// Workspace b: zoe coded a passage already.
	sb, err := corpus.Open(filepath.Join(b, "corpus.db"), corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := sb.Documents(t.Context())
	ps, err := sb.Passages(docs[0].ID)
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	zoe := []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.advocacy"}}
	if err := sb.PutHumanCodes("zoe", ps[0].ID, zoe); err != nil {
		t.Fatal(err)
	}
	sb.Close()
	code, out, errs := peermap(t, b, "code", "import", qdpx)
	if code != 0 {
		t.Fatalf("code import: exit %d: %s%s", code, out, errs)
	}
	t.Log(strings.TrimSpace(errs))
	if strings.Contains(out, "not placed") {
		t.Errorf("code import could not place codings:\n%.2000s", out)
	}
	if !strings.Contains(errs, "0 not placed") || strings.Contains(errs, " 0 machine codings skipped") {
		t.Errorf("code import: want every human coding placed and the machine's skipped: %s", errs)
	}
	for _, coder := range []string{"gold", "ana"} {
		want := storeHumanCodes(t, filepath.Join(a, "corpus.db"), coder)
		if len(want) == 0 {
			t.Fatalf("no %s codes to compare", coder)
		}
		if d := cmp.Diff(want, storeHumanCodes(t, filepath.Join(b, "corpus.db"), coder)); d != "" {
			t.Errorf("%s's codes after the round trip differ (-want +got):\n%.4000s", coder, d)
		}
	}
	if got := storeHumanCodes(t, filepath.Join(b, "corpus.db"), "zoe"); len(got) != 1 || got[0].Code != "role.advocacy" {
		t.Errorf("zoe's codes after the import: %v", got)
	}
	if got := storeHumanCodes(t, filepath.Join(b, "corpus.db"), ""); slices.ContainsFunc(got, func(a corpus.Annotation) bool {
		return strings.Contains(a.Annotator, "rules@")
	}) {
		t.Error("machine annotations came back as human codes")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCodebookFromQDC maps peermap's own .qdc back without error, and
// names what a foreign codebook (MAXQDA's) cannot map.
func TestCodebookFromQDC(t *testing.T) {
	dir := t.TempDir()
	qdc := filepath.Join(dir, "map.qdc")
	if code, _, errs := peermap(t, dir, "export", "-format", "qdc", "-o", qdc); code != 0 {
		t.Fatalf("export -format qdc: %s", errs)
	}
	code, out, errs := peermap(t, dir, "codebook", "-from-qdc", qdc)
	if code != 0 || !strings.Contains(out, "role.navigation\tguid") {
		t.Errorf("codebook -from-qdc on peermap's own codebook: exit %d\n%s%s", code, out, errs)
	}
	maxqda := shared(t, "corpus/qda/maxqda24_icls-themes.qdpx")
	code, _, errs = peermap(t, dir, "codebook", "-from-qdc", maxqda)
	if code != 1 || !strings.Contains(errs, "codes cannot be mapped") || !strings.Contains(errs, "THEME - Affordances") {
		t.Errorf("codebook -from-qdc on the MAXQDA codebook: exit %d, want 1 naming the codes\n%.1000s", code, errs)
	}
}
