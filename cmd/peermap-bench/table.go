package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// tableOptions are the flags of 'peermap-bench table'.
type tableOptions struct {
	corpus  string // ../shared/corpus
	peermap string // the peermap binary measured
	before  string // another peermap binary (an older build) run in the same alternation by the whole-process rows; "" for none
	tmp     string // scratch folder
	runs    int    // paired runs of whole-process rows
	e2eRuns int    // paired runs of the end-to-end row
	queries int    // timed searches per query and side
	rows    []string
	doc     string // Markdown file whose table section is rewritten
	keep    bool   // keep the scratch folder
}

// A result is one row of the table.
type result struct {
	stage, input string
	ours, ref    string // what was measured, with the medians
	refName      string
	wall, cpu    []float64 // per-run ratios peermap / reference (time: < 1 is faster)
	rss          []float64
	note         string
}

// rowNames are the rows of the table, in order.
var rowNames = []string{"e2e", "pdf", "pdf8", "html", "records", "annotate", "index", "search"}

func runTable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("table", flag.ContinueOnError)
	var o tableOptions
	var rows string
	fs.StringVar(&o.corpus, "corpus", defaultCorpus(), "the shared corpus `folder`")
	fs.StringVar(&o.peermap, "peermap", "bin/peermap", "peermap `binary` to measure (make build)")
	fs.StringVar(&o.before, "before", "", "an older peermap `binary`, measured in the same runs as -peermap by the whole-process rows (e2e, pdf, pdf8), for before/after ratios against the same reference")
	fs.StringVar(&o.tmp, "tmp", "", "scratch `folder` (default: a new temporary folder, removed at the end)")
	fs.IntVar(&o.runs, "runs", 5, "paired runs (A B A B ...) of each row")
	fs.IntVar(&o.e2eRuns, "e2e-runs", 3, "paired runs of the end-to-end row")
	fs.IntVar(&o.queries, "queries", 200, "timed searches per query, each side")
	fs.StringVar(&rows, "rows", strings.Join(rowNames, ","), "rows to measure, comma-separated")
	fs.StringVar(&o.doc, "doc", "", "Markdown `file` whose section between <!-- bench:table --> and <!-- /bench:table --> gets the table")
	fs.BoolVar(&o.keep, "keep", false, "keep the scratch folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.rows = strings.Split(rows, ",")
	for _, r := range o.rows {
		if !slices.Contains(rowNames, r) {
			return fmt.Errorf("unknown row %q (rows: %s)", r, strings.Join(rowNames, ", "))
		}
	}
	bin, err := filepath.Abs(o.peermap)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("peermap binary: %w (make build)", err)
	}
	o.peermap = bin
	if o.before != "" {
		if o.before, err = filepath.Abs(o.before); err != nil {
			return err
		}
		if _, err := os.Stat(o.before); err != nil {
			return fmt.Errorf("-before binary: %w", err)
		}
	}
	if o.corpus, err = filepath.Abs(o.corpus); err != nil {
		return err
	}
	if _, err := os.Stat(o.corpus); err != nil {
		return fmt.Errorf("shared corpus: %w", err)
	}
	if o.tmp == "" {
		if o.tmp, err = os.MkdirTemp("", "peermap-bench-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(o.tmp)
		}
	} else if err := os.MkdirAll(o.tmp, 0o755); err != nil {
		return err
	}
	b := &bench{o: o, log: stderr}
	var results []result
	start := time.Now()
	for _, name := range rowNames {
		if !slices.Contains(o.rows, name) {
			continue
		}
		fmt.Fprintf(stderr, "bench: %s ...\n", name)
		rs, err := b.row(ctx, name)
		if err != nil {
			return fmt.Errorf("row %s: %w", name, err)
		}
		results = append(results, rs...)
	}
	var sb strings.Builder
	writeTable(&sb, results, b.machine(start))
	fmt.Fprint(stdout, sb.String())
	if o.doc != "" {
		return replaceSection(o.doc, "bench:table", sb.String())
	}
	return nil
}

