package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

const checkHelp = `
Usage: peermap check

Verifies that the store, the index and the codebook agree:
  - every passage's text is its document's text at its offsets;
  - every ingested document is annotated with the active codebook version;
  - the index holds exactly the store's passages, with the current
    annotations, and was built with this corpus format;
  - every human code points to a passage that exists.
Prints each problem with the command that fixes it; exit code 1 if any.

Example:
  peermap check || peermap annotate && peermap index
`

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check", checkHelp)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer s.Close()
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	var problems []string
	report := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	docs, err := ingestedDocs(ctx, s)
	if err != nil {
		return err
	}
	fps := map[corpus.DocID]string{}
	counts := map[corpus.DocID]int{}
	var stale, passages int
	for _, meta := range docs {
		d, err := s.Document(meta.ID)
		if err != nil {
			return err
		}
		vs, err := s.Views(d.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			p := v.Passage
			if p.Start < 0 || p.End > len(d.Text) || p.Start > p.End || d.Text[p.Start:p.End] != p.Text {
				report("passage %s: text does not match its document at [%d,%d): re-ingest %s", p.ID.Short(), p.Start, p.End, d.Path)
			}
		}
		passages += len(vs)
		counts[d.ID] = len(vs)
		fps[d.ID] = fingerprint(vs)
		if s.AnnotatedWith(d.ID) != cb.Version() {
			stale++
		}
	}
	if stale > 0 {
		report("%d of %d documents are not annotated with codebook %s: run 'peermap annotate'", stale, len(docs), cb.Version())
	}
	hc, err := s.HumanCodes("")
	if err != nil {
		return err
	}
	for _, a := range hc {
		if _, err := s.Passage(a.Passage); err != nil {
			report("human code %s by %s points to missing passage %s", a.Code, a.Annotator, a.Passage)
		}
	}

	ix, err := index.Open(e.indexPath(), e.searchOptions())
	if err != nil {
		report("index: %v: run 'peermap reindex'", err)
	} else {
		defer ix.Close()
		held, err := ix.DocIDs(ctx)
		if err != nil {
			return err
		}
		var missing, extra, wrong int
		for id, n := range counts {
			switch m, ok := held[id]; {
			case !ok && n > 0:
				missing++
			case ok && m != n:
				wrong++
			}
		}
		for id := range held {
			if _, ok := counts[id]; !ok {
				extra++
			}
		}
		if missing+extra+wrong > 0 {
			report("index: %d documents missing, %d not in the store, %d with another passage count: run 'peermap index'", missing, extra, wrong)
		}
		old := map[corpus.DocID]string{}
		if raw, _ := ix.Stamp(stampFingerprints); raw != "" {
			json.Unmarshal([]byte(raw), &old)
		}
		var changed int
		for id, fp := range fps {
			if o, ok := old[id]; ok && o != fp {
				changed++
			}
		}
		if changed > 0 {
			report("index: %d documents changed (passages or annotations) since indexing: run 'peermap index'", changed)
		}
		if v, _ := ix.Stamp("codebook"); v != cb.Version() {
			report("index: built with codebook %q, active codebook is %s: run 'peermap annotate' then 'peermap index'", v, cb.Version())
		}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.stdout, p)
		}
		return &silentError{code: 1}
	}
	fmt.Fprintf(e.stdout, "ok: %d documents, %d passages, %d human codes; annotations and index up to date with codebook %s\n", len(docs), passages, len(hc), cb.Version())
	return nil
}
