package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

const statsHelp = `
Usage: peermap stats [-extraction | -duplicates] [-json]

Summarises the corpus: inputs by status (ingested, skipped with reasons,
duplicate, failed), documents by kind, language and format, passages,
annotations, human codes, version groups and the last runs.

  -extraction  one line per input: format, extractor, pages, characters,
               passages, warnings and skip reason (extraction quality)
  -duplicates  the version groups: members, preferred member and why

Examples:
  peermap stats
  peermap stats -extraction | grep skipped
  peermap stats -duplicates -json | jq '.[] | select(.members | length > 2)'
`

type statsSummary struct {
	Inputs      map[string]int `json:"inputs"`       // by status
	SkipReasons map[string]int `json:"skip_reasons"` // skipped inputs and records, by reason
	Documents   int            `json:"documents"`    // ingested documents (not skipped)
	Kinds       map[string]int `json:"kinds"`        //
	Langs       map[string]int `json:"langs"`        //
	Formats     map[string]int `json:"formats"`      //
	Passages    int            `json:"passages"`     //
	Annotated   int            `json:"annotated"`    // documents annotated with the active codebook
	Groups      int            `json:"groups"`       // version groups
	GroupedDocs int            `json:"grouped_docs"` // documents in a group
	Works       int            `json:"works"`        // documents counted once per group
	HumanCodes  int            `json:"human_codes"`  //
	Codebook    string         `json:"codebook"`     //
	Runs        int            `json:"runs"`         //
	LastRun     *corpus.Run    `json:"last_run,omitempty"`
}