// bench holds what rows share: the options and the workspace built once.
type bench struct {
	o   tableOptions
	log io.Writer
	ws  string // a workspace of the whole corpus (ingested, annotated, indexed)
}

func (b *bench) row(ctx context.Context, name string) ([]result, error) {
	switch name {
	case "e2e":
		return b.endToEnd(ctx)
	case "pdf":
		return b.pdf(ctx, filepath.Join(b.o.corpus, "pdf"), "PDF ingest", "../shared/corpus/pdf")
	case "pdf8":
		dir, n, err := b.smallPDFs(ctx)
		if err != nil {
			return nil, err
		}
		return b.pdf(ctx, dir, "PDF ingest, small files", fmt.Sprintf("the %d smallest text PDFs of ../shared/corpus/pdf", n))
	case "html":
		return b.html(ctx)
	case "records":
		return b.records(ctx)
	case "annotate":
		return b.annotate(ctx)
	case "index":
		return b.index(ctx)
	case "search":
		return b.search(ctx)
	}
	return nil, fmt.Errorf("no row %q", name)
}

// workspace returns the workspace of the whole corpus, made by one
// untimed 'peermap run' unless the end-to-end row left one.
func (b *bench) workspace(ctx context.Context) (string, error) {
	if b.ws != "" {
		return b.ws, nil
	}
	ws := filepath.Join(b.o.tmp, "ws")
	os.RemoveAll(ws)
	fmt.Fprintf(b.log, "bench: building a workspace of %s (untimed)\n", b.o.corpus)
	if _, err := command(ctx, b.o.tmp, exitOK, b.o.peermap, "-w", ws, "run", b.o.corpus); err != nil {
		return "", err
	}
	b.ws = ws
	return ws, nil
}

// exitOK accepts exit code 1 from peermap: "some inputs failed" is data.
func exitOK(code int) bool { return code == 1 }

// endToEnd is 'peermap run' against recollindex over the whole corpus,
// each from an empty workspace / index.
func (b *bench) endToEnd(ctx context.Context) ([]result, error) {
	res := result{stage: "end to end", input: "../shared/corpus (" + b.countFiles(b.o.corpus) + ")", refName: "recollindex"}
	recoll, err := exec.LookPath("recollindex")
	if err != nil {
		res.note = "recollindex not installed (scripts/deps.sh recoll): no reference"
	}
	conf := filepath.Join(b.o.tmp, "recoll")
	if recoll != "" {
		if err := os.MkdirAll(conf, 0o755); err != nil {
			return nil, err
		}
		cfg := fmt.Sprintf("topdirs = %s\nloglevel = 1\n", b.o.corpus)
		if err := os.WriteFile(filepath.Join(conf, "recoll.conf"), []byte(cfg), 0o644); err != nil {
			return nil, err
		}
	}
	n := 0
	ours := func(ctx context.Context) (sample, error) {
		n++
		ws := filepath.Join(b.o.tmp, fmt.Sprint("e2e", n))
		os.RemoveAll(filepath.Join(b.o.tmp, fmt.Sprint("e2e", n-1)))
		b.ws = ws
		return command(ctx, b.o.tmp, exitOK, b.o.peermap, "-w", ws, "run", b.o.corpus)
	}
	ref := func(ctx context.Context) (sample, error) {
		for _, f := range []string{"xapiandb", "idxstatus.txt", "missing", "aspell.dat", "history"} {
			os.RemoveAll(filepath.Join(conf, f))
		}
		return command(ctx, b.o.tmp, nil, recoll, "-c", conf)
	}
	rs := []runner{ours}
	if recoll != "" {
		rs = append(rs, ref)
	}
	if b.o.before != "" {
		rs = append(rs, b.before("e2e-before", "run", b.o.corpus))
	}
	ss, err := alternate(ctx, b.o.e2eRuns, false, rs...)
	if err != nil {
		return nil, err
	}
	return b.pair(res, ss, recoll != ""), nil
}

