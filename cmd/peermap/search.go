package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the search command is built.
const searchHelp = `
Usage: peermap search
`

func runSearch(ctx context.Context, e *env, args []string) error {
	return errors.New("search: not built yet")
}
