// Command peermap-extract is peermap's PDF extraction worker on its own: it
// reads extraction requests on stdin and writes the results on stdout, as
// `peermap extract-worker` does, and is started by peermap, never by hand.
//
// It exists because a worker starts once or twice per ingest, and the
// peermap binary's start-up (the initialisation of every package it links:
// the index, the web server, bleve's Levenshtein automata) is 2-3 times
// that of this one, which links only ingest/pdf: on a few small PDFs that
// start-up is a tenth of the run (doc/performance.md). peermap uses it when
// it finds it beside its own executable, built from the same sources (same
// build information), and re-executes itself otherwise.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/peermap/peermap/ingest/pdf"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := pdf.Worker(ctx, os.Stdin, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "peermap-extract: %v\n", err)
		os.Exit(1)
	}
}
