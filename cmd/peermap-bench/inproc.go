package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/ingest/refs"
	"github.com/peermap/peermap/pipeline"
)

// html is ingest.File over the HTML pages of the corpus against a bare
// go-readability loop (read, parse, render the article's text), one file
// after the other on both sides.
func (b *bench) html(ctx context.Context) ([]result, error) {
	files, err := filepath.Glob(filepath.Join(b.o.corpus, "html", "*.html"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no HTML files under %s/html: %v", b.o.corpus, err)
	}
	ours := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) {
			for _, f := range files {
				if _, _, err := ingest.File(ctx, f, ingest.Options{}); err != nil {
					return 0, err
				}
			}
			return len(files), nil
		})
	}
	ref := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) {
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					return 0, err
				}
				art, err := readability.FromReader(bytes.NewReader(data), &url.URL{Scheme: "file", Path: f})
				if err != nil {
					continue // a page readability cannot read costs what it cost
				}
				if art.Node != nil {
					if err := art.RenderText(io.Discard); err != nil {
						return 0, err
					}
				}
			}
			return len(files), nil
		})
	}
	ss, err := alternate(ctx, b.o.runs, true, ours, ref)
	if err != nil {
		return nil, err
	}
	return []result{{
		stage: "HTML ingest (ingest.File: main text, metadata, language, passages)", input: fmt.Sprintf("../shared/corpus/html (%d pages)", len(files)),
		ours: describe(ss[0], false), refName: "go-readability loop (FromReader, RenderText)", ref: describe(ss[1], false),
		wall: ratios(ss[0], ss[1], wall), cpu: ratios(ss[0], ss[1], cpu),
	}}, nil
}

// records is the reading of the SYNERGY OpenAlex works, by refs.Read and
// by a whole ingest into a new workspace, against a bare encoding/json
// decode of the same files (gzip, tar, one map per work).
func (b *bench) records(ctx context.Context) ([]result, error) {
	files, err := filepath.Glob(filepath.Join(b.o.corpus, "big", "*.works.tar.gz"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no SYNERGY works under %s/big: %v", b.o.corpus, err)
	}
	read := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) {
			n := 0
			for _, f := range files {
				fh, err := os.Open(f)
				if err != nil {
					return 0, err
				}
				head := make([]byte, 4096)
				m, _ := io.ReadFull(fh, head)
				if _, err := fh.Seek(0, io.SeekStart); err != nil {
					return 0, err
				}
				for _, err := range refs.Read(ctx, fh, f, refs.Detect(head[:m], f)) {
					if err == nil {
						n++
					}
				}
				fh.Close()
			}
			return n, nil
		})
	}
	k := 0
	store := func(ctx context.Context) (sample, error) {
		k++
		dir := filepath.Join(b.o.tmp, fmt.Sprint("recws", k))
		defer os.RemoveAll(dir)
		return inProcess(func() (int, error) {
			w, _, err := pipeline.Init(pipeline.Options{Dir: dir})
			if err != nil {
				return 0, err
			}
			defer w.Close()
			sum, err := w.Ingest(ctx, files, pipeline.IngestOptions{Workers: 2})
			if err != nil {
				return 0, err
			}
			return sum.Records, nil
		})
	}
	bare := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) { return bareDecode(files) })
	}
	ss, err := alternate(ctx, b.o.runs, true, read, store, bare)
	if err != nil {
		return nil, err
	}
	n := ss[2][0].n
	input := fmt.Sprintf("../shared/corpus/big: %d SYNERGY OpenAlex sets, %d works", len(files), n)
	perSec := func(ss []sample) string {
		return fmt.Sprintf("%s; %.0f records/s", describe(ss, false), float64(ss[0].n)/median(ss, wall))
	}
	ref := describe(ss[2], false)
	return []result{
		{stage: "records: refs.Read (decode, abstract, document)", input: input, ours: perSec(ss[0]), refName: "encoding/json decode, one map per work", ref: ref,
			wall: ratios(ss[0], ss[2], wall), cpu: ratios(ss[0], ss[2], cpu)},
		{stage: "records: ingest into a new workspace (+ language, passages, store, groups)", input: input, ours: perSec(ss[1]), refName: "encoding/json decode, one map per work", ref: ref,
			wall: ratios(ss[1], ss[2], wall), cpu: ratios(ss[1], ss[2], cpu)},
	}, nil
}

