package main

import (
	"context"
	"strings"
)

const helpHelp = `
Usage: peermap help [COMMAND]

Lists the commands, or shows one command's usage, flags and examples.
`

func runHelpCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		usage(e.stdout)
		return nil
	}
	for _, c := range commandTable() {
		if c.name == args[0] {
			// Every command prints its help and flags on -h, to its stderr:
			// here that is our stdout.
			h := *e
			h.stderr = e.stdout
			_ = c.run(ctx, &h, []string{"-h"})
			return nil
		}
	}
	return usagef("peermap help", "unknown command %q", strings.Join(args, " "))
}
