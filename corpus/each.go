package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
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
	ds, err := s.ViewDigests(context.Background(), []DocID{doc})
	if err != nil {
		return "", err
	}
	return ds[0], nil
}

// ViewDigests returns the ViewDigest of each of docs, in order, read in
// one transaction: for a whole corpus, one transaction and one cursor per
// bucket instead of one of each per document.
func (s *Store) ViewDigests(ctx context.Context, docs []DocID) ([]string, error) {
	out := make([]string, len(docs))
	h := sha256.New()
	var sum [sha256.Size]byte
	part := func(k, v []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(k)))
		h.Write(n[:])
		h.Write(k)
		binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.Write(v)
	}
	var at DocID
	err := s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bDocs)
		parts := []struct {
			c   *bolt.Cursor
			sep string
		}{{tx.Bucket(bPassages).Cursor(), "/"}, {tx.Bucket(bAnn).Cursor(), "\x00"}, {tx.Bucket(bHuman).Cursor(), "/"}}
		for i, doc := range docs {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			at = doc
			v := meta.Get([]byte(doc))
			if v == nil {
				return ErrNotFound
			}
			h.Reset()
			part([]byte(doc), v)
			for _, b := range parts {
				p := []byte(string(doc) + b.sep)
				for k, v := b.c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = b.c.Next() {
					part(k, v)
				}
			}
			out[i] = hex.EncodeToString(h.Sum(sum[:0])[:16])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("digest of %s: %w", at.Short(), err)
	}
	return out, nil
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

// decodeHead decodes only the fields EachDocumentHead sets. It uses the
// JSON v2 decoder, which reads a record once and skips the fields it does
// not want (a record's abstract, a PDF's pages) without building them;
// encoding/json reads it twice (a validity scan, then the decoding): 2.4
// times the time on a corpus of records, where grouping after an ingest
// walks every head. The records are encoding/json's own output (valid
// UTF-8, exact field names, no duplicates), on which both agree.
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
	if err := jsonv2.Unmarshal(v, &h); err != nil {
		return nil, err
	}
	return &Document{ID: h.ID, Kind: h.Kind, Title: h.Title, Authors: h.Authors, Year: h.Year, DOI: h.DOI, PMID: h.PMID, Skip: h.Skip}, nil
}
