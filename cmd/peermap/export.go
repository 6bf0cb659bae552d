package main

import (
	"context"
	"errors"
)

// SCAFFOLD: replaced when the export command is built.
const exportHelp = `
Usage: peermap export
`

func runExport(ctx context.Context, e *env, args []string) error {
	return errors.New("export: not built yet")
}
