package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/peermap/peermap/pipeline"
)

// The process forms of the in-process references, so that an outside
// timer can pair a whole 'peermap' process against a whole reference
// process, start-up included:
//
//	peermap-bench passages WS FILE      writes WS's indexed passages as JSON lines to FILE, CSV to FILE.csv (set-up)
//	peermap-bench bare-index DIR FILE   the bare bleve program of the index row, as a process
//	peermap-bench bare-search DIR WORDS the "match" request of the search row, sent to bleve directly
func runProcess(ctx context.Context, name string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return fmt.Errorf("%s: two arguments needed (see cmd/peermap-bench/process.go)", name)
	}
	a, b := fs.Arg(0), fs.Args()[1:]
	switch name {
	case "passages":
		w, err := pipeline.Open(pipeline.Options{Dir: a, ReadOnly: true})
		if err != nil {
			return err
		}
		defer w.Close()
		n, err := writePassages(ctx, w.Store(), b[0], b[0]+".csv")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d passages written to %s\n", n, b[0])
		return nil
	case "bare-index":
		if _, err := os.Stat(a); err == nil {
			return fmt.Errorf("bare-index: %s exists", a)
		}
		n, err := bareIndex(a, b[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d passages indexed in %s\n", n, a)
		return nil
	case "bare-search":
		return bareSearch(ctx, a, b, stdout)
	}
	return errors.New("unknown command " + name)
}

// bareSearch sends the search row's "match" request (each word in
// text_en or text_fr, all words required, the same stored fields, HTML
// highlighting, 10 hits) to the index in dir and prints the hits' IDs.
func bareSearch(ctx context.Context, dir string, words []string, stdout io.Writer) error {
	bi, err := bleve.OpenUsing(filepath.Clean(dir), map[string]any{"read_only": true})
	if err != nil {
		return err
	}
	defer bi.Close()
	var qs []query.Query
	for _, w := range words {
		var fq []query.Query
		for _, f := range []string{"text_en", "text_fr"} {
			q := bleve.NewMatchQuery(w)
			q.SetField(f)
			fq = append(fq, q)
		}
		qs = append(qs, bleve.NewDisjunctionQuery(fq...))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(qs...), 10, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	req.Fields = []string{"text_en", "doc", "group", "labels", "codes", "kind", "lang", "year", "title", "path", "page", "section", "authors"}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField("text_en")
	req.Highlight.AddField("text_fr")
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		fmt.Fprintln(stdout, h.ID)
	}
	fmt.Fprintf(stdout, "%d hits\n", res.Total)
	return nil
}
