package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the peermap command once for the tests that run it as a
// process (to kill it).
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "peermap-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "peermap")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// digest summarises what a workspace holds: every document with its
// passages' text, its machine annotations and its human codes, byte for
// byte, and the index's passage count per document. Times (Added, runs)
// are left out: they differ between runs by design.
func digest(t *testing.T, ws string) (string, int) {
	t.Helper()
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, err := s.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	passages := 0
	for _, d := range docs {
		fmt.Fprintf(h, "doc %s %s %s %q %d\n", d.ID, d.Kind, d.Lang, d.Title, d.Skip)
		vs, err := s.Views(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			fmt.Fprintf(h, "p %s %d %d %x\n", v.Passage.ID, v.Passage.Start, v.Passage.End, sha256.Sum256([]byte(v.Passage.Text)))
			anns, _ := json.Marshal(v.Annotations)
			h.Write(anns)
		}
		passages += len(vs)
	}
	hc, err := s.HumanCodes("")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(hc)
	h.Write(data)
	ix, err := index.Open(filepath.Join(ws, "index"), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	held, err := ix.DocIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(held))
	for id := range held {
		ids = append(ids, string(id))
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(h, "ix %s %d\n", id, held[corpus.DocID(id)])
	}
	return hex.EncodeToString(h.Sum(nil)), len(hc)
}

// copyDir copies the regular files of a workspace folder tree.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKillRun kills 'peermap run' with SIGKILL at 20 points of its work
// and checks that the next run ends with the same documents, passages,
// annotations, human codes (byte for byte) and index as an uninterrupted
// run from the same start.
func TestKillRun(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and reruns peermap 20 times")
	}
	bin := binary(t)
	first := shared(t, "corpus/peer/text")
	more := shared(t, "corpus/peer/tei")
	// The start: a workspace with a first folder and hand codes.
	base := filepath.Join(t.TempDir(), "base")
	run := func(ws string, args ...string) (int, string) {
		cmd := exec.Command(bin, append([]string{"-w", ws}, args...)...)
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := run(base, "run", first); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	sheet := filepath.Join(t.TempDir(), "sheet.csv")
	if code, out := run(base, "code", "export", "-sheet", "-coder", "ana", "-o", sheet); code != 0 {
		t.Fatalf("code export: %s", out)
	}
	coded := codeSomeRows(t, sheet, 25)
	if code, out := run(base, "code", "import", coded); code != 0 {
		t.Fatalf("code import: %s", out)
	}
	// The uninterrupted run from the start, timed.
	want := filepath.Join(t.TempDir(), "want")
	copyDir(t, base, want)
	start := time.Now()
	if code, out := run(want, "run", first, more); code != 0 {
		t.Fatalf("uninterrupted run: exit %d\n%s", code, out)
	}
	took := time.Since(start)
	wantDigest, wantCodes := digest(t, want)
	if wantCodes == 0 {
		t.Fatal("no human codes to lose")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	killed := 0
	// 20 kill points spread over the first 80% of the run, jittered. The
	// machine's load changes while the test runs: a run that ends before
	// its kill point makes its own time the run's length, and the point is
	// tried again (40 runs at most).
	for i := 0; i < 40 && killed < 20; i++ {
		ws := filepath.Join(t.TempDir(), fmt.Sprintf("k%d", i))
		copyDir(t, base, ws)
		at := time.Duration((float64(killed) + rng.Float64()) / 20 * 0.8 * float64(took))
		cmd := exec.Command(bin, "-w", ws, "run", first, more)
		began := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done: // finished before the kill point
			took = time.Since(began)
		case <-time.After(at):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
		}
		if code, out := run(ws, "-wait", "10s", "run", first, more); code != 0 {
			t.Fatalf("kill %d at %v: the next run: exit %d\n%s", i, at, code, out)
		}
		got, codes := digest(t, ws)
		if got != wantDigest || codes != wantCodes {
			t.Errorf("kill %d at %v of %v: after the next run the workspace differs from an uninterrupted run (human codes %d, want %d)", i, at, took, codes, wantCodes)
		}
		if code, out := run(ws, "check"); code != 0 {
			t.Errorf("kill %d at %v: check: %s", i, at, out)
		}
	}
	t.Logf("%d runs killed (uninterrupted run: %v); every workspace recovered with 0 documents, passages, annotations or human codes lost", killed, took)
	if killed < 15 {
		t.Errorf("only %d runs were killed before they ended", killed)
	}
}

