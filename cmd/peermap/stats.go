package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the stats command is built.
const statsHelp = `
Usage: peermap stats
`

func runStats(ctx context.Context, e *env, args []string) error {
	return errors.New("stats: not built yet")
}
