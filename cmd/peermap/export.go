package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
)

const exportHelp = `
Usage: peermap export [-o FILE] [-skipped=false]

Writes the corpus as JSON Lines, for R, Python, or processing elsewhere.
For each document, in ID order: one object
  {"type":"document", ...metadata, "kind", "lang", "extractor", "skip_reason",
   "text", "pages":[{"n","start","end","extractor","text"}]}
followed by one object per passage:
  {"type":"passage", "id", "doc", "n", "section", "page", "start", "end",
   "text", "annotations":[...machine and human...]}
Offsets are byte offsets into the document's text.

Examples:
  peermap export -o corpus.jsonl
  peermap export | jq -c 'select(.type=="passage") | {id, codes: [.annotations[].code]}'
`

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", exportHelp)
	out := fs.String("o", "-", "output `file` (- for stdout)")
	skipped := fs.Bool("skipped", true, "include skipped documents (metadata and reason only)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	var w io.Writer = e.stdout
	var fh *os.File
	if *out != "-" {
		fh, err = os.Create(*out + ".tmp")
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer os.Remove(fh.Name())
		w = fh
	}
	bw := bufio.NewWriter(w)
	if err := ws.Export(ctx, bw, *skipped); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if fh != nil {
		if err := fh.Close(); err != nil {
			return fmt.Errorf("export %s: %w", *out, err)
		}
		if err := os.Rename(fh.Name(), *out); err != nil {
			return fmt.Errorf("export %s: %w", *out, err)
		}
		fmt.Fprintln(e.stderr, "wrote", *out)
	}
	return nil
}
