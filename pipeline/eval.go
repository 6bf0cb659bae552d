package pipeline

import (
	"go.uber.org/zap"

	"github.com/peermap/peermap/annotate"
)

// EvalGold annotates every passage of the gold file path with cb and scores
// the result against the gold codes and labels. It needs no workspace.
func EvalGold(cb *annotate.Codebook, path string, log *zap.Logger) (*annotate.EvalResult, error) {
	gold, err := ReadGold(path)
	if err != nil {
		return nil, err
	}
	t, err := annotate.New(cb, annotate.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	res := annotate.Evaluate(t, gold)
	res.Gold = path
	return res, nil
}