// codeSomeRows fills the codes of n rows of a coding sheet (the machine's
// suggestions, or role.navigation) and returns the file to import.
func codeSomeRows(t *testing.T, sheet string, n int) string {
	t.Helper()
	data, err := os.ReadFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readCSV(data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("passage,codes,coder\n")
	for _, r := range rows[1:] {
		if n == 0 {
			break
		}
		codes := strings.ReplaceAll(r[5], ";", "|")
		if codes == "" {
			codes = "role.navigation"
		}
		fmt.Fprintf(&b, "%s,%s,ana\n", r[0], codes)
		n--
	}
	out := filepath.Join(t.TempDir(), "coded.csv")
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func readCSV(data []byte) ([][]string, error) {
	return csv.NewReader(bytes.NewReader(data)).ReadAll()
}

// startServe starts 'peermap serve' on a free loopback port and returns
// the process and its base URL.
func startServe(t *testing.T, bin, ws string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "-w", ws, "serve", "-addr", "127.0.0.1:0", "-coder", "ana")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), " on http://"); ok {
			go io.Copy(io.Discard, stderr)
			return cmd, "http://" + strings.Fields(rest)[0]
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("serve did not say where it listens")
	return nil, ""
}

// TestKillServe kills 'peermap serve' with SIGKILL while a client saves
// codes through its API: every save the server acknowledged is in the
// store, the store opens, and once the server has started again (it brings
// the index up to date) check passes.
func TestKillServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills peermap serve")
	}
	bin := binary(t)
	ws := filepath.Join(t.TempDir(), "ws")
	if code, _, errs := peermap(t, ws, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var pids []corpus.PassageID
	docs, _ := s.Documents(context.Background())
	for _, d := range docs {
		ps, _ := s.Passages(d.ID)
		for _, p := range ps {
			pids = append(pids, p.ID)
		}
	}
	s.Close()
	codes := []string{"role.navigation", "role.outreach", "role.education", "setting.community"}
	acked := map[corpus.PassageID]string{}
	next := 0
	for round, after := range []time.Duration{300 * time.Millisecond, 900 * time.Millisecond, 1500 * time.Millisecond} {
		cmd, base := startServe(t, bin, ws)
		stop := time.After(after)
	saving:
		for ; next < len(pids)-1; next++ { // the last passage takes the save in flight at the kill
			select {
			case <-stop:
				break saving
			default:
			}
			code := codes[(next+round)%len(codes)]
			body := fmt.Sprintf(`{"passage":%q,"codes":[%q]}`, pids[next].Short(), code)
			req, _ := http.NewRequest(http.MethodPost, base+"/api/codes?coder=ana", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("save %d: %v", next, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("save %d: status %d", next, resp.StatusCode)
			}
			acked[pids[next]] = code
		}
		// Kill it in the middle of a save: one more request in flight.
		go func() {
			body := fmt.Sprintf(`{"passage":%q,"codes":["role.advocacy"]}`, pids[len(pids)-1].Short())
			req, _ := http.NewRequest(http.MethodPost, base+"/api/codes?coder=ana", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		time.Sleep(time.Duration(round+1) * 3 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	if len(acked) == 0 {
		t.Fatal("no save was acknowledged before the kills")
	}
	// Every acknowledged save is there.
	s, err = corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("the store does not open after the kills: %v", err)
	}
	hc, err := s.HumanCodes("ana")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	got := map[corpus.PassageID]string{}
	for _, a := range hc {
		got[a.Passage] = a.Code
	}
	lost := 0
	for p, code := range acked {
		if got[p] != code {
			lost++
			t.Errorf("acknowledged save of %s (%s) is not in the store (found %q)", p.Short(), code, got[p])
		}
	}
	// Started again, the server brings the index up to date; then check passes.
	cmd, _ := startServe(t, bin, ws)
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if code, out, errs := peermap(t, ws, "check"); code != 0 {
		t.Errorf("check after the kills: %s%s", out, errs)
	}
	t.Logf("3 kills of serve during saves: %d saves acknowledged, %d lost", len(acked), lost)
}