// before runs the -before binary with args on a new workspace named ws
// in the scratch folder, removed after the run.
func (b *bench) before(ws string, args ...string) runner {
	return func(ctx context.Context) (sample, error) {
		dir := filepath.Join(b.o.tmp, ws)
		defer os.RemoveAll(dir)
		return command(ctx, b.o.tmp, exitOK, append([]string{b.o.before, "-w", dir}, args...)...)
	}
}

// pdf is 'peermap ingest -workers 2' of the PDFs of dir into an empty
// workspace against pdftotext over the same files, two at a time.
func (b *bench) pdf(ctx context.Context, dir, stage, input string) ([]result, error) {
	res := result{stage: stage, input: input + " (" + b.countFiles(dir) + ")", refName: "pdftotext, 2 processes"}
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		return nil, err
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		res.note = "pdftotext not installed (scripts/deps.sh poppler): no reference"
	}
	n := 0
	ours := func(ctx context.Context) (sample, error) {
		n++
		ws := filepath.Join(b.o.tmp, fmt.Sprint("pdfws", n))
		defer os.RemoveAll(ws)
		return command(ctx, b.o.tmp, exitOK, b.o.peermap, "-w", ws, "ingest", "-workers", "2", dir)
	}
	// xargs keeps two pdftotext processes running; a file pdftotext
	// cannot read (encrypted, broken) makes xargs exit 123.
	script := `printf '%s\0' "$@" | xargs -0 -P 2 -I{} ` + pdftotext + ` -q -enc UTF-8 {} -`
	ref := func(ctx context.Context) (sample, error) {
		return command(ctx, b.o.tmp, func(code int) bool { return code == 123 }, append([]string{"sh", "-c", script + " >/dev/null", "sh"}, files...)...)
	}
	rs := []runner{ours}
	if pdftotext != "" {
		rs = append(rs, ref)
	}
	if b.o.before != "" {
		rs = append(rs, b.before("pdfws-before", "ingest", "-workers", "2", dir))
	}
	ss, err := alternate(ctx, b.o.runs, true, rs...)
	if err != nil {
		return nil, err
	}
	return b.pair(res, ss, pdftotext != ""), nil
}

// pair fills res from the samples of a whole-process row: ss[0] peermap's,
// then the reference's when haveRef, then those of the -before binary when
// it was given, which make a second row against the same reference (the
// runs of all three alternating).
func (b *bench) pair(res result, ss [][]sample, haveRef bool) []result {
	res.ours = describe(ss[0], true)
	out := []result{res}
	if !haveRef {
		return out
	}
	ref := ss[1]
	out[0].ref = describe(ref, true)
	out[0].wall, out[0].cpu, out[0].rss = ratios(ss[0], ref, wall), ratios(ss[0], ref, cpu), ratios(ss[0], ref, rss)
	if len(ss) > 2 {
		bf := res
		bf.stage = res.stage + ", before (" + filepath.Base(b.o.before) + ")"
		bf.ours, bf.ref = describe(ss[2], true), out[0].ref
		bf.wall, bf.cpu, bf.rss = ratios(ss[2], ref, wall), ratios(ss[2], ref, cpu), ratios(ss[2], ref, rss)
		bf.note = fmt.Sprintf("same runs; time ratio after/before, wall %s", ratioCell(ratios(ss[0], ss[2], wall)))
		out = append(out, bf)
	}
	return out
}

