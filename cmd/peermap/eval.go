package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the eval command is built.
const evalHelp = `
Usage: peermap eval
`

func runEval(ctx context.Context, e *env, args []string) error {
	return errors.New("eval: not built yet")
}