// bareDecode is what a user's script does with the SYNERGY files: gunzip,
// untar, and decode each work of each JSON member into a map.
func bareDecode(files []string) (int, error) {
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return 0, err
		}
		gz, err := gzip.NewReader(fh)
		if err != nil {
			return 0, err
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return 0, err
			}
			if !strings.HasSuffix(h.Name, ".json") {
				continue
			}
			dec := json.NewDecoder(tr)
			if _, err := dec.Token(); err != nil {
				return 0, err
			}
			for dec.More() {
				var w map[string]any
				if err := dec.Decode(&w); err != nil {
					return 0, err
				}
				n++
			}
		}
		fh.Close()
	}
	return n, nil
}

// annotate measures the annotate stage on the workspace (every document
// again) and the tagger alone on passages already in memory, in passages
// per CPU-second: the machine is shared, so CPU time is the fairer clock.
func (b *bench) annotate(ctx context.Context) ([]result, error) {
	w, err := b.open(ctx)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	type docPs struct {
		d  *corpus.Document
		ps []corpus.Passage
	}
	var all []docPs
	docs, err := w.Store().Documents(ctx)
	if err != nil {
		return nil, err
	}
	passages := 0
	for _, m := range docs {
		if m.Skip != corpus.NotSkipped {
			continue
		}
		d, err := w.Store().Document(m.ID)
		if err != nil {
			return nil, err
		}
		ps, err := w.Store().Passages(m.ID)
		if err != nil {
			return nil, err
		}
		all = append(all, docPs{d, ps})
		passages += len(ps)
	}
	tagger, err := w.Tagger() // the workspace's annotator: rules and the learned layer
	if err != nil {
		return nil, err
	}
	stage := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) {
			sum, err := w.Annotate(ctx, true)
			return sum.Passages, err
		})
	}
	tag := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) {
			for _, x := range all {
				tagger.Tag(x.d, x.ps)
			}
			return passages, nil
		})
	}
	ss, err := alternate(ctx, b.o.runs, true, stage, tag)
	if err != nil {
		return nil, err
	}
	rate := func(ss []sample) string {
		return fmt.Sprintf("**%.0f passages/s/core** (%s)", float64(ss[0].n)/median(ss, cpu), describe(ss, false))
	}
	input := fmt.Sprintf("the whole corpus: %d passages", passages)
	return []result{
		{stage: "annotate stage (read, tag, store; every document)", input: input, ours: rate(ss[0]), refName: "—", note: "target ≥ 10,000 passages/s/core"},
		{stage: "annotate: tagger alone (passages in memory)", input: input, ours: rate(ss[1]), refName: "—", note: "the workspace's tagger (" + tagger.Annotator() + ")"},
	}, nil
}

// A flat passage is what the bare programs index: the fields a hit shows.
type flat struct {
	ID      string   `json:"id"`
	Doc     string   `json:"doc"`
	Text    string   `json:"text"`
	Title   string   `json:"title,omitempty"`
	Authors []string `json:"authors,omitempty"`
	Year    float64  `json:"year,omitempty"`
	Path    string   `json:"path,omitempty"`
	Page    float64  `json:"page,omitempty"`
	Section string   `json:"section,omitempty"`
	Kind    string   `json:"kind,omitempty"`
	Lang    string   `json:"lang,omitempty"`
	Labels  []string `json:"labels,omitempty"`
	Codes   []string `json:"codes,omitempty"`
}

