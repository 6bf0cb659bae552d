package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

var (
	bMeta      = []byte("meta")
	bDocs      = []byte("docs")
	bText      = []byte("text")
	bPassages  = []byte("passages")
	bAnn       = []byte("ann")
	bAnnState  = []byte("annstate")
	bHuman     = []byte("human")
	bSources   = []byte("sources")
	bRuns      = []byte("runs")
	bGroups    = []byte("groups")
	allBuckets = [][]byte{bMeta, bDocs, bText, bPassages, bAnn, bAnnState, bHuman, bSources, bRuns, bGroups}
)

// A Store is a corpus on disk (one bbolt file). Only one process may have a
// Store open for writing; readers opened with ReadOnly may share it. A
// store opened Shared holds the file only during each call, so that other
// processes can read and write between calls.
type Store struct {
	db   *bolt.DB // nil when shared
	path string
	opts StoreOptions
}

// StoreOptions control how a store is opened. The zero value opens for
// writing and waits up to 2 seconds for another process to let go.
type StoreOptions struct {
	ReadOnly bool
	Wait     time.Duration // how long to wait for the file lock; 0 means 2s
	Now      func() time.Time
	// Shared opens the file for each call and closes it after: reads take
	// the lock shared, writes take it alone, each waiting up to Wait. A
	// long-running process (peermap serve) uses it so that ingest, annotate
	// and code import can run beside it, one writer at a time.
	Shared bool
}

func (o StoreOptions) wait() time.Duration {
	if o.Wait == 0 {
		return 2 * time.Second
	}
	return o.Wait
}

// ErrDamaged means the store's file is damaged: bbolt found a page it
// cannot read.
var ErrDamaged = errors.New("the store file is damaged")

// guard turns a panic of bbolt on a damaged page into ErrDamaged.
func guard(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%w: %v", ErrDamaged, p)
	}
}

// view runs fn in a read transaction.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer guard(&err)
	if s.db != nil {
		return s.db.View(fn)
	}
	db, err := s.openDB(true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(fn)
}

// update runs fn in a write transaction.
func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer guard(&err)
	if s.db != nil {
		return s.db.Update(fn)
	}
	if s.opts.ReadOnly {
		return bolterrors.ErrDatabaseReadOnly
	}
	db, err := s.openDB(false)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(fn)
}

// openDB opens the file for one call of a shared store.
func (s *Store) openDB(readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(s.path, 0o644, &bolt.Options{Timeout: s.opts.wait(), ReadOnly: readOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("corpus %s: %w", s.path, ErrLocked)
	}
	return db, err
}

// Create makes a new, empty store at path. It fails if path exists.
func Create(path string, opts StoreOptions) (*Store, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("create corpus %s: already exists", path)
	}
	s, err := open(path, opts, true)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	err = s.update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		m := tx.Bucket(bMeta)
		if err := m.Put([]byte("format"), []byte(strconv.Itoa(FormatVersion))); err != nil {
			return err
		}
		return m.Put([]byte("created"), []byte(now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		s.db.Close()
		return nil, fmt.Errorf("create corpus %s: %w", path, err)
	}
	return s, nil
}

// Open opens an existing store. It returns an error wrapping ErrNoStore if
// there is none, ErrFormatVersion if it was written by another format
// version, and ErrLocked if another process holds it.
func Open(path string, opts StoreOptions) (*Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open corpus %s: %w", path, ErrNoStore)
	}
	s, err := open(path, opts, false)
	if err != nil {
		return nil, err
	}
	older := -1 // the format to upgrade from, if older
	err = s.view(func(tx *bolt.Tx) error {
		m := tx.Bucket(bMeta)
		if m == nil {
			return fmt.Errorf("not a peermap corpus (no meta bucket)")
		}
		v, err := strconv.Atoi(string(m.Get([]byte("format"))))
		if err != nil {
			return fmt.Errorf("not a peermap corpus (no format version)")
		}
		switch {
		case v > FormatVersion:
			return fmt.Errorf("%w: written by format %d, this peermap reads format %d: upgrade peermap", ErrFormatVersion, v, FormatVersion)
		case v < FormatVersion && opts.ReadOnly:
			return fmt.Errorf("%w: written by format %d, this peermap reads format %d: %w", ErrFormatVersion, v, FormatVersion, ErrUpgrade)
		case v < FormatVersion:
			older = v
			return nil
		}
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil && !opts.ReadOnly {
				return fmt.Errorf("bucket %s missing", b)
			}
		}
		return nil
	})
	if err == nil && older >= 0 {
		err = s.upgrade(older)
	}
	if err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open corpus %s: %w", path, err)
	}
	if opts.Shared {
		if err := s.db.Close(); err != nil {
			return nil, fmt.Errorf("open corpus %s: %w", path, err)
		}
		s.db = nil
	}
	return s, nil
}

