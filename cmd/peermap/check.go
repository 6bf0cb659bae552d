package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the check command is built.
const checkHelp = `
Usage: peermap check
`

func runCheck(ctx context.Context, e *env, args []string) error {
	return errors.New("check: not built yet")
}
