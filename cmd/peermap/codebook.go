package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the codebook command is built.
const codebookHelp = `
Usage: peermap codebook
`

func runCodebook(ctx context.Context, e *env, args []string) error {
	return errors.New("codebook: not built yet")
}
