package pipeline

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/peermap/peermap/annotate"
)

// EvalOptions choose what EvalGold measures besides the annotator's scores.
type EvalOptions struct {
	Rules  bool  // score the rules alone, not the learned layer
	Layers bool  // also compare the layers: rules alone, model alone, combined
	CV     int   // grouped K-fold cross-validation of the layers on the gold file itself (0: none)
	Curve  []int // learning curve after these numbers of simulated hand-coded gold passages
}

// EvalGold annotates every passage of the gold file path with cb (and its
// embedded model, unless opts.Rules) and scores the result against the gold
// codes, labels, links and is_peer decisions. opts.Layers compares the
// layers (rules alone, model alone, combined); opts.CV and opts.Curve add
// cross-validation and a learning curve. It needs no workspace.
func EvalGold(ctx context.Context, cb *annotate.Codebook, path string, log *zap.Logger, opts EvalOptions) (*annotate.EvalResult, error) {
	gold, err := ReadGold(path)
	if err != nil {
		return nil, err
	}
	t, err := annotate.New(cb, annotate.Options{Logger: log, Rules: opts.Rules})
	if err != nil {
		return nil, err
	}
	res := annotate.Evaluate(t, gold)
	res.Gold = path
	full, err := annotate.New(cb, annotate.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	topts := annotate.DefaultTrainOptions
	var train []annotate.Example
	if full.Model() != nil && !opts.Rules && (opts.Layers || len(opts.Curve) > 0) {
		if train, err = annotate.DefaultTrainSet(); err != nil {
			return nil, err
		}
	}
	if train != nil && opts.Layers {
		if res.Layers, err = annotate.EvaluateLayers(ctx, full, gold, train, topts); err != nil {
			return nil, err
		}
	}
	if opts.CV > 0 {
		if res.CV, err = annotate.CrossValidate(ctx, full, gold, opts.CV, topts); err != nil {
			return nil, err
		}
	}
	if len(opts.Curve) > 0 {
		if train == nil {
			return nil, fmt.Errorf("eval: a learning curve needs the shipped model of codebook %s", cb.Version())
		}
		if res.Curve, err = annotate.LearningCurve(ctx, full, train, gold, opts.Curve, 5, topts); err != nil {
			return nil, err
		}
	}
	return res, nil
}