func open(path string, opts StoreOptions, create bool) (*Store, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: opts.wait(), ReadOnly: opts.ReadOnly && !create})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open corpus %s: %w (wait for it to finish, or stop it)", path, ErrLocked)
		}
		return nil, fmt.Errorf("open corpus %s: %w", path, err)
	}
	return &Store{db: db, path: path, opts: opts}, nil
}

// Path returns the file the store lives in.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	return s.db.Close()
}

// Backup writes a consistent copy of the store to w (one read transaction:
// writers may go on meanwhile) and returns its size.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up %s: %w", s.path, err)
	}
	return n, nil
}

// Verify checks the store's file structure (pages, free list, buckets)
// and returns what is damaged; none means it is sound. A damaged page that
// makes bbolt panic is reported, not raised.
func (s *Store) Verify() (problems []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			problems = append(problems, fmt.Sprintf("store %s is damaged: %v", s.path, p))
		}
	}()
	err = s.view(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			problems = append(problems, e.Error())
		}
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				problems = append(problems, fmt.Sprintf("bucket %s missing", b))
			}
		}
		return nil
	})
	return problems, err
}

func put(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

// Has reports whether the store holds document id.
func (s *Store) Has(id DocID) (bool, error) {
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		found = tx.Bucket(bDocs).Get([]byte(id)) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("look up document %s: %w", id.Short(), err)
	}
	return found, nil
}

// PutDocument stores doc (with its Text) and its passages in one
// transaction, replacing any passages the document had.
func (s *Store) PutDocument(doc *Document, ps []Passage) error {
	err := s.update(func(tx *bolt.Tx) error { return putDocument(tx, doc, ps) })
	if err != nil {
		return fmt.Errorf("store document %s (%s): %w", doc.ID.Short(), doc.Path, err)
	}
	return nil
}

func putDocument(tx *bolt.Tx, doc *Document, ps []Passage) error {
	if err := put(tx.Bucket(bDocs), string(doc.ID), doc); err != nil {
		return err
	}
	if err := tx.Bucket(bText).Put([]byte(doc.ID), []byte(doc.Text)); err != nil {
		return err
	}
	pb := tx.Bucket(bPassages)
	if err := deletePrefix(pb, string(doc.ID)+"/"); err != nil {
		return err
	}
	for _, p := range ps {
		if p.Doc != doc.ID {
			return fmt.Errorf("passage %s belongs to %s", p.ID, p.Doc)
		}
		if err := put(pb, passageKey(p.ID), p); err != nil {
			return err
		}
	}
	return nil
}

// UpdateDocuments rewrites the metadata of docs (not their text or passages),
// e.g. after version grouping.
func (s *Store) UpdateDocuments(docs []*Document) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bDocs)
		for _, d := range docs {
			if b.Get([]byte(d.ID)) == nil {
				return fmt.Errorf("update document %s: %w", d.ID.Short(), ErrNotFound)
			}
			if err := put(b, string(d.ID), d); err != nil {
				return err
			}
		}
		return nil
	})
}

