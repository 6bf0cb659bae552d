package main

import (
	"archive/tar"
	"bufio"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A work is the part of a SYNERGY OpenAlex work the synthesis varies.
type work struct {
	Title       string           `json:"title"`
	Year        int              `json:"publication_year"`
	Inverted    map[string][]int `json:"abstract_inverted_index"`
	Authorships []struct {
		Author struct {
			Name string `json:"display_name"`
		} `json:"author"`
	} `json:"authorships"`
}

// synth makes OpenAlex works from the SYNERGY abstracts with varied words:
// each work takes a real abstract and title and replaces words by words
// drawn from all the abstracts (so by their frequency), a fixed seed.
// Abstracts keep about 70% of their words, titles 30%, so that two works
// made from one abstract are not near duplicates (nor similar titles) and
// grouping meets what it meets in a real corpus: few candidates.
type synth struct {
	sources []work
	words   []string // every word of every abstract, in order: sampling it samples by frequency
	authors []string
	r       *rand.Rand
	n       int
}

func newSynth(corpus string) (*synth, error) {
	files, err := filepath.Glob(filepath.Join(corpus, "big", "*.works.tar.gz"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no SYNERGY works under %s/big", corpus)
	}
	s := &synth{r: rand.New(rand.NewPCG(17, 4))}
	for _, f := range files {
		ws, err := readWorks(f)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			if len(w.Inverted) == 0 || w.Title == "" {
				continue
			}
			s.sources = append(s.sources, w)
			s.words = append(s.words, abstractWords(w.Inverted)...)
			for _, a := range w.Authorships {
				if a.Author.Name != "" {
					s.authors = append(s.authors, a.Author.Name)
				}
			}
		}
	}
	return s, nil
}

func readWorks(path string) ([]work, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	var out []work
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(h.Name, ".json") {
			continue
		}
		var ws []work
		if err := json.NewDecoder(tr).Decode(&ws); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, h.Name, err)
		}
		out = append(out, ws...)
	}
}

// abstractWords returns the words of an inverted abstract in order.
func abstractWords(inv map[string][]int) []string {
	n := 0
	for _, ps := range inv {
		for _, p := range ps {
			n = max(n, p+1)
		}
	}
	if n > 5000 {
		n = 5000
	}
	out := make([]string, n)
	for w, ps := range inv {
		for _, p := range ps {
			if p >= 0 && p < n {
				out[p] = w
			}
		}
	}
	kept := out[:0]
	for _, w := range out {
		if w != "" {
			kept = append(kept, w)
		}
	}
	return kept
}

// next returns the next synthetic work as OpenAlex JSON.
func (s *synth) next() map[string]any {
	s.n++
	src := s.sources[s.r.IntN(len(s.sources))]
	vary := func(ws []string, keep float64) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			if s.r.Float64() < keep {
				out[i] = w
			} else {
				out[i] = s.words[s.r.IntN(len(s.words))]
			}
		}
		return out
	}
	abs := vary(abstractWords(src.Inverted), 0.7)
	inv := map[string][]int{}
	for i, w := range abs {
		inv[w] = append(inv[w], i)
	}
	title := strings.Join(vary(strings.Fields(src.Title), 0.3), " ")
	var authors []map[string]any
	for range 1 + s.r.IntN(5) {
		authors = append(authors, map[string]any{"author": map[string]any{"display_name": s.authors[s.r.IntN(len(s.authors))]}})
	}
	return map[string]any{
		"id":                      fmt.Sprintf("https://openalex.org/W9%09d", s.n),
		"doi":                     fmt.Sprintf("https://doi.org/10.5555/synth.%d", s.n),
		"title":                   title,
		"publication_year":        src.Year,
		"authorships":             authors,
		"abstract_inverted_index": inv,
	}
}

