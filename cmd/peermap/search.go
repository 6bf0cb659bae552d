package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
	"github.com/peermap/peermap/internal/text"
	"github.com/peermap/peermap/pipeline"
)

const searchHelp = `
Usage: peermap search [flags] QUERY

Prints the passages matching QUERY, best first, each with highlighted
fragments and its citation (title, year, path, page or section, passage ID).
QUERY uses bleve's query syntax: words, "a phrase", +must, -mustnot; filters
can also be written inline (label:"peer navigator" code:role.navigation
lang:fr kind:grey year:2010..2024 dim:role family:"mutual aid group").
Filter values of one flag are alternatives; different flags must all hold.
Versions of the same work (record + full text, preprint + article) are shown
once, with the other sources listed under "also in".

Examples:
  peermap search '"peer navigator"'
  peermap search -label "community health worker" -lang en home visits
  peermap search -dim role -code role.navigation -year 2010..2024 accompany
  peermap search -json -n 50 'pair aidant' | jq .hits[].passage
`

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", searchHelp)
	var labels, families, codes, dims, langs, kinds multiFlag
	fs.Var(&labels, "label", "only passages naming this peer `label` (repeatable)")
	fs.Var(&families, "family", "only passages naming a label of this `family` (repeatable)")
	fs.Var(&codes, "code", "only passages with this `code`, e.g. role.navigation (repeatable)")
	fs.Var(&dims, "dim", "only passages with a code of this `dimension` (repeatable)")
	fs.Var(&langs, "lang", "only passages in this `language` (ISO 639-1, repeatable)")
	fs.Var(&kinds, "kind", "only documents of this `kind`: article, grey, record (repeatable)")
	years := fs.String("year", "", "publication years `A..B` (or A, A.., ..B)")
	n := fs.Int("n", 10, "number of hits")
	offset := fs.Int("offset", 0, "skip this many hits")
	asJSON := fs.Bool("json", false, "print results as JSON")
	facets := fs.Bool("facets", false, "also print counts by label, code, language, kind and year")
	all := fs.Bool("all-versions", false, "do not fold versions of the same work into one hit")
	words, err := e.parseFlags(fs, args)
	if err != nil {
		return err
	}
	q, err := corpus.ParseQuery(strings.Join(words, " "))
	if err != nil {
		return usagef(`peermap search -year 2010..2020 "peer navigator"`, "%v", err)
	}
	q.Labels = append(q.Labels, lower(labels)...)
	q.Families = append(q.Families, lower(families)...)
	q.Codes = append(q.Codes, lower(codes)...)
	q.Dims = append(q.Dims, lower(dims)...)
	q.Langs = append(q.Langs, lower(langs)...)
	for _, k := range lower(kinds) {
		if !corpus.Kind(k).Valid() {
			return usagef("peermap search -kind grey QUERY", "-kind %q: want article, grey or record", k)
		}
		q.Kinds = append(q.Kinds, corpus.Kind(k))
	}
	if *years != "" {
		if q.YearFrom, q.YearTo, err = corpus.ParseYears(*years); err != nil {
			return usagef("peermap search -year 2010..2024 QUERY", "-year: %v", err)
		}
	}
	if *n <= 0 {
		return usagef("peermap search -n 10 QUERY", "-n must be positive")
	}
	q.Limit, q.Offset, q.Facets = *n, *offset, *facets
	res, err := pipeline.Search(ctx, e.options(true), q, pipeline.SearchOptions{AllVersions: *all})
	var ve *pipeline.ValueError
	switch {
	case errors.As(err, &ve):
		return &usageError{msg: ve.Error()}
	case errors.Is(err, index.ErrQuery):
		return usagef(`peermap search '"peer support" OR "peer navigation" -review'`, "%v", err)
	case err != nil:
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printHits(e, q, res)
	return nil
}

func lower(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.ToLower(strings.TrimSpace(v))
	}
	return out
}

var markRE = regexp.MustCompile(`(?s)<mark>(.*?)</mark>`)

// plainFragment renders an index fragment for a terminal: matches in bold
// and underlined when stdout is a terminal, between [ and ] otherwise
// (never a character of a document's language, such as » «).
func plainFragment(f string, tty bool) string {
	open, close := "[", "]"
	if tty {
		open, close = "\x1b[1;4m", "\x1b[0m"
	}
	f = markRE.ReplaceAllString(f, open+"$1"+close)
	f = html.UnescapeString(f)
	return strings.Join(strings.Fields(f), " ")
}

func printHits(e *env, q corpus.Query, res *corpus.Results) {
	tty := isTerminal(e.stdout)
	fmt.Fprintf(e.stdout, "%d passages match %s\n", res.Total, q.String())
	if len(res.Suggest) > 0 {
		words := make([]string, 0, len(res.Suggest))
		for w := range res.Suggest {
			words = append(words, w)
		}
		slices.Sort(words)
		for _, w := range words {
			fmt.Fprintf(e.stdout, "No passage holds %q: did you mean %s?\n", w, strings.Join(res.Suggest[w], " or "))
		}
	}
	for i, h := range res.Hits {
		fmt.Fprintf(e.stdout, "\n%d. %s\n", q.Offset+i+1, citation(h))
		frags := h.Fragments
		if len(frags) == 0 {
			frags = []string{html.EscapeString(text.Shorten(h.Text, 240))}
		}
		for _, f := range frags {
			fmt.Fprintf(e.stdout, "   %s\n", plainFragment(f, tty))
		}
		var tags []string
		if len(h.Labels) > 0 {
			tags = append(tags, "labels: "+strings.Join(h.Labels, ", "))
		}
		if len(h.Codes) > 0 {
			tags = append(tags, "codes: "+strings.Join(h.Codes, ", "))
		}
		if len(tags) > 0 {
			fmt.Fprintf(e.stdout, "   [%s]\n", strings.Join(tags, "; "))
		}
		if len(h.Also) > 0 {
			var also []string
			for _, a := range h.Also {
				also = append(also, a.Short())
			}
			fmt.Fprintf(e.stdout, "   also in: %s\n", strings.Join(also, ", "))
		}
	}
	if len(res.Facets) > 0 {
		fmt.Fprintln(e.stdout, "\nFacets:")
		for _, name := range []string{"family", "label", "code", "lang", "kind", "year"} {
			bs := res.Facets[name]
			if len(bs) == 0 {
				continue
			}
			var parts []string
			for _, b := range bs {
				parts = append(parts, fmt.Sprintf("%s (%d)", b.Value, b.Count))
			}
			fmt.Fprintf(e.stdout, "  %-7s %s\n", name+":", strings.Join(parts, ", "))
		}
	}
}

// citation is the one citation format (text.CiteAt) of a hit, its
// passage ID and, when the title does not already name it, its file.
func citation(h corpus.Hit) string {
	w := text.Work{Authors: h.Authors, Year: h.Year, Title: h.Title, Path: h.Path}
	c := text.CiteAt(w, text.Place(h.Page, h.Section, h.Passage.N())) + " [" + h.Passage.Short() + "]"
	if h.Title != "" && h.Path != "" {
		c += " " + h.Path
	}
	return c
}
