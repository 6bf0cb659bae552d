package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the ingest command is built.
const ingestHelp = `
Usage: peermap ingest
`

func runIngest(ctx context.Context, e *env, args []string) error {
	return errors.New("ingest: not built yet")
}
