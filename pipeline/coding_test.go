package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

func TestCheckCoder(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"ana", true},
		{"Ana María", true},
		{"", false},
		{"  ", false},
		{" ana", false},
		{"consensus", false},
		{"a\x00b", false},
		{"tab\there", false},
		{strings.Repeat("é", 64), true},
		{strings.Repeat("é", 65), false},
	}
	for _, tt := range tests {
		if err := pipeline.CheckCoder(tt.name); (err == nil) != tt.ok {
			t.Errorf("CheckCoder(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestAddCoder(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := pipeline.AddCoder(dir, "ana", now); err == nil {
		t.Fatal("AddCoder in a folder with no workspace: no error")
	}
	open(t, dir)
	if a, err := pipeline.ReadAccounts(dir); err != nil || a.Len() != 0 {
		t.Fatalf("ReadAccounts of a new workspace = %v, %v; want no account", a.Names(), err)
	}
	ana, err := pipeline.AddCoder(dir, "ana", now)
	if err != nil {
		t.Fatal(err)
	}
	ben, err := pipeline.AddCoder(dir, "ben", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.AddCoder(dir, pipeline.Consensus, now); err == nil {
		t.Error("AddCoder(consensus): no error")
	}
	if len(ana) < 40 || ana == ben {
		t.Fatalf("tokens %q and %q: want two long different tokens", ana, ben)
	}
	path := filepath.Join(dir, pipeline.CodersFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(ana)) || bytes.Contains(data, []byte(ben)) {
		t.Error("the accounts file holds a token in clear")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("accounts file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	a, err := pipeline.ReadAccounts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Names(); !slices.Equal(got, []string{"ana", "ben"}) {
		t.Errorf("Names = %v", got)
	}
	for _, tt := range []struct {
		token, want string
		ok          bool
	}{{ana, "ana", true}, {ben, "ben", true}, {"", "", false}, {ana + "x", "", false}, {strings.ToUpper(ana), "", false}} {
		if got, ok := a.Coder(tt.token); got != tt.want || ok != tt.ok {
			t.Errorf("Coder(%q) = %q, %v; want %q, %v", tt.token, got, ok, tt.want, tt.ok)
		}
	}
	// A new token for ana revokes the old one.
	ana2, err := pipeline.AddCoder(dir, "ana", now)
	if err != nil {
		t.Fatal(err)
	}
	a, err = pipeline.ReadAccounts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Coder(ana); ok {
		t.Error("the old token still signs in after a new one was made")
	}
	if got, ok := a.Coder(ana2); !ok || got != "ana" || a.Len() != 2 {
		t.Errorf("new token: Coder = %q, %v; %d accounts, want ana and 2", got, ok, a.Len())
	}
	if err := os.WriteFile(path, []byte(`{"format":1,"coders":[{"name":"x","token_sha256":"zz"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.ReadAccounts(dir); err == nil {
		t.Error("ReadAccounts of a damaged file: no error")
	}
}

// codingWorkspace ingests and annotates the real peer-support texts of the
// shared corpus once for the tests below.
var (
	codingOnce sync.Once
	codingDir  string
	codingErr  error
)

func codingWorkspace(t *testing.T) *pipeline.Workspace { return codingWorkspaceB(t) }

func codingWorkspaceB(t testing.TB) *pipeline.Workspace {
	t.Helper()
	src := filepath.Join("..", "..", "shared", "corpus", "peer", "text")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("shared data not here (%s): %v", src, err)
	}
	codingOnce.Do(func() {
		codingDir, codingErr = os.MkdirTemp("", "peermap-coding-")
		if codingErr != nil {
			return
		}
		ws, _, err := pipeline.Init(pipeline.Options{Dir: codingDir, Rules: true})
		if err != nil {
			codingErr = err
			return
		}
		defer ws.Close()
		ctx := context.Background()
		if _, codingErr = ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{}); codingErr != nil {
			return
		}
		_, codingErr = ws.Annotate(ctx, false)
	})
	if codingErr != nil {
		t.Fatal(codingErr)
	}
	// Each test codes in its own copy of the store.
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(codingDir, "corpus.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "corpus.db"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// Rules alone: the queue tests check the fallback order (no model).
	ws, _, err := pipeline.Init(pipeline.Options{Dir: dir, Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func TestMain(m *testing.M) {
	code := m.Run()
	if codingDir != "" {
		os.RemoveAll(codingDir)
	}
	os.Exit(code)
}

func TestQueue(t *testing.T) {
	ctx := context.Background()
	ws := codingWorkspace(t)
	st := ws.Store()
	suggested, err := st.MachineCoded(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(suggested) < 10 {
		t.Fatalf("%d passages with machine codes in the peer texts; want at least 10", len(suggested))
	}
	q, err := ws.Queue(ctx, "ana", 5)
	if err != nil {
		t.Fatal(err)
	}
	if q.Order != pipeline.OrderSuggested || q.Coded != 0 || q.Total != len(suggested) || len(q.Items) != 5 {
		t.Fatalf("fresh queue = order %s, %d of %d, %d items; want suggested, 0 of %d, 5 items", q.Order, q.Coded, q.Total, len(q.Items), len(suggested))
	}
	for i, it := range q.Items {
		if it.Passage != suggested[i] {
			t.Errorf("item %d = %s, want %s (corpus order)", i, it.Passage, suggested[i])
		}
	}
	// ben codes two passages late in the corpus, one with nothing at all,
	// and one passage the machine has no suggestion for.
	var plain corpus.PassageID
	docs, err := st.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		ps, err := st.Passages(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if _, found := slices.BinarySearch(suggested, p.ID); !found && plain == "" {
				plain = p.ID
			}
		}
	}
	if plain == "" {
		t.Fatal("every passage has a machine code: the test needs one without")
	}
	last, before := suggested[len(suggested)-1], suggested[len(suggested)-2]
	for _, put := range []struct {
		p     corpus.PassageID
		codes []string
	}{{last, []string{"role.navigation"}}, {before, nil}, {plain, []string{"role.education"}}} {
		var anns []corpus.Annotation
		for _, c := range put.codes {
			anns = append(anns, corpus.Annotation{Type: corpus.AnnCode, Code: c, Confidence: 1})
		}
		if err := st.PutHumanCodes("ben", put.p, anns); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutHumanCodes(pipeline.Consensus, suggested[3], nil); err != nil {
		t.Fatal(err)
	}
	q, err = ws.Queue(ctx, "ana", 4)
	if err != nil {
		t.Fatal(err)
	}
	// ben's three passages come first (corpus order among them), then the rest.
	first := []corpus.PassageID{before, last, plain}
	slices.Sort(first)
	want := append(first, suggested[0])
	var got []corpus.PassageID
	for _, it := range q.Items {
		got = append(got, it.Passage)
		if slices.Contains(first, it.Passage) && !slices.Equal(it.Coders, []string{"ben"}) {
			t.Errorf("item %s: coders %v, want [ben]", it.Passage, it.Coders)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("ana's queue after ben coded = %v, want %v", got, want)
	}
	if q.Total != len(suggested)+1 || q.Coded != 0 {
		t.Errorf("ana: %d of %d, want 0 of %d (the hand-coded passage without suggestion joins the scope)", q.Coded, q.Total, len(suggested)+1)
	}
	q, err = ws.Queue(ctx, "ben", 1)
	if err != nil {
		t.Fatal(err)
	}
	if q.Coded != 3 || q.Total != len(suggested)+1 || len(q.Items) != 1 || q.Items[0].Passage != suggested[0] {
		t.Errorf("ben: %d of %d, next %v; want 3 of %d (an empty set counts), next %s", q.Coded, q.Total, q.Items, len(suggested)+1, suggested[0])
	}
	if q, err := ws.Queue(ctx, "ben", 0); err != nil || q.Items != nil || q.Coded != 3 {
		t.Errorf("Queue(n=0) = %+v, %v; want the counts only", q, err)
	}
}

// TestCoderAgreement checks the agreement of two coders in the workspace
// against 'eval -coders' on their exported files: the same rows written by
// annotate.WriteCodes (what 'code export -format jsonl' writes), read back
// by annotate.ReadGold and compared by annotate.Agreement.
func TestCoderAgreement(t *testing.T) {
	ctx := context.Background()
	ws := codingWorkspace(t)
	st := ws.Store()
	suggested, err := st.MachineCoded(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Both coders start from the machine's codes of eight passages; ben
	// drops one code of every third passage and adds role.advocacy to
	// every fourth; ana saves the last passage with nothing.
	var wantD []corpus.PassageID
	for i, pid := range suggested[:8] {
		anns, err := st.Annotations(pid.Doc())
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, a := range anns {
			if a.Passage == pid && a.Type == corpus.AnnCode && !a.Negated && !a.Human() {
				codes = append(codes, a.Code)
			}
		}
		slices.Sort(codes)
		codes = slices.Compact(codes)
		ana, ben := slices.Clone(codes), slices.Clone(codes)
		if i%3 == 0 {
			ben = ben[1:]
		}
		if i%4 == 0 {
			ben = append(ben, "role.advocacy")
		}
		if i == 7 {
			ana = nil
		}
		for coder, cs := range map[string][]string{"ana": ana, "ben": ben} {
			var out []corpus.Annotation
			for _, c := range cs {
				out = append(out, corpus.Annotation{Type: corpus.AnnCode, Code: c, Confidence: 1})
			}
			if err := st.PutHumanCodes(coder, pid, out); err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(ana, ben) {
			wantD = append(wantD, pid)
		}
	}
	// ana alone codes one more passage.
	if err := st.PutHumanCodes("ana", suggested[9], []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.education"}}); err != nil {
		t.Fatal(err)
	}
	got, err := ws.CoderAgreement(ctx, "ana", "ben")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]annotate.Gold{}
	for _, coder := range []string{"ana", "ben"} {
		rows, err := ws.HumanCodes(coder)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := annotate.WriteCodes(&buf, annotate.FormatJSONL, rows); err != nil {
			t.Fatal(err)
		}
		if files[coder], err = annotate.ReadGold(&buf); err != nil {
			t.Fatal(err)
		}
	}
	want := annotate.Agreement(files["ana"], files["ben"])
	gj, _ := json.Marshal(got.AgreementResult)
	wj, _ := json.Marshal(want)
	if !bytes.Equal(gj, wj) {
		t.Errorf("CoderAgreement =\n%s\nwant (eval -coders on the exports)\n%s", gj, wj)
	}
	if got.N != 8 || got.OnlyA != 1 || got.OnlyB != 0 {
		t.Errorf("N, only A, only B = %d, %d, %d; want 8, 1, 0 (the empty set is a common passage)", got.N, got.OnlyA, got.OnlyB)
	}
	// Disagreements: where ben changed the set, and where ana gave nothing.
	var gotD []corpus.PassageID
	for _, d := range got.Disagreements {
		gotD = append(gotD, d.Passage)
		if d.Codes.Same() && d.Labels.Same() {
			t.Errorf("disagreement %s has no difference", d.Passage)
		}
	}
	if len(wantD) < 3 || !slices.Equal(gotD, wantD) {
		t.Errorf("disagreements on %v, want %v", gotD, wantD)
	}
	names, counts, err := ws.Coders()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"ana", "ben"}) || counts["ana"] != 9 || counts["ben"] != 8 {
		t.Errorf("Coders = %v, %v; want ana (9) and ben (8)", names, counts)
	}
}

// FuzzReadAccounts reads arbitrary bytes as the accounts file: never a
// panic, and what is read is only valid coders, none signing in with an
// empty token.
func FuzzReadAccounts(f *testing.F) {
	f.Add([]byte(`{"format":1,"coders":[{"name":"ana","token_sha256":"` + strings.Repeat("ab", 32) + `","added":"2026-01-02T03:04:05Z"}]}`))
	f.Add([]byte(`{"format":1,"coders":[{"name":"consensus","token_sha256":"` + strings.Repeat("ab", 32) + `"}]}`))
	f.Add([]byte(`{"format":2}`))
	f.Add([]byte(`{"format":1,"coders":[{"name":"","token_sha256":""}]}`))
	f.Add([]byte(`[`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, pipeline.CodersFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := pipeline.ReadAccounts(dir)
		if err != nil {
			return
		}
		for _, n := range a.Names() {
			if pipeline.CheckCoder(n) != nil {
				t.Fatalf("account %q read from %q", n, data)
			}
		}
		if _, ok := a.Coder(""); ok {
			t.Fatalf("the empty token signs in (%q)", data)
		}
	})
}

// BenchmarkQueue measures Queue on the peer-support texts against its
// baseline, a scan of every machine annotation (Store.MachineCoded), which
// Queue does once and then keeps.
func BenchmarkQueue(b *testing.B) {
	ctx := context.Background()
	ws := codingWorkspaceB(b)
	b.Run("baseline-scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ws.Store().MachineCoded(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("queue", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ws.Queue(ctx, "ana", 20); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestQueueUncertainty: with the learned layer, the queue puts the
// passages the model is least sure of first (after those other coders
// coded), as 'code next' does.
func TestQueueUncertainty(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join("..", "..", "shared", "corpus", "peer", "text")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("shared data not here (%s): %v", src, err)
	}
	ws, _, err := pipeline.Init(pipeline.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Annotate(ctx, false); err != nil {
		t.Fatal(err)
	}
	q, err := ws.Queue(ctx, "ana", 5)
	if err != nil {
		t.Fatal(err)
	}
	next, err := ws.CodeNext(ctx, 1000000)
	if err != nil {
		t.Fatal(err)
	}
	if q.Order != pipeline.OrderUncertainty || len(q.Items) != 5 {
		t.Fatalf("queue = order %s, %d items; want uncertainty, 5", q.Order, len(q.Items))
	}
	unc := map[corpus.PassageID]float64{}
	for _, n := range next {
		unc[n.Passage] = n.Uncertainty
	}
	for i := 1; i < len(q.Items); i++ {
		if unc[q.Items[i-1].Passage] < unc[q.Items[i].Passage] {
			t.Errorf("queue item %d (uncertainty %.3f) before a less certain one (%.3f)", i-1, unc[q.Items[i-1].Passage], unc[q.Items[i].Passage])
		}
	}
}
