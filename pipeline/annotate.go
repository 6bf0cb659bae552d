package pipeline

import (
	"context"
	"errors"
	"runtime"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/peermap/peermap/corpus"
)

// An AnnotateSummary counts what Annotate tagged.
type AnnotateSummary struct {
	Documents, Passages, Annotations int
	Codebook                         string // the active codebook version
	Annotator                        string // the annotator's name
}

// annotateChunk is how many documents Annotate tags and stores together.
const annotateChunk = 200

// Annotator returns the name of the workspace's machine annotator:
// "model@<codebook version>+<model hash>", or "rules@<codebook version>"
// when no model fits the codebook.
func (w *Workspace) Annotator() string {
	t, err := w.Tagger()
	if err != nil {
		return "rules@" + w.Codebook().Version()
	}
	return t.Annotator()
}

// Annotate tags the documents whose machine annotations are missing or
// were made by another annotator: another codebook version or another
// model (every document with force). Human codes are never touched.
func (w *Workspace) Annotate(ctx context.Context, force bool) (AnnotateSummary, error) {
	sum := AnnotateSummary{Codebook: w.Codebook().Version(), Annotator: w.Annotator()}
	if w.opts.ReadOnly {
		return sum, errors.New("annotate: the workspace is open read-only")
	}
	s := w.store
	tagger, err := w.Tagger()
	if err != nil {
		return sum, err
	}
	version := w.Codebook().Version()
	annotator := tagger.Annotator()
	ids, err := w.ingestedIDs(ctx)
	if err != nil {
		return sum, err
	}
	states, err := s.AnnotationStates()
	if err != nil {
		return sum, err
	}
	var todo []corpus.DocID
	for _, id := range ids {
		// The annotation state is the annotator's name: a new model, like a
		// new codebook, makes every document stale.
		if force || states[id] != annotator {
			todo = append(todo, id)
		}
	}
	states = nil
	started := w.opts.Now()
	runN, err := s.BeginRun(corpus.Run{Command: "annotate", Version: w.opts.Version, Codebook: version, Started: started})
	if err != nil {
		return sum, err
	}
	bar := w.progress(len(todo), "annotate")
	// Documents are read and tagged annotateChunk at a time, by up to
	// GOMAXPROCS goroutines (the tagger is deterministic per document and
	// safe for concurrent use), and each chunk is stored in one transaction,
	// in order.
	workers := runtime.GOMAXPROCS(0)
	for start := 0; start < len(todo); start += annotateChunk {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		chunk := todo[start:min(start+annotateChunk, len(todo))]
		sets := make([]corpus.AnnotationSet, len(chunk))
		passages := make([]int, len(chunk))
		var g errgroup.Group
		g.SetLimit(workers)
		for i, id := range chunk {
			g.Go(func() error {
				d, err := s.Document(id)
				if err != nil {
					return err
				}
				ps, err := s.Passages(id)
				if err != nil {
					return err
				}
				sets[i] = corpus.AnnotationSet{Doc: id, Annotator: annotator, Codebook: annotator, Annotations: tagger.Tag(d, ps)}
				passages[i] = len(ps)
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return sum, err
		}
		w.suggested.forget()
		w.uncertain.forget()
		if err := s.PutAnnotationSets(sets); err != nil {
			return sum, err
		}
		for i := range chunk {
			sum.Documents++
			sum.Passages += passages[i]
			sum.Annotations += len(sets[i].Annotations)
		}
		bar.Add(len(chunk))
	}
	bar.Finish()
	err = s.EndRun(corpus.Run{N: runN, Command: "annotate", Version: w.opts.Version, Codebook: version, Started: started, Ended: w.opts.Now(),
		Counts: map[string]int{"documents": sum.Documents, "passages": sum.Passages, "annotations": sum.Annotations}})
	if err != nil {
		return sum, err
	}
	w.log.Debug("annotated", zap.Int("documents", sum.Documents), zap.Int("passages", sum.Passages), zap.Int("annotations", sum.Annotations), zap.String("codebook", version))
	return sum, nil
}
