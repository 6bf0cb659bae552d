package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

const codeHelp = `
Usage: peermap code import [-coder NAME] [-format csv|jsonl|qdpx] FILE
       peermap code export [-o FILE] [-format csv|jsonl] [-coder NAME] [-sheet]

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

Examples:
  peermap code export -sheet -format csv -o to-code.csv
  peermap code import -coder ana to-code.csv
  peermap code import review.qdpx
  peermap code export -coder ana -format jsonl -o ana.jsonl
  peermap eval -coders ana.jsonl ben.jsonl
`

func runCode(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, strings.TrimSpace(codeHelp))
			return nil
		}
		return usagef("peermap code import codes.csv", "want 'code import FILE' or 'code export'")
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "code "+sub, codeHelp)
	coder := fs.String("coder", "", "coder `name`")
	format := fs.String("format", "", "file `format`: csv, jsonl or qdpx (default: from the file name, else csv)")
	out := fs.String("o", "-", "output `file` for export (- for stdout)")
	sheet := fs.Bool("sheet", false, "export: a coding sheet of every passage instead of the human codes")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	if sub == "import" {
		if len(rest) != 1 {
			return usagef("peermap code import -coder ana codes.csv", "give one FILE to import")
		}
		if formatOf(*format, rest[0]) == "qdpx" {
			return e.importQDPX(ctx, rest[0], *coder)
		}
		return e.importCodes(ctx, cb, rest[0], formatOf(*format, rest[0]), *coder)
	}
	if len(rest) > 0 {
		return usagef("peermap code export -o codes.csv", "unexpected arguments %q", rest)
	}
	return e.exportCodes(ctx, cb, *out, formatOf(*format, *out), *coder, *sheet)
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

func (e *env) importCodes(ctx context.Context, cb *annotate.Codebook, path, format, coder string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	codes, err := annotate.ReadCodes(fh, format)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := cb.CheckCodes(codes); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	s, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer s.Close()
	var byText map[string]corpus.PassageID
	var stored int
	for _, h := range codes {
		if h.Coder == "" {
			h.Coder = coder
		}
		if h.Coder == "" {
			return usagef("peermap code import -coder ana "+path, "%s: row %d has no coder: give -coder NAME", path, h.Row)
		}
		pid := h.Passage
		if pid != "" {
			p, err := s.FindPassage(string(pid))
			if err != nil {
				return fmt.Errorf("%s: row %d: %w", path, h.Row, err)
			}
			pid = p.ID
		} else {
			if byText == nil {
				if byText, err = passagesByText(ctx, s); err != nil {
					return err
				}
			}
			var ok bool
			if pid, ok = byText[normSpace(h.Text)]; !ok {
				return fmt.Errorf("%s: row %d: no passage has this text: %q", path, h.Row, shorten(h.Text, 80))
			}
		}
		h.Passage = pid
		if err := s.PutHumanCodes(h.Coder, pid, h.Annotations(cb)); err != nil {
			return fmt.Errorf("%s: row %d: %w", path, h.Row, err)
		}
		stored++
	}
	fmt.Fprintf(e.stderr, "code import: %d passages coded from %s (run 'peermap index' to search them)\n", stored, path)
	return nil
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func passagesByText(ctx context.Context, s *corpus.Store) (map[string]corpus.PassageID, error) {
	docs, err := ingestedDocs(ctx, s)
	if err != nil {
		return nil, err
	}
	out := map[string]corpus.PassageID{}
	for _, d := range docs {
		ps, err := s.Passages(d.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			k := normSpace(p.Text)
			if _, dup := out[k]; !dup {
				out[k] = p.ID
			}
		}
	}
	return out, nil
}

func (e *env) exportCodes(ctx context.Context, cb *annotate.Codebook, out, format, coder string, sheet bool) error {
	s, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer s.Close()
	var rows []annotate.HumanCode
	if sheet {
		docs, err := ingestedDocs(ctx, s)
		if err != nil {
			return err
		}
		for _, d := range docs {
			vs, err := s.Views(d.ID)
			if err != nil {
				return err
			}
			for _, v := range vs {
				rows = append(rows, annotate.HumanCode{Passage: v.Passage.ID, Text: v.Passage.Text, Codes: []string{}, Coder: coder, Suggested: v.Codes()})
			}
		}
	} else {
		anns, err := s.HumanCodes(coder)
		if err != nil {
			return err
		}
		rows = annotate.HumanCodes(anns)
		for i := range rows {
			if p, err := s.Passage(rows[i].Passage); err == nil {
				rows[i].Text = p.Text
			}
		}
	}
	var w io.Writer = e.stdout
	if out != "-" {
		fh, err := os.Create(out)
		if err != nil {
			return err
		}
		defer fh.Close()
		w = fh
	}
	if err := annotate.WriteCodes(w, format, rows); err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintf(e.stderr, "code export: %d rows written to %s\n", len(rows), out)
	}
	return nil
}
