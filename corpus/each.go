package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
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

// ViewDigest returns a hash of what Views(doc) is made of: the stored bytes
// of the document's metadata, of its passages, and of their machine
// annotations and human codes, read in one transaction without decoding
// them. It changes whenever what Views returns changes, so a derived store
// (the index) can tell which documents to refresh at the cost of reading
// bytes, not of decoding every passage. It returns an error wrapping
// ErrNotFound if the store holds no such document.
func (s *Store) ViewDigest(doc DocID) (string, error) {
	h := sha256.New()
	part := func(k, v []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(k)))
		h.Write(n[:])
		h.Write(k)
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.Write(v)
	}
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bDocs).Get([]byte(doc))
		if v == nil {
			return ErrNotFound
		}
		part([]byte(doc), v)
		for _, b := range []struct {
			bucket []byte
			prefix string
		}{{bPassages, string(doc) + "/"}, {bAnn, string(doc) + "\x00"}, {bHuman, string(doc) + "/"}} {
			c := tx.Bucket(b.bucket).Cursor()
			p := []byte(b.prefix)
			for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
				part(k, v)
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("digest of %s: %w", doc.Short(), err)
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}