func deletePrefix(b *bolt.Bucket, prefix string) error {
	c := b.Cursor()
	p := []byte(prefix)
	var keys [][]byte
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Document returns document id with its Text.
func (s *Store) Document(id DocID) (*Document, error) { return s.document(id, true) }

// document reads document id, with its Text when text is set.
func (s *Store) document(id DocID, text bool) (*Document, error) {
	var d Document
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bDocs).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		if text {
			d.Text = string(tx.Bucket(bText).Get([]byte(id)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	return &d, nil
}

// FindDocument returns the document whose ID is id or starts with id (at
// least 6 hex digits), so users can type the short IDs peermap prints.
func (s *Store) FindDocument(id string) (*Document, error) {
	if len(id) < 6 {
		return nil, fmt.Errorf("document %q: %w (give at least 6 hex digits)", id, ErrNotFound)
	}
	var full DocID
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bDocs).Cursor()
		p := []byte(id)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			full = DocID(k)
			n++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("document %q: %w", id, err)
	}
	switch n {
	case 0:
		return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	case 1:
		return s.Document(full)
	}
	return nil, fmt.Errorf("document %q: ambiguous prefix (%d documents)", id, n)
}

// Documents returns the metadata of every document (without Text), sorted by ID.
func (s *Store) Documents(ctx context.Context) ([]*Document, error) {
	var out []*Document
	err := s.eachDoc(ctx, decodeDoc, func(d *Document) error {
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return out, nil
}

// Passages returns the passages of document id in reading order.
func (s *Store) Passages(id DocID) ([]Passage, error) {
	var out []Passage
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bPassages).Cursor()
		p := []byte(string(id) + "/")
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var ps Passage
			if err := json.Unmarshal(v, &ps); err != nil {
				return fmt.Errorf("passage %s: %w", k, err)
			}
			out = append(out, ps)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("passages of %s: %w", id.Short(), err)
	}
	return out, nil
}

// Passage returns one passage.
func (s *Store) Passage(id PassageID) (Passage, error) {
	return get[Passage](s, bPassages, passageKey(id), "passage")
}

// FindPassage returns the passage whose ID is id, or whose short form
// ("<12 hex>/<nnnn>") is id.
func (s *Store) FindPassage(id string) (Passage, error) {
	if p, err := s.Passage(PassageID(id)); err == nil {
		return p, nil
	}
	doc, n, ok := strings.Cut(id, "/")
	if !ok {
		return Passage{}, fmt.Errorf("passage %q: %w", id, ErrNotFound)
	}
	d, err := s.FindDocument(doc)
	if err != nil {
		return Passage{}, fmt.Errorf("passage %q: %w", id, ErrNotFound)
	}
	k, err := strconv.Atoi(n)
	if err != nil {
		return Passage{}, fmt.Errorf("passage %q: %w", id, ErrNotFound)
	}
	return s.Passage(NewPassageID(d.ID, k))
}

// CountPassages returns the number of passages in the store.
func (s *Store) CountPassages() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bPassages).Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count passages: %w", err)
	}
	return n, nil
}

// PutAnnotations replaces the machine annotations of document doc made by
// annotator, and records that doc was annotated with codebook version cb.
// It refuses human annotators: human codes go through PutHumanCodes.
func (s *Store) PutAnnotations(doc DocID, annotator, cb string, anns []Annotation) error {
	err := s.update(func(tx *bolt.Tx) error { return putAnnotations(tx, doc, annotator, cb, anns) })
	if err != nil {
		return fmt.Errorf("store annotations of %s: %w", doc.Short(), err)
	}
	return nil
}

func putAnnotations(tx *bolt.Tx, doc DocID, annotator, cb string, anns []Annotation) error {
	if strings.HasPrefix(annotator, "human:") {
		return fmt.Errorf("annotator %q is human; use PutHumanCodes", annotator)
	}
	b := tx.Bucket(bAnn)
	// One machine annotator result per document: drop other rule versions.
	if err := deletePrefix(b, string(doc)+"\x00"); err != nil {
		return err
	}
	if err := put(b, string(doc)+"\x00"+annotator, anns); err != nil {
		return err
	}
	return tx.Bucket(bAnnState).Put([]byte(doc), []byte(cb))
}

// AnnotatedWith returns the codebook version document doc was last
// annotated with, "" if never.
func (s *Store) AnnotatedWith(doc DocID) (string, error) {
	var v string
	err := s.view(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bAnnState).Get([]byte(doc)))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("annotation state of %s: %w", doc.Short(), err)
	}
	return v, nil
}

