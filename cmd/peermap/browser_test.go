package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/peermap/peermap/annotate"
)

// chromium returns the path of Debian's Chromium (scripts/deps.sh installs
// it), or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (scripts/deps.sh installs it); skipping the browser test of serve")
	return ""
}

// browser drives one headless Chromium through the pages of a server.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string // folder of screenshots
	n     int    // screenshots taken

	mu      sync.Mutex
	dialogs []string // messages of JavaScript dialogs: there must be none
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	bin := chromium(t)
	shots := os.Getenv("PEERMAP_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	profile, err := os.MkdirTemp("", "peermap-serve-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 1000),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelB()
		cancelA()
		cancel()
		for range 50 { // Chromium's helpers may write in the profile a moment longer
			if err := os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	b := &browser{t: t, ctx: bctx, shots: shots}
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dialogs := chromedp.Events(bctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return b
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("chromium: %s: %v", what, err)
	}
}

func eval[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("chromium: evaluate %s: %v", js, err)
	}
	return v
}

// shot saves a full-page screenshot as NN-name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("chromium: screenshot %s: %v", name, err)
	}
	b.n++
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

func (b *browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// signIn signs in as name (a loopback server without accounts).
func (b *browser) signIn(base, name string) {
	b.t.Helper()
	b.do("sign in", chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), name))
	b.shot("signin-" + name)
	b.do("sign in", chromedp.Submit(chromedp.CSS(`input[name="name"]`)), chromedp.WaitVisible(chromedp.CSS("p.progress")))
	if got := eval[string](b, `document.querySelector(".who .coder").textContent`); got != name || !strings.HasSuffix(b.location(), "/queue") {
		b.t.Fatalf("after signing in as %s: coder %q at %s, want the queue", name, got, b.location())
	}
}

// keyed are the data-key of the coding form's boxes: suggestions (not yet
// ticked) and other codes.
type keyed struct {
	Suggested []box `json:"suggested"`
	Others    []box `json:"others"`
}

type box struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

const keyedJS = `(() => {
	const f = (sel) => Array.from(document.querySelectorAll(sel)).map(i => ({key: i.dataset.key, value: i.value}));
	return {suggested: f('form.coding input[data-suggested][data-key]:not(:checked)'), others: f('form.coding input[data-key]:not([data-suggested]):not(:checked)')};
})()`

const tickedJS = `Array.from(document.querySelectorAll('form.coding input[name="code"]:checked')).map(i => i.value).sort()`

// press sends one key to the page (the body has the focus).
func (b *browser) press(key string) {
	b.t.Helper()
	b.do("press "+key, chromedp.KeyEvent(key))
}

