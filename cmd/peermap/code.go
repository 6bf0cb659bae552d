package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the code command is built.
const codeHelp = `
Usage: peermap code
`

func runCode(ctx context.Context, e *env, args []string) error {
	return errors.New("code: not built yet")
}