// smallPDFs copies the 8 smallest PDFs of the corpus from which pdftotext
// gets at least 500 bytes of text into a scratch folder.
func (b *bench) smallPDFs(ctx context.Context) (string, int, error) {
	files, err := filepath.Glob(filepath.Join(b.o.corpus, "pdf", "*.pdf"))
	if err != nil {
		return "", 0, err
	}
	size := func(f string) int64 {
		fi, err := os.Stat(f)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	slices.SortFunc(files, func(x, y string) int { return int(size(x) - size(y)) })
	dir := filepath.Join(b.o.tmp, "pdf8")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, err
	}
	n := 0
	for _, f := range files {
		if n == 8 {
			break
		}
		out, err := exec.CommandContext(ctx, "pdftotext", "-q", f, "-").Output()
		if err != nil || len(out) < 500 {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return "", 0, err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			return "", 0, err
		}
		n++
	}
	if n == 0 {
		return "", 0, errors.New("no text PDF found (is pdftotext installed?)")
	}
	return dir, n, nil
}

func (b *bench) countFiles(dir string) string {
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return fmt.Sprintf("%d files", n)
}

// describe sums up samples: median wall, CPU and (for processes) peak RSS.
func describe(ss []sample, process bool) string {
	s := fmt.Sprintf("%s wall, %s CPU", secs(median(ss, wall)), secs(median(ss, cpu)))
	if process {
		s += fmt.Sprintf(", %.0f MiB peak RSS", median(ss, rss)/(1<<20))
		if a := median(ss, anon); a > 0 {
			s += fmt.Sprintf(" (%.0f MiB own)", a/(1<<20))
		}
	}
	return s
}

func secs(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.0f ms", s*1000)
	}
	return fmt.Sprintf("%.2f s", s)
}

// machine describes where and when the table was made.
func (b *bench) machine(start time.Time) string {
	load, _ := os.ReadFile("/proc/loadavg")
	model := ""
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for l := range strings.SplitSeq(string(info), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, model, _ = strings.Cut(l, ":")
				model = strings.TrimSpace(model)
				break
			}
		}
	}
	f := strings.Fields(string(load))
	if len(f) > 3 {
		f = f[:3]
	}
	return fmt.Sprintf("%s, %d CPUs (%s), %s; load average at the end %s; took %s",
		start.UTC().Format("2006-01-02"), runtime.NumCPU(), model, runtime.Version(), strings.Join(f, " "), time.Since(start).Round(time.Second))
}

// writeTable writes the results as a Markdown table.
func writeTable(w io.Writer, rs []result, machine string) {
	fmt.Fprintf(w, "Machine: %s.\n\n", machine)
	fmt.Fprintln(w, "| stage | input | peermap (medians) | reference | reference (medians) | time ratio, wall | time ratio, CPU | peak RSS ratio |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		ref := r.ref
		if r.note != "" {
			ref = strings.TrimSpace(ref + " " + r.note)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.stage, r.input, r.ours, r.refName, ref, ratioCell(r.wall), ratioCell(r.cpu), ratioCell(r.rss))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios are peermap / reference, the median of the ratios of paired runs (A B A B ...) with their range in")
	fmt.Fprintln(w, "brackets: below 1 peermap takes less time (or memory). Peak RSS is ru_maxrss: that of the largest process, children")
	fmt.Fprintln(w, "included, counting the pages of the files it maps; \"own\" is the peak anonymous memory (RssAnon) of the main process.")
}

func ratioCell(vs []float64) string {
	if len(vs) == 0 {
		return "—"
	}
	if len(vs) == 1 {
		return fmt.Sprintf("%.2f", vs[0])
	}
	return fmt.Sprintf("**%.2f** (%.2f–%.2f)", medianOf(vs), vs[0], vs[len(vs)-1])
}

// replaceSection rewrites the lines between "<!-- tag -->" and
// "<!-- /tag -->" of the Markdown file path with body.
func replaceSection(path, tag, body string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	open, end := "<!-- "+tag+" -->", "<!-- /"+tag+" -->"
	s := string(raw)
	i, j := strings.Index(s, open), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %s ... %s section", path, open, end)
	}
	s = s[:i+len(open)] + "\n" + body + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
