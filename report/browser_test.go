package report_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/peermap/peermap/internal/testtool"
	"github.com/peermap/peermap/report"
)

var shot = flag.String("shot", "", "also save a full-page screenshot of the fixture's HTML report to this PNG file")

// chromium returns the path of a Chromium binary, or skips the test (fails
// it under CI).
func chromium(t *testing.T) string {
	t.Helper()
	return testtool.Path(t, "chromium", "/usr/bin/chromium", "chromium", "chromium-browser")
}

// TestHTMLHeatmapRenders opens the fixture's HTML report in headless
// Chromium and checks that each SVG heatmap has one visible rect per cell:
// units × codes for the matrix, units × configurations for the crosswalk.
func TestHTMLHeatmapRenders(t *testing.T) {
	bin := chromium(t)
	in, _ := fixtureInput(t)
	r := build(t, in, report.Options{})
	dir := tempDir(t)
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, render(t, r, report.HTML), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"crosswalk": len(r.Crosswalk) * len(r.Configurations)}
	for _, m := range r.Matrices {
		want["matrix"] += len(m.Rows) * len(m.Codes)
	}
	if want["matrix"] == 0 || want["crosswalk"] == 0 {
		t.Fatalf("fixture has an empty heatmap: %v", want)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()

	type result struct {
		Rects  int     `json:"rects"`
		Empty  int     `json:"empty"`
		Width  float64 `json:"width"`
		Height float64 `json:"height"`
		Title  string  `json:"title"`
	}
	const js = `(cls) => {
		const svg = document.querySelector("svg.heatmap." + cls);
		if (!svg) return {rects: -1, empty: 0, width: 0, height: 0, title: ""};
		const rects = Array.from(svg.querySelectorAll("rect.cell"));
		const empty = rects.filter(r => { const b = r.getBoundingClientRect(); return !(b.width > 0 && b.height > 0); }).length;
		const b = svg.getBoundingClientRect();
		const t = rects.length ? rects[0].querySelector("title").textContent : "";
		return {rects: rects.length, empty: empty, width: b.width, height: b.height, title: t};
	}`
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.CSS("svg.heatmap"))); err != nil {
		t.Fatalf("chromium: open report: %v", err)
	}
	for _, class := range []string{"matrix", "crosswalk"} {
		got, err := chromedp.Run(bctx, chromedp.Evaluate[result]("("+js+")("+strconv.Quote(class)+")"))
		if err != nil {
			t.Fatalf("chromium: measure %s heatmap: %v", class, err)
		}
		if got.Rects != want[class] {
			t.Errorf("%s heatmap rects = %d, want %d (one per cell)", class, got.Rects, want[class])
		}
		if got.Empty != 0 {
			t.Errorf("%d %s heatmap rects have no area", got.Empty, class)
		}
		if got.Width <= 0 || got.Height <= 0 {
			t.Errorf("%s heatmap box = %.0f×%.0f, want non-zero", class, got.Width, got.Height)
		}
		if got.Title == "" {
			t.Errorf("%s heatmap cells have no tooltip", class)
		}
	}
	if *shot != "" {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("chromium: screenshot: %v", err)
		}
		if err := os.WriteFile(*shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		svg, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.CSS("svg.heatmap.matrix")))
		if err != nil {
			t.Fatalf("chromium: heatmap screenshot: %v", err)
		}
		hm := strings.TrimSuffix(*shot, ".png") + "-heatmap.png"
		if err := os.WriteFile(hm, svg, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshots: %s, %s", *shot, hm)
	}
}

// tempDir is t.TempDir for a browser profile: Chromium's helpers may still
// write in it for a moment after the browser stops, so removal is retried
// and a leftover directory is logged, not failed.
func tempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "peermap-report-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if err := os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove %s", dir)
	})
	return dir
}
