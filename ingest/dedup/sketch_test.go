package dedup_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/dedup"
)

// TestGroupSketches groups the SYNERGY records, the pairs and a crowd
// through sketches written out and read back (as a workspace keeps them
// between runs), with metadata given without texts: the groups are those
// of Groups, and only the texts of candidate near duplicates are read.
func TestGroupSketches(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("groups 4,000 documents: skipped with -short and under -race")
	}
	_, pairs := loadPairs(t)
	docs := append(append(synergy(t), pairs...), crowd(300)...)
	want, err := dedup.Groups(context.Background(), docs, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf []byte
	byID := map[corpus.DocID]*corpus.Document{}
	for _, d := range docs {
		byID[d.ID] = d
		s := dedup.NewSketch(d)
		if buf, err = s.AppendBinary(buf); err != nil {
			t.Fatal(err)
		}
	}
	r := bufio.NewReader(bytes.NewReader(buf))
	var sks []dedup.Sketch
	for {
		s, err := dedup.ReadSketch(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("ReadSketch after %d: %v", len(sks), err)
		}
		meta := *byID[s.ID]
		meta.Text = "" // as Store.Documents gives them
		s.Meta(&meta)
		sks = append(sks, s)
	}
	read := 0
	got, err := dedup.GroupSketches(context.Background(), sks, func(id corpus.DocID) (string, error) {
		read++
		return byID[id].Text, nil
	}, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GroupSketches differs from Groups (-want +got):\n%s", diff)
	}
	if read == 0 || read > len(docs)/5 {
		t.Errorf("GroupSketches read %d texts of %d documents; want only those of candidate near duplicates", read, len(docs))
	}
	t.Logf("%d documents, %d groups, %d texts read", len(docs), len(got), read)
}

// TestSketchMeta checks that a changed title gets new band keys and an
// unchanged one keeps them.
func TestSketchMeta(t *testing.T) {
	a := &corpus.Document{ID: "a", Title: "Peer navigators in cancer care: a review", Text: "x"}
	b := &corpus.Document{ID: "a", Title: "Community health workers and maternal health", Text: "x"}
	s := dedup.NewSketch(a)
	keys := slices.Clone(s.TitleKeys)
	s.Meta(a)
	if !slices.Equal(s.TitleKeys, keys) || len(keys) == 0 {
		t.Fatalf("Meta with the same title changed the title keys")
	}
	s.Meta(b)
	if want := dedup.NewSketch(b).TitleKeys; !slices.Equal(s.TitleKeys, want) {
		t.Errorf("Meta with a new title: keys %x, want %x", s.TitleKeys[:2], want[:2])
	}
	s.Meta(&corpus.Document{ID: "a", Title: "Editorial"})
	if s.TitleKeys != nil {
		t.Errorf("Meta with a one-word title kept %d title keys", len(s.TitleKeys))
	}
}

func TestReadSketchErrors(t *testing.T) {
	s := dedup.NewSketch(synthetic(1, 0)[0])
	good, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	version := slices.Clone(good)
	version[2] = 99 // after a two-byte length
	// The ID's length (one byte after the version) written in two bytes;
	// the record's length, two bytes, one more.
	if good[0] < 0x80 || good[1] >= 0x7f || good[3] >= 0x80 {
		t.Fatalf("record %x: want a two-byte length and a one-byte ID length", good[:4])
	}
	overlongID := append([]byte{good[0] + 1, good[1], good[2], good[3] | 0x80, 0}, good[4:]...)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, io.EOF},
		{"cut short", good[:len(good)-3], io.ErrUnexpectedEOF},
		{"length only", good[:2], io.ErrUnexpectedEOF},
		{"other version", version, dedup.ErrSketch},
		{"zero length", []byte{0}, dedup.ErrSketch},
		{"junk", append([]byte{5}, "abcde"...), dedup.ErrSketch},
		{"record length in too many bytes", append([]byte{good[0] | 0x80, 0}, good[1:]...), dedup.ErrSketch},
		{"ID length in too many bytes", overlongID, dedup.ErrSketch},
		{"length overflows", bytes.Repeat([]byte{0xff}, 11), dedup.ErrSketch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dedup.ReadSketch(bufio.NewReader(bytes.NewReader(tt.in)))
			if !errors.Is(err, tt.want) {
				t.Errorf("ReadSketch(%x) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
	got, err := dedup.ReadSketch(bufio.NewReader(bytes.NewReader(good)))
	if err != nil || got.ID != s.ID || got.TextLen != s.TextLen || !slices.Equal(got.TextKeys, s.TextKeys) || !slices.Equal(got.TitleKeys, s.TitleKeys) {
		t.Errorf("ReadSketch(AppendBinary(s)) = %+v, %v; want s back", got, err)
	}
}

// FuzzReadSketch: no panic on any input, and a record read back writes
// the same bytes.
func FuzzReadSketch(f *testing.F) {
	for _, d := range synthetic(2, 1) {
		s := dedup.NewSketch(d)
		b, _ := s.AppendBinary(nil)
		f.Add(b)
	}
	f.Add([]byte{3, 1, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bufio.NewReader(bytes.NewReader(in))
		var out []byte
		n := 0
		for {
			s, err := dedup.ReadSketch(r)
			if err != nil {
				break
			}
			var aerr error
			if out, aerr = s.AppendBinary(out); aerr != nil {
				t.Fatal(aerr)
			}
			n++
		}
		if n > 0 && !bytes.HasPrefix(in, out) {
			t.Errorf("%d records read back as other bytes", n)
		}
	})
}