type extractionRow struct {
	Path      string   `json:"path"`
	Status    string   `json:"status"`
	Format    string   `json:"format,omitempty"`
	Extractor string   `json:"extractor,omitempty"`
	Pages     int      `json:"pages"`
	Chars     int      `json:"chars"`
	Passages  int      `json:"passages"`
	Records   int      `json:"records,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	Reason    string   `json:"reason,omitempty"`
}

type groupRow struct {
	ID        string      `json:"id"`
	Preferred string      `json:"preferred"`
	Reasons   []string    `json:"reasons"`
	Members   []memberRow `json:"members"`
}

type memberRow struct {
	Doc   string `json:"doc"`
	Kind  string `json:"kind"`
	Path  string `json:"path"`
	Title string `json:"title,omitempty"`
	Year  int    `json:"year,omitempty"`
}

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", statsHelp)
	extraction := fs.Bool("extraction", false, "list extraction quality per input")
	dups := fs.Bool("duplicates", false, "list version groups")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *extraction && *dups {
		return usagef("peermap stats -duplicates", "-extraction and -duplicates exclude each other")
	}
	s, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer s.Close()
	var v any
	switch {
	case *extraction:
		v, err = extractionStats(ctx, s)
	case *dups:
		v, err = duplicateStats(ctx, s)
	default:
		v, err = e.summaryStats(ctx, s)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	switch v := v.(type) {
	case []extractionRow:
		fmt.Fprintln(tw, "PATH\tSTATUS\tFORMAT\tEXTRACTOR\tPAGES\tCHARS\tPASSAGES\tWARNINGS\tREASON")
		for _, r := range v {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", r.Path, r.Status, r.Format, r.Extractor, r.Pages, r.Chars, r.Passages, len(r.Warnings), r.Reason)
		}
	case []groupRow:
		fmt.Fprintf(tw, "%d version groups\n", len(v))
		for _, g := range v {
			fmt.Fprintf(tw, "\n%s\t(%s)\n", g.ID, strings.Join(g.Reasons, "; "))
			for _, m := range g.Members {
				mark := " "
				if m.Doc == g.Preferred {
					mark = "*"
				}
				fmt.Fprintf(tw, "  %s %s\t%s\t%s\t%s\n", mark, corpus.DocID(m.Doc).Short(), m.Kind, m.Path, text.Shorten(m.Title, 60))
			}
		}
	case *statsSummary:
		printSummary(tw, v)
	}
	return nil
}

func (e *env) summaryStats(ctx context.Context, s *corpus.Store) (*statsSummary, error) {
	sum := &statsSummary{Inputs: map[string]int{}, SkipReasons: map[string]int{}, Kinds: map[string]int{}, Langs: map[string]int{}, Formats: map[string]int{}}
	srcs, err := s.Sources()
	if err != nil {
		return nil, err
	}
	for _, src := range srcs {
		sum.Inputs[src.Status]++
		if src.Status == corpus.StatusSkipped {
			sum.SkipReasons[src.Reason]++
		}
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		return nil, err
	}
	cb, err := e.loadCodebook()
	if err != nil {
		return nil, err
	}
	sum.Codebook = cb.Version()
	groups := map[string]bool{}
	for _, d := range docs {
		if d.Skip != corpus.NotSkipped {
			if d.Kind == corpus.KindRecord {
				sum.SkipReasons["record: "+d.Skip.String()]++
			}
			continue
		}
		sum.Documents++
		sum.Kinds[string(d.Kind)]++
		lang := d.Lang
		if lang == "" {
			lang = "unknown"
		}
		sum.Langs[lang]++
		sum.Formats[d.Format]++
		if s.AnnotatedWith(d.ID) == sum.Codebook {
			sum.Annotated++
		}
		if d.Group != "" {
			sum.GroupedDocs++
			groups[d.Group] = true
		}
	}
	sum.Groups = len(groups)
	sum.Works = sum.Documents - sum.GroupedDocs + sum.Groups
	sum.Passages = s.CountPassages()
	hc, err := s.HumanCodes("")
	if err != nil {
		return nil, err
	}
	sum.HumanCodes = len(hc)
	runs, err := s.Runs()
	if err != nil {
		return nil, err
	}
	sum.Runs = len(runs)
	if len(runs) > 0 {
		sum.LastRun = &runs[len(runs)-1]
	}
	return sum, nil
}

func printSummary(tw *tabwriter.Writer, s *statsSummary) {
	fmt.Fprintf(tw, "inputs\t%s\n", counts(s.Inputs))
	if len(s.SkipReasons) > 0 {
		fmt.Fprintf(tw, "skipped because\t%s\n", counts(s.SkipReasons))
	}
	fmt.Fprintf(tw, "documents\t%d (%d works after grouping %d documents into %d version groups)\n", s.Documents, s.Works, s.GroupedDocs, s.Groups)
	fmt.Fprintf(tw, "kinds\t%s\n", counts(s.Kinds))
	fmt.Fprintf(tw, "languages\t%s\n", counts(s.Langs))
	fmt.Fprintf(tw, "formats\t%s\n", counts(s.Formats))
	fmt.Fprintf(tw, "passages\t%d\n", s.Passages)
	fmt.Fprintf(tw, "annotated\t%d of %d documents with codebook %s\n", s.Annotated, s.Documents, s.Codebook)
	fmt.Fprintf(tw, "human codes\t%d\n", s.HumanCodes)
	if s.LastRun != nil {
		fmt.Fprintf(tw, "runs\t%d (last: %s %s)\n", s.Runs, s.LastRun.Command, s.LastRun.Started.Format("2006-01-02 15:04"))
	}
}

// counts formats a map as "a 3, b 1", largest first, then by name.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func extractionStats(ctx context.Context, s *corpus.Store) ([]extractionRow, error) {
	srcs, err := s.Sources()
	if err != nil {
		return nil, err
	}
	rows := make([]extractionRow, 0, len(srcs))
	for _, src := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := extractionRow{Path: src.Path, Status: src.Status, Format: src.Format, Reason: src.Reason, Warnings: src.Warnings}
		if len(src.Docs) > 1 || strings.HasPrefix(src.Format, "refs") || src.Skipped > 0 {
			r.Records = len(src.Docs)
		}
		for _, id := range src.Docs {
			d, err := s.Document(id)
			if err != nil {
				continue
			}
			if r.Extractor == "" {
				r.Extractor = d.Extractor
			}
			r.Pages += len(d.Pages)
			r.Chars += len([]rune(d.Text))
			ps, _ := s.Passages(id)
			r.Passages += len(ps)
			if len(src.Docs) == 1 {
				r.Warnings = d.Warnings
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func duplicateStats(ctx context.Context, s *corpus.Store) ([]groupRow, error) {
	groups, err := s.Groups()
	if err != nil {
		return nil, err
	}
	rows := make([]groupRow, 0, len(groups))
	for _, g := range groups {
		r := groupRow{ID: g.ID, Preferred: string(g.Preferred), Reasons: g.Reasons}
		for _, m := range g.Members {
			d, err := s.Document(m)
			if err != nil {
				return nil, err
			}
			r.Members = append(r.Members, memberRow{Doc: string(m), Kind: string(d.Kind), Path: d.Path, Title: d.Title, Year: d.Year})
		}
		rows = append(rows, r)
	}
	return rows, nil
}
