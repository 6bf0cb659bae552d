package dedup_test

import (
	"bufio"
	"context"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/ingest/refs"
	"github.com/peermap/peermap/internal/text"
)

// oldTextKeys is how NewSketch made a text's band keys before keyWords:
// the key of the whole text split into words, each 3-word shingle hashed
// (FNV-1a of the words joined by spaces), sorted and made distinct.
func oldTextKeys(s string) []uint64 {
	words := strings.Fields(text.Key(s))
	var set []uint64
	for i := 0; i+3 <= len(words); i++ {
		h := fnv.New64a()
		h.Write([]byte(strings.Join(words[i:i+3], " ")))
		set = append(set, h.Sum64())
	}
	slices.Sort(set)
	return dedup.TextKeys(slices.Compact(set))
}

// realDocs returns the documents of the shared corpus's folders (PDFs
// extracted in process, web pages in many languages) and the records of
// its reference exports.
func realDocs(t *testing.T) []*corpus.Document {
	t.Helper()
	ctx := context.Background()
	root := sharedDir(t, ".")
	var docs []*corpus.Document
	for _, sub := range []string{"html", "jats", "pdf", "peer/html", "peer/jats", "peer/tei", "peer/text", "webeval/pages", "meta", "big"} {
		w, err := ingest.Walk([]string{filepath.Join(root, sub)}, ingest.WalkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range w.Files {
			if strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".labels.csv") {
				continue
			}
			if sub == "meta" || sub == "big" {
				r, err := os.Open(f)
				if err != nil {
					t.Fatal(err)
				}
				for d, err := range refs.Read(ctx, bufio.NewReader(r), f, "") {
					if err != nil {
						t.Fatalf("refs.Read(%s): %v", f, err)
					}
					docs = append(docs, d)
				}
				r.Close()
				continue
			}
			d, _, err := ingest.File(ctx, f, ingest.Options{PDFToText: "-"})
			if err != nil {
				t.Fatalf("File(%s): %v", f, err)
			}
			docs = append(docs, d)
		}
	}
	return docs
}

// TestSketchSame checks, on every text of the shared corpus, that keyWords
// gives the words of text.Key and that NewSketch gives the text band keys
// of the code before keyWords, byte for byte.
func TestSketchSame(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads the whole shared corpus: skipped with -short and under -race")
	}
	docs := realDocs(t)
	keyed, nonASCII := 0, 0
	for _, d := range docs {
		if got, want := strings.Join(dedup.KeyWords(d.Text), " "), text.Key(d.Text); got != want {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: keyWords differs from text.Key at byte %d: %q, want %q", d.Path, i, got[i:min(len(got), i+40)], want[i:min(len(want), i+40)])
			continue
		}
		if got, want := dedup.NewSketch(d).TextKeys, oldTextKeys(d.Text); !slices.Equal(got, want) {
			t.Errorf("%s: text keys differ from those of before:\n%x\n%x", d.Path, got, want)
		}
		if dedup.NewSketch(d).TextKeys != nil {
			keyed++
		}
		if strings.ContainsFunc(d.Text, func(r rune) bool { return r >= 0x80 }) {
			nonASCII++
		}
	}
	t.Logf("%d texts, %d with text keys, %d with non-ASCII runes", len(docs), keyed, nonASCII)
	if len(docs) < 5000 || keyed < 1000 || nonASCII < 500 {
		t.Errorf("%d texts, %d keyed, %d with non-ASCII runes: fewer than the corpus holds", len(docs), keyed, nonASCII)
	}
}

func FuzzKeyWords(f *testing.F) {
	for _, s := range []string{
		"", "a", "Peer-Support: a Review.", "café crème brûlée", "e\u0301t\u00e9", "<\u0338=", "A\u030a ring",
		"ﬁnancial ﬂow Œuvre Straße", "x.\u0301y", "1\u00a02", "Ⅻ ½ ㎏", "한국어 텍스트", "日本語,テキスト",
		strings.Repeat("one two three ", 10) + "four.\u0308five",
		"00000\xf6\u020e ", // an invalid byte: normalised by what follows it, past the space
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := strings.Join(dedup.KeyWords(s), " "), text.Key(s); got != want {
			t.Fatalf("keyWords(%q) = %q, text.Key %q", s, got, want)
		}
		d := &corpus.Document{ID: "x", Text: s}
		if got, want := dedup.NewSketch(d).TextKeys, oldTextKeys(s); !slices.Equal(got, want) {
			t.Fatalf("text keys of %q differ from those of before", s)
		}
	})
}
