package pipeline

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// An AnnotateSummary counts what Annotate tagged.
type AnnotateSummary struct {
	Documents, Passages, Annotations int
	Codebook                         string // the active codebook version
	Annotator                        string // the annotator's name
}

// Annotator returns the name of the workspace's machine annotator:
// "model@<codebook version>+<model hash>", or "rules@<codebook version>"
// when no model fits the codebook.
func (w *Workspace) Annotator() string {
	t, err := w.Tagger()
	if err != nil {
		return "rules@" + w.codebook.Version()
	}
	return t.Annotator()
}

// Annotate tags the documents whose machine annotations are missing or
// were made by another annotator: another codebook version or another
// model (every document with force). Human codes are never touched.
func (w *Workspace) Annotate(ctx context.Context, force bool) (AnnotateSummary, error) {
	sum := AnnotateSummary{Codebook: w.codebook.Version(), Annotator: w.Annotator()}
	if w.opts.ReadOnly {
		return sum, errors.New("annotate: the workspace is open read-only")
	}
	s := w.store
	tagger, err := w.Tagger()
	if err != nil {
		return sum, err
	}
	version := w.codebook.Version()
	annotator := tagger.Annotator()
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return sum, err
	}
	var todo []*corpus.Document
	for _, d := range docs {
		v, err := s.AnnotatedWith(d.ID)
		if err != nil {
			return sum, err
		}
		if force || v != annotator {
			todo = append(todo, d)
		}
	}
	started := w.opts.Now()
	runN, err := s.BeginRun(corpus.Run{Command: "annotate", Version: w.opts.Version, Codebook: version, Started: started})
	if err != nil {
		return sum, err
	}
	bar := w.progress(len(todo), "annotate")
	var sets []corpus.AnnotationSet
	flush := func() error {
		w.suggested.forget()
		w.uncertain.forget()
		err := s.PutAnnotationSets(sets)
		sets = sets[:0]
		return err
	}
	for _, meta := range todo {
		if err := ctx.Err(); err != nil {
			if ferr := flush(); ferr != nil {
				return sum, ferr
			}
			return sum, err
		}
		d, err := s.Document(meta.ID)
		if err != nil {
			return sum, err
		}
		ps, err := s.Passages(d.ID)
		if err != nil {
			return sum, err
		}
		as := tagger.Tag(d, ps)
		sum.Documents++
		sum.Passages += len(ps)
		sum.Annotations += len(as)
		// The annotation state is the annotator's name: a new model, like a
		// new codebook, makes every document stale.
		sets = append(sets, corpus.AnnotationSet{Doc: d.ID, Annotator: annotator, Codebook: annotator, Annotations: as})
		if len(sets) >= 200 {
			if err := flush(); err != nil {
				return sum, err
			}
		}
		bar.Add(1)
	}
	if err := flush(); err != nil {
		return sum, err
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
