package corpus

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// A Coded names one passage that one coder has coded by hand. A coder who
// saved an empty set of codes ("nothing here applies") has coded the
// passage too, though HumanCodes returns no annotation for it.
type Coded struct {
	Passage PassageID `json:"passage"`
	Coder   string    `json:"coder"`
}

// Coded returns every (passage, coder) pair the store holds human codes
// for, empty sets included, of one coder if coder is not "", in reading
// order (document, ordinal), then by coder.
func (s *Store) Coded(coder string) ([]Coded, error) {
	var out []Coded
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bHuman).ForEach(func(k, _ []byte) error {
			p, c, ok := strings.Cut(string(k), "\x00")
			if ok && (coder == "" || c == coder) {
				out = append(out, Coded{Passage: passageOfKey(p), Coder: c})
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("coded passages: %w", err)
	}
	return out, nil // keys sort by document, ordinal, "\x00", coder
}

// MachineCoded returns, sorted, the passages that some machine annotator
// gave at least one code that is not negated: the passages a coder can be
// shown suggestions for.
func (s *Store) MachineCoded(ctx context.Context) ([]PassageID, error) {
	var out []PassageID
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bAnn).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var as []struct {
				Passage PassageID `json:"passage"`
				Type    string    `json:"type"`
				Negated bool      `json:"negated"`
			}
			if err := json.Unmarshal(v, &as); err != nil {
				return fmt.Errorf("annotations %q: %w", k, err)
			}
			for _, a := range as {
				if a.Type == AnnCode && !a.Negated {
					out = append(out, a.Passage)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("machine-coded passages: %w", err)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
