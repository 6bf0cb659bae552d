package corpus

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// HumanCoded returns the passages that some coder has coded by hand,
// sorted, including those coded with no code at all (which HumanCodes
// cannot show): the learned layer trains on both.
func (s *Store) HumanCoded() ([]PassageID, error) {
	var out []PassageID
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bHuman).ForEach(func(k, _ []byte) error {
			p, _, _ := strings.Cut(string(k), "\x00")
			out = append(out, passageOfKey(p))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("human-coded passages: %w", err)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
