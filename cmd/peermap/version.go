package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set with -ldflags "-X main.version=...".
var version = ""

const versionHelp = `
Usage: peermap version

Prints peermap's version (from the build, or the module's build info).
`

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "devel-" + s.Value[:12]
			}
		}
		if bi.Main.Version != "" {
			return bi.Main.Version
		}
	}
	return "devel"
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", versionHelp)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "peermap %s\n", versionString())
	return nil
}
