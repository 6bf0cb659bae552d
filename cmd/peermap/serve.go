package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the serve command is built.
const serveHelp = `
Usage: peermap serve
`

func runServe(ctx context.Context, e *env, args []string) error {
	return errors.New("serve: not built yet")
}