// Annotations returns the machine annotations and human codes of the
// passages of document doc, sorted by Annotation.Compare.
func (s *Store) Annotations(doc DocID) ([]Annotation, error) {
	var out []Annotation
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bAnn).Cursor()
		p := []byte(string(doc) + "\x00")
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var as []Annotation
			if err := json.Unmarshal(v, &as); err != nil {
				return err
			}
			out = append(out, as...)
		}
		c = tx.Bucket(bHuman).Cursor()
		p = []byte(string(doc) + "/")
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var as []Annotation
			if err := json.Unmarshal(v, &as); err != nil {
				return err
			}
			out = append(out, as...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("annotations of %s: %w", doc.Short(), err)
	}
	SortAnnotations(out)
	return out, nil
}

// PutHumanCodes replaces the codes that coder gave passage pid. Every
// annotation is stored with Annotator "human:<coder>". Machine stages never
// call it, and PutAnnotations never touches what it writes.
func (s *Store) PutHumanCodes(coder string, pid PassageID, anns []Annotation) error {
	if coder == "" {
		return fmt.Errorf("store human codes of %s: no coder name", pid)
	}
	for i := range anns {
		anns[i].Annotator = "human:" + coder
		anns[i].Passage = pid
	}
	err := s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bPassages).Get([]byte(passageKey(pid))) == nil {
			return ErrNotFound
		}
		return put(tx.Bucket(bHuman), passageKey(pid)+"\x00"+coder, anns)
	})
	if err != nil {
		return fmt.Errorf("store human codes of %s: %w", pid, err)
	}
	return nil
}

// HumanCodes returns every human code in the store (of one coder if coder
// is not ""), sorted.
func (s *Store) HumanCodes(coder string) ([]Annotation, error) {
	var out []Annotation
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bHuman).ForEach(func(k, v []byte) error {
			_, c, _ := strings.Cut(string(k), "\x00")
			if coder != "" && c != coder {
				return nil
			}
			var as []Annotation
			if err := json.Unmarshal(v, &as); err != nil {
				return err
			}
			out = append(out, as...)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("human codes: %w", err)
	}
	SortAnnotations(out)
	return out, nil
}

// Views returns the passages of document doc joined with the document's
// metadata (without Text) and the passages' annotations.
func (s *Store) Views(doc DocID) ([]View, error) {
	d, err := s.meta(doc)
	if err != nil {
		return nil, err
	}
	ps, err := s.Passages(doc)
	if err != nil {
		return nil, err
	}
	anns, err := s.Annotations(doc)
	if err != nil {
		return nil, err
	}
	by := make(map[PassageID][]Annotation)
	for _, a := range anns {
		by[a.Passage] = append(by[a.Passage], a)
	}
	out := make([]View, len(ps))
	for i, p := range ps {
		out[i] = View{Passage: p, Doc: d, Annotations: by[p.ID]}
	}
	return out, nil
}

// PutSource records what became of one input.
func (s *Store) PutSource(src Source) error {
	err := s.update(func(tx *bolt.Tx) error { return put(tx.Bucket(bSources), src.Path, src) })
	if err != nil {
		return fmt.Errorf("store source %s: %w", src.Path, err)
	}
	return nil
}

// Source returns the record of input path.
func (s *Store) Source(path string) (Source, error) {
	return get[Source](s, bSources, path, "source")
}

// get decodes the value of key in bucket; ErrNotFound if there is none.
func get[T any](s *Store, bucket []byte, key, what string) (T, error) {
	var x T
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(key))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &x)
	})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", what, key, err)
	}
	return x, nil
}

// SourceWithSHA returns the first input record, in path order, of the
// given content hash and one of statuses; ErrNotFound if there is none.
// It scans the records, decoding only those that hold the hash.
func (s *Store) SourceWithSHA(sha string, statuses ...string) (Source, error) {
	var found Source
	needle := []byte(`"sha256":"` + sha + `"`)
	err := s.view(func(tx *bolt.Tx) error {
		if sha == "" {
			return ErrNotFound
		}
		c := tx.Bucket(bSources).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !bytes.Contains(v, needle) {
				continue
			}
			var src Source
			if err := json.Unmarshal(v, &src); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			if src.SHA256 == sha && slices.Contains(statuses, src.Status) {
				found = src
				return nil
			}
		}
		return ErrNotFound
	})
	if err != nil {
		return Source{}, fmt.Errorf("source with sha256 %s: %w", sha, err)
	}
	return found, nil
}

// Sources returns every input record, sorted by path.
func (s *Store) Sources() ([]Source, error) { return list[Source](s, bSources, "sources") }