// index is the index stage (a rebuild from the store) against a bare
// bleve program (default mapping, batches of 1000) and the sqlite3 CLI
// with an FTS5 table, both reading the same passages from a file.
func (b *bench) index(ctx context.Context) ([]result, error) {
	w, err := b.open(ctx)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	jsonl, csvPath := filepath.Join(b.o.tmp, "passages.jsonl"), filepath.Join(b.o.tmp, "passages.csv")
	n, err := writePassages(ctx, w.Store(), jsonl, csvPath)
	if err != nil {
		return nil, err
	}
	ours := func(ctx context.Context) (sample, error) {
		return inProcess(func() (int, error) {
			sum, err := w.Reindex(ctx)
			return sum.Passages, err
		})
	}
	k := 0
	bare := func(ctx context.Context) (sample, error) {
		k++
		dir := filepath.Join(b.o.tmp, fmt.Sprint("bare", k))
		defer os.RemoveAll(dir)
		return inProcess(func() (int, error) { return bareIndex(dir, jsonl) })
	}
	script := filepath.Join(b.o.tmp, "fts5.sql")
	sql := "CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, doc UNINDEXED, text, title, authors, year UNINDEXED, path UNINDEXED, page UNINDEXED, section, kind UNINDEXED, lang UNINDEXED, labels, codes, tokenize='porter unicode61 remove_diacritics 2');\n" +
		".mode csv\n.import " + csvPath + " p\n"
	if err := os.WriteFile(script, []byte(sql), 0o644); err != nil {
		return nil, err
	}
	fts := func(ctx context.Context) (sample, error) {
		k++
		db := filepath.Join(b.o.tmp, fmt.Sprint("fts", k, ".db"))
		defer os.Remove(db)
		return command(ctx, b.o.tmp, nil, "sqlite3", db, ".read "+script)
	}
	rs := []runner{ours, bare}
	haveSQLite := true
	if _, err := exec.LookPath("sqlite3"); err != nil {
		haveSQLite = false
	} else {
		rs = append(rs, fts)
	}
	ss, err := alternate(ctx, b.o.runs, true, rs...)
	if err != nil {
		return nil, err
	}
	input := fmt.Sprintf("the whole corpus: %d passages", n)
	rate := func(ss []sample) string {
		return fmt.Sprintf("%s; %.0f passages/s", describe(ss, false), float64(n)/median(ss, wall))
	}
	out := []result{{stage: "index stage (rebuild from the store)", input: input, ours: rate(ss[0]), refName: "bare bleve, default mapping, batches of 1000, from a JSONL file", ref: rate(ss[1]),
		wall: ratios(ss[0], ss[1], wall), cpu: ratios(ss[0], ss[1], cpu)}}
	r := result{stage: "index stage (rebuild from the store)", input: input, ours: rate(ss[0]), refName: "sqlite3 CLI, FTS5 (porter, unicode61), .import of a CSV file"}
	if haveSQLite {
		r.ref = describe(ss[2], true)
		r.wall, r.cpu = ratios(ss[0], ss[2], wall), ratios(ss[0], ss[2], cpu)
	} else {
		r.note = "sqlite3 not installed: no reference"
	}
	return append(out, r), nil
}

