package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// upgrade converts a store of format from to FormatVersion: it copies the
// file to <path>.v<from>.bak first, then converts in one transaction, so a
// crash leaves the old store or the new one, never a mix.
func (s *Store) upgrade(from int) error {
	for v := from; v < FormatVersion; v++ {
		if _, ok := upgrades[v]; !ok {
			return fmt.Errorf("%w: written by format %d, which this peermap cannot upgrade: re-ingest into a new workspace", ErrFormatVersion, from)
		}
	}
	bak := fmt.Sprintf("%s.v%d.bak", s.path, from)
	if err := s.view(func(tx *bolt.Tx) error { return tx.CopyFile(bak, 0o644) }); err != nil {
		return fmt.Errorf("upgrade from format %d: copy to %s: %w", from, bak, err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		for v := from; v < FormatVersion; v++ {
			step, ok := upgrades[v]
			if !ok {
				return fmt.Errorf("no upgrade from format %d", v)
			}
			if err := step(tx); err != nil {
				return fmt.Errorf("format %d to %d: %w", v, v+1, err)
			}
		}
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put([]byte("format"), []byte(strconv.Itoa(FormatVersion)))
	})
	if err != nil {
		return fmt.Errorf("upgrade from format %d (the old store is kept as %s): %w", from, bak, err)
	}
	return nil
}

// upgrades converts format N to N+1, inside the upgrade's transaction.
var upgrades = map[int]func(*bolt.Tx) error{
	1: upgradeV1,
}

// upgradeV1 re-keys passages and human codes by their ordinal in ten
// digits (format 2), so a document's passages sort in reading order past
// the 9,999th.
func upgradeV1(tx *bolt.Tx) error {
	if err := rekey(tx.Bucket(bPassages), func(k []byte) string { return passageKey(PassageID(k)) }); err != nil {
		return fmt.Errorf("passages: %w", err)
	}
	return rekey(tx.Bucket(bHuman), func(k []byte) string {
		pid, coder, _ := bytes.Cut(k, []byte{0})
		return passageKey(PassageID(pid)) + "\x00" + string(coder)
	})
}

// rekey moves every value of b to the key that key gives it.
func rekey(b *bolt.Bucket, key func([]byte) string) error {
	if b == nil {
		return nil
	}
	type kv struct{ k, v []byte }
	var all []kv
	err := b.ForEach(func(k, v []byte) error {
		if !json.Valid(v) {
			return fmt.Errorf("value of %q is not JSON", k)
		}
		all = append(all, kv{slices.Clone(k), slices.Clone(v)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, x := range all {
		if err := b.Delete(x.k); err != nil {
			return err
		}
	}
	for _, x := range all {
		if err := b.Put([]byte(key(x.k)), x.v); err != nil {
			return err
		}
	}
	return nil
}
