package corpus

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// EachDocument calls fn with the metadata of every document (without
// Text), in ID order, one at a time: unlike Documents it never holds them
// all, so a corpus of hundreds of thousands of records can be walked in
// little memory. fn must not keep d beyond the call if memory matters, and
// must not write to the store (the walk is one read transaction). An error
// from fn stops the walk and is returned.
func (s *Store) EachDocument(ctx context.Context, fn func(d *Document) error) error {
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bDocs).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			d := new(Document)
			if err := json.Unmarshal(v, d); err != nil {
				return fmt.Errorf("document %s: %w", k, err)
			}
			return fn(d)
		})
	})
	if err != nil {
		return fmt.Errorf("walk documents: %w", err)
	}
	return nil
}

// meta returns document id without its Text (which it does not read).
func (s *Store) meta(id DocID) (*Document, error) {
	var d Document
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bDocs).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &d)
	})
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	return &d, nil
}
