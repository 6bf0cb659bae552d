package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// TestCodeRoundTrip exports a coding sheet, fills in one row as a coder
// would in a spreadsheet, imports it, and checks that the human code is
// stored, survives re-annotation, and reaches the index.
func TestCodeRoundTrip(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if code, _, errs := peermap(t, ws, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	sheet := filepath.Join(t.TempDir(), "sheet.csv")
	if code, _, errs := peermap(t, ws, "code", "export", "-sheet", "-o", sheet); code != 0 {
		t.Fatalf("code export -sheet: %s", errs)
	}
	fh, err := os.Open(sheet)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 100 || strings.Join(rows[0], ",") != "passage,text,codes,labels,coder,suggested" {
		t.Fatalf("sheet has %d rows, header %q", len(rows), rows[0])
	}
	pid := rows[1][0]
	rows[1][2] = "relationship.reciprocal;role.advocacy"
	rows[1][3] = "peer navigator"
	coded := filepath.Join(t.TempDir(), "coded.csv")
	out, _ := os.Create(coded)
	w := csv.NewWriter(out)
	w.WriteAll(rows[:2])
	out.Close()

	if code, _, errs := peermap(t, ws, "code", "import", "-coder", "ana", coded); code != 0 {
		t.Fatalf("code import: %s", errs)
	}
	// An unknown code is refused with the row named, and nothing is stored.
	rows[1][2] = "role.juggling"
	bad := filepath.Join(t.TempDir(), "bad.csv")
	out, _ = os.Create(bad)
	w = csv.NewWriter(out)
	w.WriteAll(rows[:2])
	out.Close()
	if code, _, errs := peermap(t, ws, "code", "import", "-coder", "ben", bad); code != 1 || !strings.Contains(errs, `row 2: unknown code "role.juggling"`) {
		t.Errorf("import of an unknown code: exit %d, stderr %q", code, errs)
	}

	if code, _, errs := peermap(t, ws, "annotate", "-force"); code != 0 {
		t.Fatalf("annotate -force: %s", errs)
	}
	code, out2, _ := peermap(t, ws, "code", "export", "-format", "jsonl")
	if code != 0 {
		t.Fatal("code export failed")
	}
	var got struct {
		Passage string   `json:"passage"`
		Codes   []string `json:"codes"`
		Coder   string   `json:"coder"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out2)), &got); err != nil {
		t.Fatalf("code export: %v: %q", err, out2)
	}
	if got.Passage != pid || got.Coder != "ana" || strings.Join(got.Codes, ",") != "relationship.reciprocal,role.advocacy" {
		t.Errorf("after re-annotation, human codes = %+v; want ana's codes of %s", got, pid)
	}
	// The index picks up the human code.
	if code, _, errs := peermap(t, ws, "index"); code != 0 {
		t.Fatalf("index: %s", errs)
	}
	code, out2, _ = peermap(t, ws, "search", "-json", "-n", "200", "-code", "relationship.reciprocal")
	res := decodeSearch(t, code, out2)
	found := false
	for _, h := range res.Hits {
		found = found || h.Passage == corpus.PassageID(pid)
	}
	if !found {
		t.Errorf("search -code relationship.reciprocal does not find the hand-coded passage %s", pid)
	}
}

func TestEvalJSON(t *testing.T) {
	gold := shared(t, "gold/dev.jsonl")
	code, out, errs := peermap(t, t.TempDir(), "eval", "-gold", gold, "-json")
	if code != 0 {
		t.Fatalf("eval: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum struct {
		MicroF1 *float64           `json:"micro_f1"`
		MacroF1 *float64           `json:"macro_f1"`
		LabelF1 *float64           `json:"label_f1"`
		Kappa   map[string]float64 `json:"kappa"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatalf("last line of eval -json: %v", err)
	}
	if sum.MicroF1 == nil || sum.MacroF1 == nil || sum.LabelF1 == nil || len(sum.Kappa) != 6 {
		t.Fatalf("eval -json summary lacks fields: %s", lines[len(lines)-1])
	}
	if *sum.LabelF1 < 0.95 || *sum.MicroF1 < 0.70 {
		t.Errorf("eval on dev gold: label F1 %.3f, micro F1 %.3f; want ≥ 0.95 and ≥ 0.70", *sum.LabelF1, *sum.MicroF1)
	}
}

// TestSearchBesideServe checks what runs beside a server: 'peermap serve'
// holds the store Shared (only during each call) and the index read-only,
// so search, ingest and annotate run beside it; a process that holds the
// store for writing (an ingest) makes another writer wait, then fail with
// the holder named and a -wait hint.
func TestSearchBesideServe(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if code, _, errs := peermap(t, ws, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ix, err := index.Open(filepath.Join(ws, "index"), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	code, out, errs := peermap(t, ws, "search", "-json", `"peer navigator"`)
	if code != 0 {
		t.Fatalf("search beside serve: exit %d: %s", code, errs)
	}
	if res := decodeSearch(t, code, out); res.Total == 0 {
		t.Error("search beside serve found nothing")
	}
	extra := filepath.Join(t.TempDir(), "extra")
	os.MkdirAll(extra, 0o755)
	os.WriteFile(filepath.Join(extra, "note.md"), []byte("# Peer navigators in rural clinics\n\nPeer navigators accompany patients to the clinic and call them after each visit.\n"), 0o644)
	if code, _, errs := peermap(t, ws, "ingest", extra); code != 0 {
		t.Errorf("ingest beside serve: exit %d, %s", code, errs)
	}
	if code, _, errs := peermap(t, ws, "annotate"); code != 0 {
		t.Errorf("annotate beside serve: exit %d, %s", code, errs)
	}
	// The server's own reads see what the ingest stored.
	if docs, err := s.Documents(context.Background()); err != nil || len(docs) != 17 {
		t.Errorf("serve's store after an ingest beside it: %d documents, %v; want 17", len(docs), err)
	}
	// A writer that holds the store (a long ingest) makes another writer fail.
	held, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errs = peermap(t, ws, "ingest", filepath.Join(ws, "demo-corpus"))
	if code != 1 || !strings.Contains(errs, "in use by another peermap process") || !strings.Contains(errs, "-wait") {
		t.Errorf("ingest beside a writer: exit %d, %q; want exit 1, a clear message and a -wait hint", code, errs)
	}
}
