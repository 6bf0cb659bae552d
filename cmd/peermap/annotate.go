package main

import (
	"context"
	"fmt"
)

const annotateHelp = `
Usage: peermap annotate [-force]

Tags every passage with the codes of the map's six dimensions and with the
peer labels it names, following the codebook (embedded, or -codebook FILE).
Only documents not yet annotated with this codebook version are tagged, so
a changed codebook re-annotates everything and an unchanged one nothing.
Machine annotations are stored as "rules@<codebook version>"; human codes
(peermap code import, peermap serve) are kept apart and never overwritten.

Examples:
  peermap annotate
  peermap -codebook my-map.yaml annotate
`

func runAnnotate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "annotate", annotateHelp)
	force := fs.Bool("force", false, "re-annotate documents already annotated with this codebook")
	learn := fs.Bool("learn", false, "refit the model on the shipped training data and the hand codes, then re-annotate")
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := e.open(false)
	if err != nil {
		return err
	}
	defer ws.Close()
	if *learn {
		ls, err := ws.Learn(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "annotate -learn: model %s from %d shipped and %d hand-coded passages, saved to %s\n", ls.Model, ls.Shipped, ls.Hand, ls.Path)
	}
	sum, err := ws.Annotate(ctx, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "annotate: %d documents, %d passages, %d annotations (%s)\n", sum.Documents, sum.Passages, sum.Annotations, sum.Annotator)
	return nil
}
