package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/pipeline"
)

const evalHelp = `
Usage: peermap eval -gold FILE [-json] [-misses] [-rules] [-cv K] [-curve N,N,...]
       peermap eval -coders A.jsonl B.jsonl [-json]

With -gold, annotates every passage of the gold file itself, alone (the
learned layer of the active codebook, or its rules alone with -rules), and
prints precision, recall and F1 per code, per dimension, micro- and
macro-averaged, label-family precision/recall/F1, Cohen's kappa per
dimension, is_peer and link precision/recall/F1 and a calibration table
(observed precision of the codes given, by confidence). It then compares
the layers on the file: the rules alone, the model without rule features
and the combined model (the default), both trained on the shipped
training set. -cv K adds grouped K-fold cross-validation of the three
layers on the gold file itself (folds keep a document's passages
together; each fold is annotated by models trained on the other folds
only). -curve adds a learning curve: for each N, each fold of the gold
file is annotated by a model trained on the shipped training set plus N
passages of the other folds, as if a team had coded them by hand.

With -json the last line is one JSON object with at least
{"micro_f1","macro_f1","label_f1","link_f1","is_peer_f1",
"micro":{"precision","recall"},"kappa":{dimension: value},"calibration",
"layers"} and, when asked for, "cv" and "learning_curve".

With -coders, compares two human coders' files (same JSONL format, matched
by id, else by text) and prints Cohen's kappa and Krippendorff's alpha per
code and per dimension.

The gold format is one JSON object a line:
  {"id","text","lang","labels":[label families],"codes":["role.navigation",...],"is_peer":true}

Examples:
  peermap eval -gold gold/dev.jsonl
  peermap eval -gold gold/dev.jsonl -json | tail -1 | jq .micro_f1
  peermap eval -gold gold/train.jsonl -cv 5
  peermap eval -gold gold/dev.jsonl -curve 0,25,50,100,200
  peermap eval -coders ana.jsonl ben.jsonl
`

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval", evalHelp)
	gold := fs.String("gold", "", "gold `file` (JSONL)")
	coders := fs.Bool("coders", false, "compare two coders' files given as arguments")
	asJSON := fs.Bool("json", false, "print JSON (the last line is the summary object)")
	misses := fs.Bool("misses", false, "also list the passages where the annotator and the gold disagree")
	rules := fs.Bool("rules", false, "score the rules alone (annotator rules@<codebook version>), not the learned layer")
	cv := fs.Int("cv", 0, "also cross-validate the layers on the gold file, grouped by document, with `K` folds")
	curve := fs.String("curve", "", "also a learning curve after `N,N,...` simulated hand-coded passages of the gold file")
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
		opts := pipeline.EvalOptions{Rules: *rules, Layers: !*rules, CV: *cv}
		if *curve != "" {
			for _, f := range strings.Split(*curve, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil || n < 0 {
					return usagef("peermap eval -gold dev.jsonl -curve 0,25,50,100,200", "-curve: %q is not a count", f)
				}
				opts.Curve = append(opts.Curve, n)
			}
		}
		res, err := pipeline.EvalGold(ctx, cb, *gold, e.log, opts)
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
