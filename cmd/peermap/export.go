package main

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/peermap/peermap/internal/atomicfile"
)

const exportHelp = `
Usage: peermap export [-o FILE] [-skipped=false]
       peermap export -format qdpx -o FILE.qdpx [-coder NAME] [-machine] [-coded]
       peermap export -format qdc [-o FILE.qdc]

Writes the corpus as JSON Lines, for R, Python, or processing elsewhere.
With -format qdpx it writes a REFI-QDA project that NVivo, ATLAS.ti,
MAXQDA and QualCoder open: every document as a text source, the codebook
as nested codes (dimension > code ID; label families apart), every human
code as a coding by its coder (only NAME's with -coder; the machine's
too with -machine, by a user "peermap rules@..."), memos as notes. Bring
the team's coding back with 'peermap code import FILE.qdpx'. With -format
qdc it writes the codebook alone, as a REFI-QDA codebook.
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
  peermap export -format qdpx -o review.qdpx
  peermap export -format qdc -o peermap-map.qdc
`

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", exportHelp)
	out := fs.String("o", "-", "output `file` (- for stdout)")
	skipped := fs.Bool("skipped", true, "include skipped documents (metadata and reason only)")
	format := fs.String("format", "jsonl", "`format`: jsonl, qdpx (REFI-QDA project) or qdc (REFI-QDA codebook)")
	coder := fs.String("coder", "", "qdpx: only this coder's `name`d codes")
	machine := fs.Bool("machine", false, "qdpx: also the machine annotations")
	coded := fs.Bool("coded", false, "qdpx: only the documents that carry exported codes")
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "jsonl" {
		return e.exportQDA(ctx, qdaOptions{format: *format, out: *out, coder: *coder, machine: *machine, onlyCoded: *coded})
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	if *out == "-" {
		bw := bufio.NewWriter(e.stdout)
		if err := ws.Export(ctx, bw, *skipped); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := atomicfile.WriteFunc(*out, func(w io.Writer) error { return ws.Export(ctx, w, *skipped) }); err != nil {
		return fmt.Errorf("export %s: %w", *out, err)
	}
	fmt.Fprintln(e.stderr, "wrote", *out)
	return nil
}