// writeWorks writes n synthetic works as gzipped JSON arrays of 1000
// works, files name-00001.json.gz ..., into dir.
func (s *synth) writeWorks(dir, name string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for file := 0; n > 0; file++ {
		k := min(n, 1000)
		n -= k
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%05d.json.gz", name, file+1)))
		if err != nil {
			return err
		}
		gz, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
		bw := bufio.NewWriter(gz)
		enc := json.NewEncoder(bw)
		bw.WriteByte('[')
		for i := range k {
			if i > 0 {
				bw.WriteByte(',')
			}
			if err := enc.Encode(s.next()); err != nil {
				return err
			}
		}
		bw.WriteByte(']')
		if err := bw.Flush(); err != nil {
			return err
		}
		if err := gz.Close(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// passagesPerWork is how many passages a synthetic work gives, measured on
// the first size and used to size the others.
const firstGuess = 3.5

// A scaleResult is one size of the scale table.
type scaleResult struct {
	works, passages int
	stages          []stageTime
	incr            [][]stageTime // the re-runs after adding 1% new works (-incr-runs), each from the same workspace
	incrWorks       int
}

type stageTime struct {
	name string
	s    sample
}

func total(ts []stageTime) (wall, cpu time.Duration, rss, anon int64) {
	for _, t := range ts {
		wall += t.s.wall
		cpu += t.s.cpu
		rss = max(rss, t.s.rss)
		anon = max(anon, t.s.anon)
	}
	return
}

func runScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	corpusDir := fs.String("corpus", defaultCorpus(), "the shared corpus `folder` (its big/ SYNERGY sets are the source)")
	bin := fs.String("peermap", "bin/peermap", "peermap `binary` to measure")
	tmp := fs.String("tmp", "", "scratch `folder` (default: a new temporary folder, removed at the end)")
	sizes := fs.String("sizes", "10000,100000,1000000", "passages, comma-separated")
	keep := fs.Bool("keep", false, "keep each size's works and workspace in the scratch folder")
	doc := fs.String("doc", "", "Markdown `file` whose <!-- bench:scale --> section gets the table")
	incrRuns := fs.Int("incr-runs", 1, "times the incremental re-run is made, each from a copy of the workspace as the full run left it; the table gives the median and range")
	if err := fs.Parse(args); err != nil {
		return err
	}
	peermap, err := filepath.Abs(*bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(peermap); err != nil {
		return fmt.Errorf("peermap binary: %w (make build)", err)
	}
	if *tmp == "" {
		if *tmp, err = os.MkdirTemp("", "peermap-scale-"); err != nil {
			return err
		}
		if !*keep {
			defer os.RemoveAll(*tmp)
		}
	}
	s, err := newSynth(*corpusDir)
	if err != nil {
		return err
	}
	perWork := firstGuess
	start := time.Now()
	var results []scaleResult
	for _, f := range strings.Split(*sizes, ",") {
		want, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("size %q: %w", f, err)
		}
		dir := filepath.Join(*tmp, fmt.Sprint("works", want))
		ws := filepath.Join(*tmp, fmt.Sprint("ws", want))
		os.RemoveAll(dir)
		os.RemoveAll(ws)
		n := int(float64(want)/perWork + 0.5)
		fmt.Fprintf(stderr, "scale: %d passages: writing %d works\n", want, n)
		if err := s.writeWorks(dir, "works", n); err != nil {
			return err
		}
		res := scaleResult{works: n}
		stages := func(into *[]stageTime) error {
			for _, st := range [][]string{{"ingest", dir}, {"annotate"}, {"index"}, {"search", "-n", "20", "peer support"}, {"search", "-n", "20", "-facets", `"health workers" kind:record`}} {
				fmt.Fprintf(stderr, "scale: %d passages: %s\n", want, st[0])
				smp, err := command(ctx, *tmp, exitOK, append([]string{peermap, "-w", ws}, st...)...)
				if err != nil {
					return err
				}
				*into = append(*into, stageTime{st[0], smp})
				fmt.Fprintf(stderr, "scale: %d passages: %s %s wall, %s CPU, %.0f MiB peak RSS, %.0f MiB own\n", want, st[0], secs(smp.wall.Seconds()), secs(smp.cpu.Seconds()), float64(smp.rss)/(1<<20), float64(smp.anon)/(1<<20))
			}
			return nil
		}
		if err := stages(&res.stages); err != nil {
			return err
		}
		if res.passages, err = countPassages(ctx, peermap, ws); err != nil {
			return err
		}
		if res.works > 0 {
			perWork = float64(res.passages) / float64(res.works)
		}
		// One incremental re-run after adding 1% new works.
		res.incrWorks = max(1, n/100)
		if err := s.writeWorks(dir, "added", res.incrWorks); err != nil {
			return err
		}
		saved := ws + ".full"
		if *incrRuns > 1 {
			if err := copyDir(ws, saved); err != nil {
				return err
			}
			defer os.RemoveAll(saved)
		}
		for i := range max(1, *incrRuns) {
			if i > 0 {
				if err := os.RemoveAll(ws); err != nil {
					return err
				}
				if err := copyDir(saved, ws); err != nil {
					return err
				}
			}
			var run []stageTime
			if err := stages(&run); err != nil {
				return err
			}
			res.incr = append(res.incr, run)
		}

		results = append(results, res)
		if !*keep {
			os.RemoveAll(dir)
			os.RemoveAll(ws)
		}
	}
	var sb strings.Builder
	writeScale(&sb, results, (&bench{}).machine(start))
	fmt.Fprint(stdout, sb.String())
	if *doc != "" {
		return replaceSection(*doc, "bench:scale", sb.String())
	}
	return nil
}

// countPassages asks 'peermap stats -json' how many passages the workspace holds.
func countPassages(ctx context.Context, peermap, ws string) (int, error) {
	out, err := execOutput(ctx, peermap, "-w", ws, "stats", "-json")
	if err != nil {
		return 0, err
	}
	var st struct {
		Passages int `json:"passages"`
	}
	if err := json.Unmarshal(out, &st); err != nil {
		return 0, fmt.Errorf("stats -json: %w", err)
	}
	return st.Passages, nil
}

func writeScale(w io.Writer, rs []scaleResult, machine string) {
	fmt.Fprintf(w, "Machine: %s.\n\n", machine)
	fmt.Fprintln(w, "| passages | works | ingest | annotate | index | 2 searches | total wall (CPU) | passages/s | µs per passage (× of the first) | peak RSS (own) | +1% works: wall (CPU) | share of the full run |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	var first float64
	for _, r := range rs {
		wall, cpu, rss, own := total(r.stages)
		iwall, icpu, share := incremental(r, wall)
		by := map[string]time.Duration{}
		for _, t := range r.stages {
			by[t.name] += t.s.wall
		}
		per := wall.Seconds() * 1e6 / float64(r.passages)
		if first == 0 {
			first = per
		}
		fmt.Fprintf(w, "| %d | %d | %s | %s | %s | %s | %s (%s) | %.0f | %.0f (%.2f×) | %.0f MiB (%.0f MiB) | %s (%s) | %s |\n",
			r.passages, r.works, secs(by["ingest"].Seconds()), secs(by["annotate"].Seconds()), secs(by["index"].Seconds()), secs(by["search"].Seconds()),
			secs(wall.Seconds()), secs(cpu.Seconds()), float64(r.passages)/wall.Seconds(), per, per/first, float64(rss)/(1<<20), float64(own)/(1<<20),
			secs(iwall.Seconds()), secs(icpu.Seconds()), share)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Each stage is one peermap process on a new workspace; peak RSS is the largest ru_maxrss of them (file pages mapped")
	fmt.Fprintln(w, "from corpus.db and the index included), own the largest peak of anonymous memory (RssAnon). The incremental re-run")
	fmt.Fprintln(w, "ingests the same folder after 1% new works were added to it, then annotates, indexes and searches again; made")
	fmt.Fprintln(w, "several times (-incr-runs), each from a copy of the workspace the full run left, it is given as the median, with the")
	fmt.Fprintln(w, "range of the shares in brackets.")
}

// incremental returns the wall and CPU time of r's incremental re-run and
// its share of full (the full run's wall time) as a table cell: with more
// than one re-run, the median re-run (by wall time) and the range of the
// shares.
func incremental(r scaleResult, full time.Duration) (wall, cpu time.Duration, share string) {
	type run struct{ wall, cpu time.Duration }
	var rs []run
	for _, st := range r.incr {
		w, c, _, _ := total(st)
		rs = append(rs, run{w, c})
	}
	slices.SortFunc(rs, func(a, b run) int { return cmp.Compare(a.wall, b.wall) })
	mid := rs[len(rs)/2]
	pct := func(d time.Duration) float64 { return 100 * d.Seconds() / full.Seconds() }
	share = fmt.Sprintf("%.1f%%", pct(mid.wall))
	if len(rs) > 1 {
		share = fmt.Sprintf("%.1f%% (%.1f–%.1f%%, %d runs)", pct(mid.wall), pct(rs[0].wall), pct(rs[len(rs)-1].wall), len(rs))
	}
	return mid.wall, mid.cpu, share
}

// copyDir copies the folder src (a workspace: plain files and folders) to
// dst, which must not exist, and syncs each file.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		// On disk, as the full run left its workspace: else the re-run's
		// first fsync would write the whole copy, and be timed.
		if err := out.Sync(); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
