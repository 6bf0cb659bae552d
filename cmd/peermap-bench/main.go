package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: peermap-bench profile|table|scale [flags], or passages|bare-index|bare-search ARGS")
		return 2
	}
	var err error
	switch args[0] {
	case "profile":
		err = runProfile(ctx, args[1:], os.Stdout)
	case "table":
		err = runTable(ctx, args[1:], os.Stdout, os.Stderr)
	case "scale":
		err = runScale(ctx, args[1:], os.Stdout, os.Stderr)
	case "passages", "bare-index", "bare-search":
		err = runProcess(ctx, args[0], args[1:], os.Stdout)
	default:
		fmt.Fprintf(os.Stderr, "peermap-bench: unknown command %q\n", args[0])
		return 2
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "peermap-bench: %v\n", err)
		return 1
	}
	return 0
}

// defaultCorpus is the shared test corpus, found from the repository root or below it.
func defaultCorpus() string {
	for _, p := range []string{"../shared/corpus", "../../shared/corpus", "../../../shared/corpus"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "../shared/corpus"
}
