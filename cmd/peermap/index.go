package main

import (
	"context"
	"fmt"
	"io"

	"github.com/peermap/peermap/pipeline"
)

const indexHelp = `
Usage: peermap index

Builds or updates the search index (DIR/index, bleve) from the store. Only
documents whose passages or annotations changed since the last run are
re-indexed; documents no longer in the store are removed. The index is
derived data: 'peermap reindex' rebuilds it from scratch at any time.

Example:
  peermap index && peermap search '"peer navigator"'
`

const reindexHelp = `
Usage: peermap reindex

Rebuilds the search index from the store: the new index is built beside the
old one and swapped in only when complete, so an interrupted reindex leaves
the old index as it was.

Example:
  peermap reindex
`

func runIndex(ctx context.Context, e *env, args []string) error {
	return indexCmd(ctx, e, args, "index", indexHelp, (*pipeline.Workspace).Index)
}

func runReindex(ctx context.Context, e *env, args []string) error {
	return indexCmd(ctx, e, args, "reindex", reindexHelp, (*pipeline.Workspace).Reindex)
}

func indexCmd(ctx context.Context, e *env, args []string, name, help string, do func(*pipeline.Workspace, context.Context) (pipeline.IndexSummary, error)) error {
	fs := newFlags(e, name, help)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	sum, err := do(ws, ctx)
	if err != nil {
		return err
	}
	printIndexSummary(e.stderr, sum)
	return nil
}

func printIndexSummary(w io.Writer, sum pipeline.IndexSummary) {
	if sum.Rebuilt {
		fmt.Fprintf(w, "index: rebuilt with %d documents, %d passages\n", sum.Documents, sum.Passages)
		return
	}
	fmt.Fprintf(w, "index: %d documents (%d passages) added or updated, %d removed\n", sum.Documents, sum.Passages, sum.Removed)
}
