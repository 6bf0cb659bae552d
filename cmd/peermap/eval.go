package main

import (
	"context"
	"encoding/json"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/pipeline"
)

const evalHelp = `
Usage: peermap eval -gold FILE [-json] [-misses]
       peermap eval -coders A.jsonl B.jsonl [-json]

With -gold, annotates every passage of the gold file itself (rules of the
active codebook) and prints precision, recall and F1 per code, per
dimension, micro- and macro-averaged, label-family precision/recall/F1, and
Cohen's kappa per dimension. With -json the last line is one JSON object
with at least {"micro_f1","macro_f1","label_f1","kappa":{dimension: value}}.

With -coders, compares two human coders' files (same JSONL format, matched
by id, else by text) and prints Cohen's kappa and Krippendorff's alpha per
code and per dimension.

The gold format is one JSON object a line:
  {"id","text","lang","labels":[label families],"codes":["role.navigation",...],"is_peer":true}

Examples:
  peermap eval -gold gold/dev.jsonl
  peermap eval -gold gold/dev.jsonl -json | tail -1 | jq .micro_f1
  peermap eval -coders ana.jsonl ben.jsonl
`

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval", evalHelp)
	gold := fs.String("gold", "", "gold `file` (JSONL)")
	coders := fs.Bool("coders", false, "compare two coders' files given as arguments")
	asJSON := fs.Bool("json", false, "print JSON (the last line is the summary object)")
	misses := fs.Bool("misses", false, "also list the passages where the annotator and the gold disagree")
	rest, err := e.parseFlags(fs, args)
	if err != nil {
		return err
	}
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	switch {
	case *coders:
		if len(rest) != 2 || *gold != "" {
			return usagef("peermap eval -coders ana.jsonl ben.jsonl", "-coders takes exactly two files")
		}
		a, err := pipeline.ReadGold(rest[0])
		if err != nil {
			return err
		}
		b, err := pipeline.ReadGold(rest[1])
		if err != nil {
			return err
		}
		res := annotate.Agreement(a, b)
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(res)
		}
		return res.WriteText(e.stdout)
	case *gold != "":
		if len(rest) > 0 {
			return usagef("peermap eval -gold gold.jsonl", "unexpected arguments %q", rest)
		}
		res, err := pipeline.EvalGold(cb, *gold, e.log)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(res)
		}
		if err := res.WriteText(e.stdout); err != nil {
			return err
		}
		if *misses {
			return res.WriteMisses(e.stdout)
		}
		return nil
	}
	return usagef("peermap eval -gold gold.jsonl", "give -gold FILE or -coders A B")
}
