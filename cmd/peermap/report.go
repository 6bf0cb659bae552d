package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the report command is built.
const reportHelp = `
Usage: peermap report
`

func runReport(ctx context.Context, e *env, args []string) error {
	return errors.New("report: not built yet")
}
