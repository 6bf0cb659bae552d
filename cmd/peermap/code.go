package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/internal/atomicfile"
	"github.com/peermap/peermap/internal/text"
	"github.com/peermap/peermap/pipeline"
)

const codeHelp = `
Usage: peermap code import [-coder NAME] [-format csv|jsonl|qdpx] FILE
       peermap code export [-o FILE] [-format csv|jsonl] [-coder NAME] [-sheet]
       peermap code next [-n 20] [-json]

Moves hand coding in and out, so coders can work in a spreadsheet.

import reads a CSV (header: passage or id, text, codes, labels, coder; lists
separated by ";" or "|") or JSONL file. Each row names a passage by its ID
(full, or short as printed by search) or by its exact text, and gives its
codes (dimension.category) and label families. Codes are checked against
the active codebook; errors name the row. The codes are stored as human
codes of the coder (from the row, else -coder): they replace that coder's
earlier codes of the passage and are never touched by 'peermap annotate'.

A .qdpx file (a REFI-QDA project from NVivo, ATLAS.ti, MAXQDA or
QualCoder, usually one made by 'peermap export -format qdpx') brings the
team's codings back as human codes of their users (-coder names the coder
of codings without a user). A source is matched to its document by GUID
or text, a selection to passages by its offsets, or by its text when the
source was edited; codes by GUID, ID or dimension and category name. For
each coder and passage coded in the file, the codes replace that coder's
earlier ones; other coders are never touched. Codings that cannot be
placed are listed on stdout with the reason.

export writes the human codes (of one coder with -coder). With -sheet it
writes instead every passage of the corpus with its text and empty codes
and labels, plus the machine's codes as a suggestion column: a coding
sheet to fill in and import back.

next lists the passages not yet coded by hand whose machine codes are
least certain (summed entropy of the model's probabilities), one a line:
passage, uncertainty, the codes in doubt, text. Coding them first teaches
the model most ('peermap annotate -learn' refits it).

Examples:
  peermap code next -n 20
  peermap code export -sheet -format csv -o to-code.csv
  peermap code import -coder ana to-code.csv
  peermap code import review.qdpx
  peermap code export -coder ana -format jsonl -o ana.jsonl
  peermap eval -coders ana.jsonl ben.jsonl
`

func runCode(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export" && args[0] != "next") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, strings.TrimSpace(codeHelp))
			return nil
		}
		return usagef("peermap code import codes.csv", "want 'code import FILE', 'code export' or 'code next'")
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "code "+sub, codeHelp)
	coder := fs.String("coder", "", "coder `name`")
	format := fs.String("format", "", "file `format`: csv, jsonl or qdpx (default: from the file name, else csv)")
	out := fs.String("o", "-", "output `file` for export (- for stdout)")
	sheet := fs.Bool("sheet", false, "export: a coding sheet of every passage instead of the human codes")
	n := fs.Int("n", 20, "next: how many passages to list")
	asJSON := fs.Bool("json", false, "next: one JSON object per passage")
	rest, err := e.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if sub == "next" {
		return e.codeNext(ctx, *n, *asJSON)
	}
	if sub == "import" {
		if len(rest) != 1 {
			return usagef("peermap code import -coder ana codes.csv", "give one FILE to import")
		}
		if formatOf(*format, rest[0]) == "qdpx" {
			return e.importQDPX(ctx, rest[0], *coder)
		}
		return e.importCodes(ctx, rest[0], formatOf(*format, rest[0]), *coder)
	}
	if len(rest) > 0 {
		return usagef("peermap code export -o codes.csv", "unexpected arguments %q", rest)
	}
	return e.exportCodes(ctx, *out, formatOf(*format, *out), *coder, *sheet)
}

func formatOf(flag, path string) string {
	if flag != "" {
		return flag
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".json", ".ndjson":
		return annotate.FormatJSONL
	case ".qdpx":
		return "qdpx"
	}
	return annotate.FormatCSV
}

func (e *env) importCodes(ctx context.Context, path, format, coder string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	codes, err := annotate.ReadCodes(fh, format)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	ws, err := e.open(false)
	if err != nil {
		return err
	}
	defer ws.Close()
	stored, err := ws.ImportCodes(ctx, codes, coder)
	if errors.Is(err, pipeline.ErrNoCoder) {
		return usagef("peermap code import -coder ana "+path, "%s: %v", path, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(e.stderr, "code import: %d passages coded from %s (run 'peermap index' to search them)\n", stored, path)
	return nil
}

func (e *env) exportCodes(ctx context.Context, out, format, coder string, sheet bool) error {
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	var rows []annotate.HumanCode
	if sheet {
		rows, err = ws.CodingSheet(ctx, coder)
	} else {
		rows, err = ws.HumanCodes(coder)
	}
	if err != nil {
		return err
	}
	if out == "-" {
		return annotate.WriteCodes(e.stdout, format, rows)
	}
	if err := atomicfile.WriteFunc(out, func(w io.Writer) error { return annotate.WriteCodes(w, format, rows) }); err != nil {
		return fmt.Errorf("code export %s: %w", out, err)
	}
	fmt.Fprintf(e.stderr, "code export: %d rows written to %s\n", len(rows), out)
	return nil
}

// codeNext prints the passages to code next.
func (e *env) codeNext(ctx context.Context, n int, asJSON bool) error {
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	next, err := ws.CodeNext(ctx, n)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	for _, np := range next {
		if asJSON {
			if err := enc.Encode(np); err != nil {
				return err
			}
			continue
		}
		var unsure []string
		for _, c := range slices.Sorted(maps.Keys(np.Unsure)) {
			unsure = append(unsure, fmt.Sprintf("%s %.2f", c, np.Unsure[c]))
		}
		fmt.Fprintf(e.stdout, "%s\t%.2f\t%s\t%s\n", np.Passage.Short(), np.Uncertainty, strings.Join(unsure, ", "), text.Shorten(np.Text, 120))
	}
	return nil
}
