package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// maxMemo caps a memo, in characters.
const maxMemo = 4000

// A codeSet is what a coder says of one passage: codes, peer labels and a
// memo. The coding form, POST /api/codes and adjudication all save one.
type codeSet struct {
	Codes  []string `json:"codes"`
	Labels []string `json:"labels"`
	Memo   string   `json:"memo"`
}

// save replaces coder's codes of p with in, then brings the index up to
// date for p's document. Codes and labels must be in the vocabulary, or
// already given to p by that coder (so saving never drops them silently).
// The memo is kept as the Note of the first code (corpus.Annotation.Note,
// what the REFI-QDA exchange reads and writes), so a memo needs a code or
// a label. A refusal is a status code and a sentence for the coder; err is
// for the log only.
func (s *server) save(ctx context.Context, coder string, p corpus.Passage, in codeSet) (code int, why string, err error) {
	anns, err := s.annotations(p)
	if err != nil {
		return 0, "", err
	}
	oldFam := make(map[string]string)
	oldCode := make(map[string]bool)
	for _, a := range anns {
		if a.Annotator == "human:"+coder {
			switch a.Type {
			case corpus.AnnCode:
				oldCode[a.Code] = true
			case corpus.AnnLabel:
				oldFam[a.Label] = a.Family
			}
		}
	}
	out := []corpus.Annotation{}
	codes := slices.Clone(in.Codes)
	slices.Sort(codes)
	for _, c := range slices.Compact(codes) {
		if !s.vocab.codes[c] && !oldCode[c] {
			return http.StatusBadRequest, fmt.Sprintf("The codebook has no code %q.", c), nil
		}
		out = append(out, corpus.Annotation{Type: corpus.AnnCode, Code: c, Confidence: 1})
	}
	labels := slices.Clone(in.Labels)
	slices.Sort(labels)
	for _, l := range slices.Compact(labels) {
		fam, ok := s.vocab.labels[l]
		if !ok {
			fam, ok = oldFam[l]
		}
		if !ok && slices.Contains(s.opts.Vocab.Families, l) {
			fam, ok = l, true // a family stands for its own name
		}
		if !ok {
			return http.StatusBadRequest, fmt.Sprintf("The codebook has no peer label %q.", l), nil
		}
		out = append(out, corpus.Annotation{Type: corpus.AnnLabel, Label: l, Family: fam, Confidence: 1})
	}
	memo := strings.TrimSpace(strings.ReplaceAll(in.Memo, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(memo) || utf8.RuneCountInString(memo) > maxMemo:
		return http.StatusBadRequest, fmt.Sprintf("A memo is at most %d characters of text.", maxMemo), nil
	case memo != "" && len(out) == 0:
		return http.StatusBadRequest, "A memo is kept with the codes: tick at least one code or label, or clear the memo.", nil
	case memo != "":
		corpus.SortAnnotations(out)
		out[0].Note = memo
	}
	if err := s.store.PutHumanCodes(coder, p.ID, out); err != nil {
		return 0, "", err
	}
	if s.reindex != nil {
		if err := s.reindex.update(ctx, p.Doc); err != nil {
			// The codes are stored; only the index lags ('peermap check' says so).
			s.log.Error("re-index after hand codes", zap.String(corpus.LogKeyPassage, string(p.ID)), zap.Error(err))
		}
	}
	s.log.Info("human codes stored", zap.String(corpus.LogKeyPassage, string(p.ID)), zap.String("coder", coder), zap.Int(corpus.LogKeyCount, len(out)))
	return 0, "", nil
}
