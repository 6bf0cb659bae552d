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
	"github.com/peermap/peermap/pipeline"
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

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", statsHelp)
	extraction := fs.Bool("extraction", false, "list extraction quality per input")
	dups := fs.Bool("duplicates", false, "list version groups")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *extraction && *dups {
		return usagef("peermap stats -duplicates", "-extraction and -duplicates exclude each other")
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	var v any
	switch {
	case *extraction:
		v, err = ws.Extraction(ctx)
	case *dups:
		v, err = ws.Duplicates(ctx)
	default:
		v, err = ws.Stats(ctx)
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
	case []pipeline.ExtractionRow:
		fmt.Fprintln(tw, "PATH\tSTATUS\tFORMAT\tEXTRACTOR\tPAGES\tCHARS\tPASSAGES\tWARNINGS\tREASON")
		for _, r := range v {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", r.Path, r.Status, r.Format, r.Extractor, r.Pages, r.Chars, r.Passages, len(r.Warnings), r.Reason)
		}
	case []pipeline.GroupRow:
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
	case *pipeline.Stats:
		printSummary(tw, v)
	}
	return nil
}

func printSummary(tw *tabwriter.Writer, s *pipeline.Stats) {
	fmt.Fprintf(tw, "inputs\t%s\n", counts(s.Inputs))
	if len(s.SkipReasons) > 0 {
		fmt.Fprintf(tw, "skipped because\t%s\n", counts(s.SkipReasons))
	}
	fmt.Fprintf(tw, "documents\t%d (%d works after grouping %d documents into %d version groups)\n", s.Documents, s.Works, s.GroupedDocs, s.Groups)
	fmt.Fprintf(tw, "kinds\t%s\n", counts(s.Kinds))
	fmt.Fprintf(tw, "languages\t%s\n", counts(s.Langs))
	fmt.Fprintf(tw, "formats\t%s\n", counts(s.Formats))
	fmt.Fprintf(tw, "passages\t%d\n", s.Passages)
	fmt.Fprintf(tw, "annotated\t%d of %d documents by %s\n", s.Annotated, s.Documents, s.Annotator)
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
