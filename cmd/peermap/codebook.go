package main

import (
	"context"
	"fmt"
	"os"

	"github.com/peermap/peermap/annotate"
)

const codebookHelp = `
Usage: peermap codebook [-check FILE]

Prints the active codebook (the embedded one, or the file given with the
global -codebook flag) as YAML: its version, the six dimensions with their
categories, definitions and cue patterns in English and French, the label
families with their variants, and the hard negatives. Save it, edit it,
and pass it back with -codebook to use your own map. The file format is
described in doc/codebook.md.

With -check FILE, validates FILE and prints its version, or every error
with its line number (exit code 1).

Examples:
  peermap codebook > my-map.yaml
  peermap codebook -check my-map.yaml
  peermap -codebook my-map.yaml run papers/
`

func runCodebook(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "codebook", codebookHelp)
	check := fs.String("check", "", "validate this codebook `file`")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *check != "" {
		fh, err := os.Open(*check)
		if err != nil {
			return err
		}
		defer fh.Close()
		cb, err := annotate.LoadCodebook(fh, *check)
		if err != nil {
			return err
		}
		v := cb.Vocabulary()
		fmt.Fprintf(e.stdout, "%s: ok, version %s, %d codes, %d label families, %d labels\n", *check, cb.Version(), len(v.Codes), len(v.Families), len(v.Labels))
		return nil
	}
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	return cb.WriteYAML(e.stdout)
}
