package main

import (
	"context"
	"fmt"
	"os"

	"github.com/peermap/peermap/annotate"
)

const codebookHelp = `
Usage: peermap codebook [-check FILE] [-from-qdc FILE]

Prints the active codebook (the embedded one, or the file given with the
global -codebook flag) as YAML: its version, the six dimensions with their
categories, definitions and cue patterns in English and French, the label
families with their variants, and the hard negatives. Save it, edit it,
and pass it back with -codebook to use your own map. The file format is
described in doc/codebook.md.

With -check FILE, validates FILE and prints its version, or every error
with its line number (exit code 1).

With -from-qdc FILE, reads a team's REFI-QDA codebook (.qdc, or the
codebook of a .qdpx project) from NVivo, ATLAS.ti, MAXQDA or QualCoder and
maps each code onto the active codebook: by the GUID peermap gave it, by
its name when that is a code ID (role.navigation), by its name under a
code named like its dimension (Role > Navigation), or to a label family
or label. It prints one line per mapped code (path, peermap code, how),
and fails naming every codable code that maps to nothing. 'code import'
maps a project's codes the same way. It writes no codebook: cues live in
the YAML codebook only.

Examples:
  peermap codebook > my-map.yaml
  peermap codebook -from-qdc team.qdc
  peermap codebook -check my-map.yaml
  peermap -codebook my-map.yaml run papers/
`

func runCodebook(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "codebook", codebookHelp)
	check := fs.String("check", "", "validate this codebook `file`")
	fromQDC := fs.String("from-qdc", "", "map this REFI-QDA codebook `file` (.qdc or .qdpx) onto the codebook")
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *fromQDC != "" {
		return e.codebookFromQDC(*fromQDC)
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
