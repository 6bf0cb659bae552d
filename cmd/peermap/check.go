package main

import (
	"context"
	"fmt"
)

const checkHelp = `
Usage: peermap check

Verifies that the store, the index and the codebook agree:
  - every passage's text is its document's text at its offsets;
  - every ingested document is annotated with the active codebook version;
  - the index holds exactly the store's passages, with the current
    annotations, and was built with this corpus format;
  - every human code points to a passage that exists.
Prints each problem with the command that fixes it; exit code 1 if any.

Example:
  peermap check || peermap annotate && peermap index
`

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check", checkHelp)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	res, err := ws.Check(ctx)
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			fmt.Fprintln(e.stdout, p)
		}
		return &silentError{code: 1}
	}
	fmt.Fprintf(e.stdout, "ok: %d documents, %d passages, %d human codes; annotations and index up to date with %s\n", res.Documents, res.Passages, res.HumanCodes, res.Annotator)
	return nil
}