// writePassages writes every indexed passage of the store as JSON lines
// and as CSV rows (for sqlite3's .import) and returns how many.
func writePassages(ctx context.Context, s *corpus.Store, jsonl, csvPath string) (int, error) {
	jf, err := os.Create(jsonl)
	if err != nil {
		return 0, err
	}
	defer jf.Close()
	cf, err := os.Create(csvPath)
	if err != nil {
		return 0, err
	}
	defer cf.Close()
	jw, cw := bufio.NewWriter(jf), csv.NewWriter(cf)
	enc := json.NewEncoder(jw)
	docs, err := s.Documents(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range docs {
		if d.Skip != corpus.NotSkipped {
			continue
		}
		vs, err := s.Views(d.ID)
		if err != nil {
			return 0, err
		}
		for _, v := range vs {
			f := flat{ID: string(v.Passage.ID), Doc: string(d.ID), Text: v.Passage.Text, Title: d.Title, Authors: d.Authors, Year: float64(d.Year), Path: d.Path,
				Page: float64(v.Passage.Page), Section: v.Passage.Section, Kind: string(d.Kind), Lang: d.Lang, Labels: v.Labels(), Codes: v.Codes()}
			if err := enc.Encode(f); err != nil {
				return 0, err
			}
			if err := cw.Write([]string{f.ID, f.Doc, f.Text, f.Title, strings.Join(f.Authors, "; "), fmt.Sprint(d.Year), f.Path, fmt.Sprint(v.Passage.Page),
				f.Section, f.Kind, f.Lang, strings.Join(f.Labels, "; "), strings.Join(f.Codes, "; ")}); err != nil {
				return 0, err
			}
			n++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, err
	}
	return n, jw.Flush()
}

// bareIndex is the bare bleve program: read the passages from a JSON lines
// file and index them with bleve's default mapping, 1000 per batch.
func bareIndex(dir, jsonl string) (int, error) {
	f, err := os.Open(jsonl)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	ix, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	batch := ix.NewBatch()
	n := 0
	for sc.Scan() {
		var p flat
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			ix.Close()
			return 0, err
		}
		if err := batch.Index(p.ID, p); err != nil {
			ix.Close()
			return 0, err
		}
		n++
		if batch.Size() >= 1000 {
			if err := ix.Batch(batch); err != nil {
				ix.Close()
				return 0, err
			}
			batch = ix.NewBatch()
		}
	}
	if err := sc.Err(); err != nil {
		ix.Close()
		return 0, err
	}
	if err := ix.Batch(batch); err != nil {
		ix.Close()
		return 0, err
	}
	return n, ix.Close()
}

// search times index.Search on the workspace's index against the same
// requests sent to bleve directly (same index, same query tree, fields,
// highlighting, sort and facets), alternating one search of each.
func (b *bench) search(ctx context.Context) ([]result, error) {
	ws, err := b.workspace(ctx)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(ws, "index")
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, err
	}
	defer bi.Close()
	// The most frequent code, so that the filter selects something.
	res, err := ix.Search(ctx, corpus.Query{Facets: true, Limit: 1})
	if err != nil {
		return nil, err
	}
	code := "role.navigation"
	if cs := res.Facets["code"]; len(cs) > 0 {
		code = cs[0].Value
	}
	both := func(mk func(field string) query.Query) query.Query {
		return bleve.NewDisjunctionQuery(mk("text_en"), mk("text_fr"))
	}
	words := func(ws ...string) query.Query {
		var qs []query.Query
		for _, w := range ws {
			qs = append(qs, both(func(f string) query.Query { q := bleve.NewMatchQuery(w); q.SetField(f); return q }))
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return bleve.NewConjunctionQuery(qs...)
	}
	codeQ := bleve.NewTermQuery(code)
	codeQ.SetField("codes")
	codeQ.SetBoost(0)
	cases := []struct {
		name   string
		q      corpus.Query
		bq     query.Query
		facets bool
	}{
		{"match", corpus.Query{Text: "peer support"}, words("peer", "support"), false},
		{"phrase", corpus.Query{Text: `"community health workers"`},
			both(func(f string) query.Query {
				q := bleve.NewMatchPhraseQuery("community health workers")
				q.SetField(f)
				return q
			}), false},
		{"filtered", corpus.Query{Text: "support", Codes: []string{code}}, bleve.NewConjunctionQuery(words("support"), bleve.NewDisjunctionQuery(codeQ)), false},
		{"faceted", corpus.Query{Text: "health", Facets: true}, words("health"), true},
	}
	fields := []string{"text_en", "doc", "group", "labels", "codes", "kind", "lang", "year", "title", "path", "page", "section", "authors"}
	var out []result
	for _, c := range cases {
		req := bleve.NewSearchRequestOptions(c.bq, 10, 0, false)
		req.SortBy([]string{"-_score", "_id"})
		req.Fields = fields
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("text_en")
		req.Highlight.AddField("text_fr")
		if c.facets {
			for _, f := range []string{"labels", "families", "codes", "lang", "kind", "yearkey"} {
				req.AddFacet(f, bleve.NewFacetRequest(f, 1000))
			}
		}
		var ta, tb []time.Duration
		var totalA, totalB uint64
		for i := range b.o.queries + 20 {
			t0 := time.Now()
			r, err := ix.Search(ctx, c.q)
			if err != nil {
				return nil, err
			}
			da := time.Since(t0)
			t0 = time.Now()
			br, err := bi.SearchInContext(ctx, req)
			if err != nil {
				return nil, err
			}
			db := time.Since(t0)
			if i >= 20 { // the first 20 warm caches
				ta, tb = append(ta, da), append(tb, db)
			}
			totalA, totalB = r.Total, br.Total
		}
		if totalA != totalB {
			return nil, fmt.Errorf("search %s: peermap found %d, bleve %d: the requests differ", c.name, totalA, totalB)
		}
		p := func(ds []time.Duration, q float64) time.Duration {
			slices.Sort(ds)
			return ds[min(len(ds)-1, int(q*float64(len(ds))))]
		}
		a50, a99, b50, b99 := p(ta, 0.5), p(ta, 0.99), p(tb, 0.5), p(tb, 0.99)
		out = append(out, result{
			stage: "search p50 / p99: " + c.name, input: fmt.Sprintf("%q on the whole corpus (%d hits), %d searches each", c.q.String(), totalA, b.o.queries),
			ours: fmt.Sprintf("%s / %s", ms(a50), ms(a99)), refName: "the same request to bleve directly", ref: fmt.Sprintf("%s / %s", ms(b50), ms(b99)),
			wall: []float64{a50.Seconds() / b50.Seconds()}, note: fmt.Sprintf("(p99 ratio %.2f)", a99.Seconds()/b99.Seconds()),
		})
	}
	return out, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", d.Seconds()*1000) }

// execOutput runs a command and returns its stdout.
func execOutput(ctx context.Context, argv ...string) ([]byte, error) {
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", strings.Join(argv[:min(len(argv), 4)], " "), err)
	}
	return out, nil
}

// open opens the workspace of the in-process rows (built once, untimed).
func (b *bench) open(ctx context.Context) (*pipeline.Workspace, error) {
	ws, err := b.workspace(ctx)
	if err != nil {
		return nil, err
	}
	return pipeline.Open(pipeline.Options{Dir: ws})
}