// pressAndLeave presses key, which submits the page, and waits until the
// browser is on another page: the save is then done. (Waiting for an
// element the old page also has would let the next key reach the old page
// on a loaded machine, and the save it submits be lost.)
func (b *browser) pressAndLeave(key string) {
	b.t.Helper()
	before := b.location()
	b.press(key)
	for deadline := time.Now().Add(30 * time.Second); b.location() == before; {
		if time.Now().After(deadline) {
			b.t.Fatalf("%s did not move on from %s", key, before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.do("next page", chromedp.WaitVisible(chromedp.CSS("main")))
}

// TestBrowserTeamCoding drives headless Chromium through a team's work on
// the peer-support corpus with 'peermap serve': sign in, search with a
// facet, open a passage, accept two suggestions and add a code by keyboard
// (and a memo), see it in 'code export'; a second coder codes the same
// passages; the agreement page shows the kappa of 'eval -coders' on the
// two exports; one disagreement is adjudicated. Screenshots of each page go
// to $PEERMAP_SCREENSHOTS (else a temporary folder); the test logs them.
func TestBrowserTeamCoding(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	b := newBrowser(t)
	ws := copyWorkspace(t, peerWorkspace(t))
	srv := serve(t, ws, "-addr", "127.0.0.1:0")

	// Ana signs in, searches, narrows by a facet and opens a passage with
	// at least two suggestions.
	b.signIn(srv.URL, "ana")
	b.shot("queue-ana")
	b.do("search", chromedp.Navigate(srv.URL+"/?q=navigator"), chromedp.WaitVisible(chromedp.CSS(`section[data-facet="family"] a`)),
		chromedp.Click(chromedp.CSS(`section[data-facet="family"] a`)), chromedp.WaitVisible(chromedp.CSS("a.chip")))
	if loc := b.location(); !strings.Contains(loc, "family=") {
		t.Fatalf("after clicking a family facet the page is %s, want a family filter", loc)
	}
	b.shot("search-facet")
	var open string // the passage to code: short ID as the hit links it
	for _, href := range eval[[]string](b, `Array.from(document.querySelectorAll("li.hit a.pid")).map(a => a.getAttribute("href"))`) {
		var p struct{ Suggested []string }
		getJSON(t, srv.URL+"/api/passages/"+strings.TrimPrefix(href, "/passage/"), &p)
		if len(p.Suggested) >= 2 {
			open = href
			break
		}
	}
	if open == "" {
		t.Fatal("no hit of the faceted search has two suggested codes")
	}
	b.do("open passage", chromedp.Click(chromedp.CSS(`li.hit a.pid[href="`+open+`"]`)), chromedp.WaitVisible(chromedp.CSS("form.coding")))
	b.shot("passage")
	k := eval[keyed](b, keyedJS)
	if len(k.Suggested) < 2 || len(k.Others) < 1 {
		t.Fatalf("coding form keys %+v: want two suggestions and another code", k)
	}
	b.press(k.Suggested[0].Key)
	b.press(k.Suggested[1].Key)
	b.press(k.Others[0].Key)
	want := []string{k.Suggested[0].Value, k.Suggested[1].Value, k.Others[0].Value}
	slices.Sort(want)
	if got := eval[[]string](b, tickedJS); !slices.Equal(got, want) {
		t.Fatalf("after pressing %s, %s, %s the ticked codes are %v, want %v", k.Suggested[0].Key, k.Suggested[1].Key, k.Others[0].Key, got, want)
	}
	const memo = `two roles here <img src=x onerror=alert("memo")>`
	b.press("m")
	b.do("memo", chromedp.SendKeys(chromedp.CSS(`textarea[name="memo"]`), memo), chromedp.KeyEvent(kb.Escape))
	b.press("s")
	b.do("saved", chromedp.WaitVisible(chromedp.CSS("p.ok")))
	b.shot("passage-coded")
	if got := eval[[]string](b, tickedJS); !slices.Equal(got, want) {
		t.Errorf("after saving the page shows %v ticked, want %v", got, want)
	}
	if got := eval[string](b, `document.querySelector('textarea[name="memo"]').value`); got != memo {
		t.Errorf("memo after saving = %q, want %q", got, memo)
	}
	// Two more from the queue: accept every suggestion, save and next.
	b.do("queue", chromedp.Navigate(srv.URL+"/queue/next"), chromedp.WaitVisible(chromedp.CSS("form.coding")))
	for range 2 {
		b.press("a")
		b.pressAndLeave("n")
		b.do("next", chromedp.WaitVisible(chromedp.CSS("form.coding")))
	}
	srv.Stop(t)

	// What ana coded is in 'code export'.
	code, out, errs := peermap(t, ws, "code", "export", "-coder", "ana", "-format", "jsonl")
	if code != 0 {
		t.Fatalf("code export: %s", errs)
	}
	rows := decodeLines[annotate.HumanCode](t, out)
	if len(rows) != 3 {
		t.Fatalf("code export -coder ana: %d rows, want 3:\n%s", len(rows), out)
	}
	openID := strings.TrimPrefix(open, "/passage/")
	i := slices.IndexFunc(rows, func(h annotate.HumanCode) bool { return h.Passage.Short() == openID })
	if i < 0 || !slices.Equal(rows[i].Codes, want) {
		t.Fatalf("code export of %s = %+v, want codes %v", openID, rows, want)
	}

	// Ben codes the same three passages: his queue starts with ana's. On
	// the first he rejects one suggestion and adds another code.
	srv = serve(t, ws, "-addr", "127.0.0.1:0")
	b.signIn(srv.URL, "ben")
	b.shot("queue-ben")
	queued := eval[[]string](b, `Array.from(document.querySelectorAll("ol.queue a.pid")).slice(0, 3).map(a => a.textContent)`)
	var anas []string
	for _, r := range rows {
		anas = append(anas, r.Passage.Short())
	}
	slices.Sort(queued)
	if !slices.Equal(queued, anas) {
		t.Fatalf("ben's queue starts with %v, want ana's passages %v", queued, anas)
	}
	b.do("queue", chromedp.Navigate(srv.URL+"/queue/next"), chromedp.WaitVisible(chromedp.CSS("form.coding")))
	for n := range 3 {
		k := eval[keyed](b, keyedJS)
		b.press("a")
		if n == 0 && len(k.Suggested) > 0 && len(k.Others) > 1 {
			b.press(k.Suggested[0].Key) // untick: reject it
			b.press(k.Others[1].Key)
		}
		if n == 0 {
			b.shot("passage-ben")
		}
		b.pressAndLeave("n")
	}

	// The agreement page, then an adjudication.
	b.do("agreement", chromedp.Navigate(srv.URL+"/agreement?a=ana&b=ben"), chromedp.WaitVisible(chromedp.CSS("table.agree")))
	b.shot("agreement")
	page := eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll("table.agree tr[data-dim]")).map(r => [r.dataset.dim, r.querySelector("td.kappa").textContent]))`)
	n := eval[int](b, `document.querySelectorAll("a.adjudicate").length`)
	if n == 0 {
		t.Fatal("the agreement page lists no disagreement to adjudicate")
	}
	b.do("adjudicate", chromedp.Click(chromedp.CSS("a.adjudicate")), chromedp.WaitVisible(chromedp.CSS("table.sides")))
	b.shot("adjudicate")
	b.do("adjudicate", chromedp.Click(chromedp.CSS(`form.coding button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("table.agree")))
	b.shot("adjudicated")
	if got := eval[int](b, `Array.from(document.querySelectorAll("ol.disagree .human")).filter(s => s.textContent == "adjudicated").length`); got != 1 {
		t.Errorf("%d disagreements marked adjudicated, want 1", got)
	}
	// Search with a script in the query: shown as text.
	b.do("search", chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape(`"><img src=x onerror=alert("q")>`)), chromedp.WaitVisible(chromedp.CSS("main")))
	b.do("memo page", chromedp.Navigate(srv.URL+open+"?coder=ana"), chromedp.WaitVisible(chromedp.CSS("form.coding")))
	srv.Stop(t)

	// The page's kappa per dimension is what 'eval -coders' says of the exports.
	dir := t.TempDir()
	for _, c := range []string{"ana", "ben"} {
		if code, _, errs := peermap(t, ws, "code", "export", "-coder", c, "-format", "jsonl", "-o", filepath.Join(dir, c+".jsonl")); code != 0 {
			t.Fatalf("code export -coder %s: %s", c, errs)
		}
	}
	code, out, errs = peermap(t, ws, "eval", "-coders", "-json", filepath.Join(dir, "ana.jsonl"), filepath.Join(dir, "ben.jsonl"))
	if code != 0 {
		t.Fatalf("eval -coders: %s", errs)
	}
	var ev annotate.AgreementResult
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.N != 3 || len(ev.Dimensions) == 0 {
		t.Fatalf("eval -coders: %d common passages, %d dimensions; want 3 and some", ev.N, len(ev.Dimensions))
	}
	for _, d := range ev.Dimensions {
		got, err := strconv.ParseFloat(page[d.Name], 64)
		if err != nil || math.Abs(got-d.Kappa) > 0.0005 {
			t.Errorf("kappa of %s: page %q, eval -coders %.4f", d.Name, page[d.Name], d.Kappa)
		}
	}
	if len(page) != len(ev.Dimensions)+1 { // + peer labels
		t.Errorf("page rows %v, eval -coders dimensions %d (+ labels)", page, len(ev.Dimensions))
	}
	t.Logf("kappa per dimension (page = eval -coders): %v", page)
	code, out, _ = peermap(t, ws, "code", "export", "-coder", "consensus", "-format", "jsonl")
	if code != 0 || len(decodeLines[annotate.HumanCode](t, out)) != 1 {
		t.Errorf("code export -coder consensus: exit %d, %q; want one adjudicated passage", code, out)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		t.Errorf("JavaScript dialogs opened (script ran from data): %q", b.dialogs)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
