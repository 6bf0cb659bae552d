package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the index command is built.
const indexHelp = `
Usage: peermap index
`

func runIndex(ctx context.Context, e *env, args []string) error {
	return errors.New("index: not built yet")
}
