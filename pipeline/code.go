package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// ErrNoCoder is returned by ImportCodes for a row that names no coder when
// no default coder is given.
var ErrNoCoder = errors.New("no coder")

// ImportCodes stores hand codes as human codes: each row names its passage
// by ID (full or short) or by its exact text (white space aside), and its
// coder (else coder). Codes are checked against the active codebook first,
// so a bad file stores nothing; a row's codes replace that coder's earlier
// codes of the passage and nothing else. It returns how many rows were
// stored.
func (w *Workspace) ImportCodes(ctx context.Context, rows []annotate.HumanCode, coder string) (int, error) {
	if err := w.Codebook().CheckCodes(rows); err != nil {
		return 0, err
	}
	var byText map[string]corpus.PassageID
	for i := range rows {
		if rows[i].Coder == "" {
			rows[i].Coder = coder
		}
		if rows[i].Coder == "" {
			return 0, fmt.Errorf("row %d: %w: give -coder NAME", rows[i].Row, ErrNoCoder)
		}
	}
	stored := 0
	for _, h := range rows {
		if err := ctx.Err(); err != nil {
			return stored, err
		}
		pid := h.Passage
		if pid != "" {
			p, err := w.store.FindPassage(string(pid))
			if err != nil {
				return stored, fmt.Errorf("row %d: %w", h.Row, err)
			}
			pid = p.ID
		} else {
			if byText == nil {
				var err error
				if byText, err = w.passagesByText(ctx); err != nil {
					return stored, err
				}
			}
			var ok bool
			if pid, ok = byText[normSpace(h.Text)]; !ok {
				return stored, fmt.Errorf("row %d: no passage has this text: %q", h.Row, text.Shorten(h.Text, 80))
			}
		}
		h.Passage = pid
		if err := w.store.PutHumanCodes(h.Coder, pid, h.Annotations(w.Codebook())); err != nil {
			return stored, fmt.Errorf("row %d: %w", h.Row, err)
		}
		stored++
	}
	return stored, nil
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// passagesByText maps the white-space-normalised text of every passage to
// its ID (the first passage with that text).
func (w *Workspace) passagesByText(ctx context.Context) (map[string]corpus.PassageID, error) {
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]corpus.PassageID{}
	for _, d := range docs {
		ps, err := w.store.Passages(d.ID)
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

// HumanCodes returns the human codes of coder ("" for every coder) as rows,
// each with its passage's text. A passage a coder saved with no code at
// all ("nothing here applies") is a row with empty codes and labels.
func (w *Workspace) HumanCodes(coder string) ([]annotate.HumanCode, error) {
	anns, err := w.store.HumanCodes(coder)
	if err != nil {
		return nil, err
	}
	rows, err := w.withEmpty(annotate.HumanCodes(anns), coder)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		p, err := w.store.Passage(rows[i].Passage)
		if err != nil && !errors.Is(err, corpus.ErrNotFound) {
			return nil, err
		}
		rows[i].Text = p.Text
	}
	return rows, nil
}

// CodingSheet returns every passage of the corpus as a row to code, with
// empty codes, the given coder, and the machine's codes as suggestions.
func (w *Workspace) CodingSheet(ctx context.Context, coder string) ([]annotate.HumanCode, error) {
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return nil, err
	}
	var rows []annotate.HumanCode
	for _, d := range docs {
		vs, err := w.store.Views(d.ID)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			rows = append(rows, annotate.HumanCode{Passage: v.Passage.ID, Text: v.Passage.Text, Codes: []string{}, Coder: coder, Suggested: v.Codes()})
		}
	}
	return rows, nil
}

// withEmpty adds to rows a row with no codes for every passage coder saved
// empty, in the order of annotate.HumanCodes (passage ID, then coder).
func (w *Workspace) withEmpty(rows []annotate.HumanCode, coder string) ([]annotate.HumanCode, error) {
	coded, err := w.store.Coded(coder)
	if err != nil {
		return nil, err
	}
	if len(coded) == len(rows) {
		return rows, nil
	}
	type key struct {
		p     corpus.PassageID
		coder string
	}
	have := make(map[key]bool, len(rows))
	for _, r := range rows {
		have[key{r.Passage, r.Coder}] = true
	}
	for _, c := range coded {
		if !have[key{c.Passage, c.Coder}] {
			rows = append(rows, annotate.HumanCode{Passage: c.Passage, Coder: c.Coder, Codes: []string{}})
		}
	}
	slices.SortStableFunc(rows, func(a, b annotate.HumanCode) int {
		return cmp.Or(cmp.Compare(a.Passage, b.Passage), cmp.Compare(a.Coder, b.Coder))
	})
	return rows, nil
}
