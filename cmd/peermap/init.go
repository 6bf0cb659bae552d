package main

import (
	"context"
	"fmt"
)

const initHelp = `
Usage: peermap init [-w DIR]

Creates an empty workspace: DIR/corpus.db (the store), DIR/index (search
index, built by 'peermap index') and DIR/reports. Other commands that write
(ingest, run) create the workspace themselves when it is missing.

Example:
  peermap -w review.peermap init
`

func runInit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "init", initHelp)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	ws, created, err := e.init()
	if err != nil {
		return err
	}
	defer ws.Close()
	if created {
		fmt.Fprintf(e.stdout, "created workspace %s\n", e.dir)
	} else {
		fmt.Fprintf(e.stdout, "workspace %s already exists\n", e.dir)
	}
	return nil
}
