package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the demo command is built.
const demoHelp = `
Usage: peermap demo
`

func runDemo(ctx context.Context, e *env, args []string) error {
	return errors.New("demo: not built yet")
}
