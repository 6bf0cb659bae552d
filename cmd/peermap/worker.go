package main

import (
	"context"
	"fmt"
	"io"
)

// workerCommand is the hidden subcommand under which peermap re-executes
// itself to extract a PDF in a child process.
const workerCommand = "extract-worker"

// SCAFFOLD: replaced by the call into ingest's worker loop.
func runWorker(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "extract-worker: not built yet")
	return 1
}
