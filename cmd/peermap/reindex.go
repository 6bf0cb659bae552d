package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the reindex command is built.
const reindexHelp = `
Usage: peermap reindex
`

func runReindex(ctx context.Context, e *env, args []string) error {
	return errors.New("reindex: not built yet")
}
