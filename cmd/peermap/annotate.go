package main

import (
	"context"
	"fmt"
	"os"

	"go.uber.org/zap"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

const annotateHelp = `
Usage: peermap annotate [-force]

Tags every passage with the codes of the map's six dimensions and with the
peer labels it names, following the codebook (embedded, or -codebook FILE).
Only documents not yet annotated with this codebook version are tagged, so
a changed codebook re-annotates everything and an unchanged one nothing.
Machine annotations are stored as "rules@<codebook version>"; human codes
(peermap code import, peermap serve) are kept apart and never overwritten.

Examples:
  peermap annotate
  peermap -codebook my-map.yaml annotate
`

// loadCodebook returns the codebook of -codebook, or the embedded one.
func (e *env) loadCodebook() (*annotate.Codebook, error) {
	if e.codebookPath == "" {
		return annotate.Default(), nil
	}
	fh, err := os.Open(e.codebookPath)
	if err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	defer fh.Close()
	return annotate.LoadCodebook(fh, e.codebookPath)
}

func runAnnotate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "annotate", annotateHelp)
	force := fs.Bool("force", false, "re-annotate documents already annotated with this codebook")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = e.annotate(ctx, s, *force)
	return err
}

// annotate tags the documents whose annotations are missing or stale.
func (e *env) annotate(ctx context.Context, s *corpus.Store, force bool) (int, error) {
	cb, err := e.loadCodebook()
	if err != nil {
		return 0, err
	}
	tagger, err := annotate.New(cb, annotate.Options{Logger: e.log})
	if err != nil {
		return 0, err
	}
	version := cb.Version()
	annotator := "rules@" + version
	docs, err := s.Documents(ctx)
	if err != nil {
		return 0, err
	}
	var todo []*corpus.Document
	for _, d := range docs {
		if d.Skip == corpus.NotSkipped && (force || s.AnnotatedWith(d.ID) != version) {
			todo = append(todo, d)
		}
	}
	started := e.now()
	runN, err := s.BeginRun(corpus.Run{Command: "annotate", Version: versionString(), Codebook: version, Started: started})
	if err != nil {
		return 0, err
	}
	bar := e.progress(len(todo), "annotate")
	var sets []corpus.AnnotationSet
	var passages, anns int
	flush := func() error {
		err := s.PutAnnotationSets(sets)
		sets = sets[:0]
		return err
	}
	for _, meta := range todo {
		if err := ctx.Err(); err != nil {
			flush()
			return 0, err
		}
		d, err := s.Document(meta.ID)
		if err != nil {
			return 0, err
		}
		ps, err := s.Passages(d.ID)
		if err != nil {
			return 0, err
		}
		as := tagger.Tag(d, ps)
		passages += len(ps)
		anns += len(as)
		sets = append(sets, corpus.AnnotationSet{Doc: d.ID, Annotator: annotator, Codebook: version, Annotations: as})
		if len(sets) >= 200 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
		bar.Add(1)
	}
	if err := flush(); err != nil {
		return 0, err
	}
	bar.Finish()
	s.EndRun(corpus.Run{N: runN, Command: "annotate", Version: versionString(), Codebook: version, Started: started, Ended: e.now(),
		Counts: map[string]int{"documents": len(todo), "passages": passages, "annotations": anns}})
	e.log.Named("annotate").Debug("annotated", zap.Int("documents", len(todo)), zap.Int("passages", passages), zap.Int("annotations", anns), zap.String("codebook", version))
	fmt.Fprintf(e.stderr, "annotate: %d documents, %d passages, %d annotations (codebook %s)\n", len(todo), passages, anns, version)
	return len(todo), nil
}
