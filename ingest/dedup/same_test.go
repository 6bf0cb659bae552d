package dedup_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/internal/golden"
)

// crowd returns n near copies of one text (one word changed in each), so
// that every band of their signatures falls in buckets larger than the
// pairs grouping takes from one bucket.
func crowd(n int) []*corpus.Document {
	base := strings.Fields(synthetic(1, 0)[0].Text)
	var docs []*corpus.Document
	for i := range n {
		w := append([]string(nil), base...)
		w[10+i%100] = fmt.Sprint("crowd", i)
		text := strings.Join(w, " ")
		docs = append(docs, &corpus.Document{ID: corpus.NewDocID([]byte(text)), Kind: corpus.KindGrey, Title: fmt.Sprint("Crowd member number ", i), Text: text})
	}
	return docs
}

// TestGroupsSame checks that the groups (members, preferred member,
// reasons) of several corpora are those recorded in testdata/same.digest,
// which was written by Groups as it was before sketches (issue 17): the
// SYNERGY records, the hand-made pairs, random documents with near copies,
// and a crowd of near copies larger than one LSH bucket may give pairs,
// each as counts and a digest of its groups.
func TestGroupsSame(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("groups 10,000 documents: skipped with -short and under -race")
	}
	_, pairs := loadPairs(t)
	cases := []struct {
		name string
		docs []*corpus.Document
	}{
		{"synergy", synergy(t)},
		{"pairs", pairs},
		{"synthetic", synthetic(3000, 300)},
		{"crowd", crowd(400)},
		{"synergy+pairs+crowd", append(append(synergy(t), pairs...), crowd(300)...)},
	}
	var out strings.Builder
	for _, c := range cases {
		groups, err := dedup.Groups(context.Background(), c.docs, dedup.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		members := 0
		for _, g := range groups {
			b, err := json.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
			h.Write([]byte{'\n'})
			members += len(g.Members)
		}
		fmt.Fprintf(&out, "%s: %d documents, %d groups, %d members, sha256 %s\n", c.name, len(c.docs), len(groups), members, hex.EncodeToString(h.Sum(nil)))
	}
	golden.Check(t, filepath.Join("testdata", "same.digest"), []byte(out.String()))
}
