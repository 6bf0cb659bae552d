package main

import (
	"context"
	"fmt"
	"io"

	"github.com/peermap/peermap/ingest"
)

// workerCommand is the hidden subcommand under which peermap re-executes
// itself to extract one PDF in a child process, so that a hostile file can
// only crash or exhaust the child.
const workerCommand = "extract-worker"

func runWorker(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := ingest.Worker(ctx, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "extract-worker: %v\n", err)
		return 1
	}
	return 0
}
