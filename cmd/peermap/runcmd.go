package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the run command is built.
const runHelp = `
Usage: peermap run
`

func runRun(ctx context.Context, e *env, args []string) error {
	return errors.New("run: not built yet")
}
