package corpus

import (
	"slices"
)

// HumanCoded returns the passages that some coder has coded by hand,
// sorted, including those coded with no code at all (which HumanCodes
// cannot show): the learned layer trains on both.
func (s *Store) HumanCoded() ([]PassageID, error) {
	cs, err := s.Coded("")
	if err != nil {
		return nil, err
	}
	out := make([]PassageID, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Passage)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
