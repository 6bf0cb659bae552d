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

// eachDoc walks the documents bucket in ID order in one read transaction,
// giving fn each record as decode makes it.
func (s *Store) eachDoc(ctx context.Context, decode func(v []byte) (*Document, error), fn func(d *Document) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bDocs).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			d, err := decode(v)
			if err != nil {
				return fmt.Errorf("document %s: %w", k, err)
			}
			return fn(d)
		})
	})
}

// decodeDoc decodes a stored document record (its Text is stored apart).
func decodeDoc(v []byte) (*Document, error) {
	d := new(Document)
	return d, json.Unmarshal(v, d)
}

// meta returns document id without its Text (which it does not read).
func (s *Store) meta(id DocID) (*Document, error) { return s.document(id, false) }

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

// skipKey is how a skipped document's metadata names its reason: a
// document that was not skipped has no such key (Skip is omitted when
// zero), and the bytes `"skip":` cannot occur inside a JSON string (its
// quotes would be escaped).
var skipKey = []byte(`"skip":`)

// IngestedIDs returns the IDs of the documents that were not skipped, in
// ID order. It decodes no more of a document than its skip reason, and
// only when it has one: walking the IDs of a corpus of records does not
// decode every abstract.
func (s *Store) IngestedIDs(ctx context.Context) ([]DocID, error) {
	var ids []DocID
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bDocs).ForEach(func(k, v []byte) error {
			if len(ids)%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if bytes.Contains(v, skipKey) {
				var d struct {
					Skip Skip `json:"skip"`
				}
				if err := json.Unmarshal(v, &d); err != nil {
					return fmt.Errorf("document %s: %w", k, err)
				}
				if d.Skip != NotSkipped {
					return nil
				}
			}
			ids = append(ids, DocID(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return ids, nil
}

// AnnotationStates returns, for every document annotated by a machine,
// the codebook version it was last annotated with (AnnotatedWith of each,
// in one read).
func (s *Store) AnnotationStates() (map[DocID]string, error) {
	out := map[DocID]string{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bAnnState).ForEach(func(k, v []byte) error {
			out[DocID(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("annotation states: %w", err)
	}
	return out, nil
}

// EachDocumentHead calls fn with every document, in ID order, one at a
// time (never all held: a corpus of hundreds of thousands of records is
// walked in little memory), for walks that need only a document's
// head: ID, Kind, Skip, Title, Authors, Year, DOI and PMID are set, every
// other field is zero. Only those fields are decoded, so the abstract of a
// record and the pages of a PDF are skipped over, not built. fn must not
// write to the store (the walk is one read transaction); an error from fn
// stops the walk and is returned.
func (s *Store) EachDocumentHead(ctx context.Context, fn func(d *Document) error) error {
	if err := s.eachDoc(ctx, decodeHead, fn); err != nil {
		return fmt.Errorf("walk documents: %w", err)
	}
	return nil
}

// decodeHead decodes only the fields EachDocumentHead sets.
func decodeHead(v []byte) (*Document, error) {
	var h struct {
		ID      DocID    `json:"id"`
		Kind    Kind     `json:"kind"`
		Title   string   `json:"title,omitempty"`
		Authors []string `json:"authors,omitempty"`
		Year    int      `json:"year,omitempty"`
		DOI     string   `json:"doi,omitempty"`
		PMID    string   `json:"pmid,omitempty"`
		Skip    Skip     `json:"skip,omitempty"`
	}
	if err := json.Unmarshal(v, &h); err != nil {
		return nil, err
	}
	return &Document{ID: h.ID, Kind: h.Kind, Title: h.Title, Authors: h.Authors, Year: h.Year, DOI: h.DOI, PMID: h.PMID, Skip: h.Skip}, nil
}