// BeginRun stores r with the next run number and returns that number.
func (s *Store) BeginRun(r Run) (int, error) {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bRuns)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.N = int(seq)
		return put(b, fmt.Sprintf("%08d", r.N), r)
	})
	if err != nil {
		return 0, fmt.Errorf("store run: %w", err)
	}
	return r.N, nil
}

// EndRun rewrites run r.N (with its end time and counts).
func (s *Store) EndRun(r Run) error {
	err := s.update(func(tx *bolt.Tx) error { return put(tx.Bucket(bRuns), fmt.Sprintf("%08d", r.N), r) })
	if err != nil {
		return fmt.Errorf("store run %d: %w", r.N, err)
	}
	return nil
}

// Runs returns every run, oldest first.
func (s *Store) Runs() ([]Run, error) { return list[Run](s, bRuns, "runs") }

// PutGroups replaces every version group with groups, and sets Group and
// Preferred on the member documents (clearing them on the others).
func (s *Store) PutGroups(groups []Group) error {
	err := s.update(func(tx *bolt.Tx) error {
		gb := tx.Bucket(bGroups)
		if err := deletePrefix(gb, ""); err != nil {
			return err
		}
		member := make(map[DocID]Group)
		for _, g := range groups {
			if err := put(gb, g.ID, g); err != nil {
				return err
			}
			for _, m := range g.Members {
				member[m] = g
			}
		}
		db := tx.Bucket(bDocs)
		c := db.Cursor()
		type upd struct {
			k []byte
			v []byte
		}
		var ups []upd
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var d Document
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			g, ok := member[d.ID]
			group, pref := "", false
			if ok {
				group, pref = g.ID, g.Preferred == d.ID
			}
			if d.Group == group && d.Preferred == pref {
				continue
			}
			d.Group, d.Preferred = group, pref
			data, err := json.Marshal(&d)
			if err != nil {
				return err
			}
			ups = append(ups, upd{slices.Clone(k), data})
		}
		for _, u := range ups {
			if err := db.Put(u.k, u.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store groups: %w", err)
	}
	return nil
}

// Groups returns every version group, sorted by ID.
func (s *Store) Groups() ([]Group, error) { return list[Group](s, bGroups, "groups") }

// list decodes every value of bucket, in key order.
func list[T any](s *Store, bucket []byte, what string) ([]T, error) {
	var out []T
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var x T
			if err := json.Unmarshal(v, &x); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, x)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}

// An Entry is a document with its passages, for PutDocuments, and the
// record of the input it came from when that is stored with it.
type Entry struct {
	Doc      *Document
	Passages []Passage
	Source   *Source // nil: none
}

// PutDocuments stores many documents and their passages in one transaction
// (all or none), as PutDocument does for one, with the sources of the
// entries that have one (as PutSource does). Use it for reference exports,
// where one file holds thousands of records, and to store a file's
// document with its source: a run killed in between leaves neither.
func (s *Store) PutDocuments(entries []Entry) error {
	err := s.update(func(tx *bolt.Tx) error {
		for _, e := range entries {
			if err := putDocument(tx, e.Doc, e.Passages); err != nil {
				return fmt.Errorf("document %s (%s): %w", e.Doc.ID.Short(), e.Doc.Path, err)
			}
			if e.Source != nil {
				if err := put(tx.Bucket(bSources), e.Source.Path, e.Source); err != nil {
					return fmt.Errorf("source %s: %w", e.Source.Path, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store documents: %w", err)
	}
	return nil
}

// An AnnotationSet is the machine annotations of one document, for PutAnnotationSets.
type AnnotationSet struct {
	Doc         DocID
	Annotator   string
	Codebook    string
	Annotations []Annotation
}

// PutAnnotationSets does PutAnnotations for many documents in one transaction.
func (s *Store) PutAnnotationSets(sets []AnnotationSet) error {
	err := s.update(func(tx *bolt.Tx) error {
		for _, set := range sets {
			if err := putAnnotations(tx, set.Doc, set.Annotator, set.Codebook, set.Annotations); err != nil {
				return fmt.Errorf("annotations of %s: %w", set.Doc.Short(), err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store annotations: %w", err)
	}
	return nil
}
