package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the annotate command is built.
const annotateHelp = `
Usage: peermap annotate
`

func runAnnotate(ctx context.Context, e *env, args []string) error {
	return errors.New("annotate: not built yet")
}
