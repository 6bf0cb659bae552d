package refs_test

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
	"github.com/peermap/peermap/ingest/refs"
	"github.com/peermap/peermap/internal/golden"
)

// TestJSONSame reads every OpenAlex and CSL-JSON file of the shared corpus
// and checks that the documents (IDs, which hash each record's own bytes,
// and every field) are, byte for byte, those recorded in
// testdata/json.digest: the digest was written by the encoding/json
// decoder this package used before OpenAlex works were decoded in one pass
// (issue 17), so a faster decoder that reads anything differently fails
// here. The golden tests show the documents of one file in full.
func TestJSONSame(t *testing.T) {
	if raceEnabled {
		t.Skip("4,000 records: skipped under -race (see race_test.go)")
	}
	var files []string
	for _, pat := range []string{"big/*.works.tar.gz", "meta/*.json"} {
		m, err := filepath.Glob(filepath.Join(corpusDir(t, filepath.Dir(pat)), filepath.Base(pat)))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 6 {
		t.Skipf("only %d JSON exports in the shared corpus", len(files))
	}
	var out strings.Builder
	for _, f := range files {
		h := sha256.New()
		n, skipped := 0, 0
		for _, d := range readAll(t, f, "") {
			n++
			if d.Skip != corpus.NotSkipped {
				skipped++
			}
			d.Path, d.Source = filepath.Base(d.Path), filepath.Base(d.Source) // not where the corpus sits
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
			h.Write([]byte{'\n'})
		}
		fmt.Fprintf(&out, "%s %d records, %d skipped, sha256 %s\n", filepath.Base(f), n, skipped, hex.EncodeToString(h.Sum(nil)))
	}
	golden.Check(t, filepath.Join("testdata", "json.digest"), []byte(out.String()))
}

// TestOpenAlexEdges pins how OpenAlex works that bend the format are read:
// encoding/json's rules (keys matched without regard to case, the last of
// two equal keys wins, null as absent, a value of the wrong type makes an
// invalid record), which the
// decoder must keep.
func TestOpenAlexEdges(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // title|year|doi|authors|abstract|keywords|skip
	}{
		{"plain", `[{"title":"T","publication_year":2020,"doi":"https://doi.org/10.1/A","abstract_inverted_index":{"b":[1],"a":[0]}}]`,
			"T|2020|10.1/a||a b||"},
		{"keys in other case", `[{"Title":"T","PUBLICATION_YEAR":"2019","Doi":"10.1/b"}]`, "T|2019|10.1/b||||"},
		{"duplicate key: last wins", `[{"title":"A","title":"B"}]`, "B|0|||||"},
		{"nulls", `[{"title":null,"display_name":"D","publication_year":null,"authorships":null,"abstract_inverted_index":null,"primary_location":null}]`, "D|0|||||"},
		{"Latin-1 bytes", "[{\"title\":\"caf\xe9 peer\"}]", "café peer|0|||||"},
		{"year from date, venue fallback", `[{"title":"T","publication_date":"2011-05-02","host_venue":{"display_name":"HV"},"primary_location":{"source":null}}]`, "T|2011|||||"},
		{"authors and keywords", `[{"title":"T","authorships":[{"author":{"display_name":"Ada Lovelace"}},{"author":{},"raw_author_name":"Grace Hopper"}],"keywords":["k1",{"display_name":"k2"},{"keyword":"k3"}],"mesh":[{"descriptor_name":"M"}]}]`,
			"T|0||Lovelace, Ada; Hopper, Grace||k1; k2; k3; M|"},
		{"wrong type is an invalid record", `[{"title":"ok"},{"abstract_inverted_index":{"a":"x"}},{"title":"next"}]`, "ok|0|||||\n|0|||||invalid\nnext|0|||||"},
		{"api page", `{"meta":{"count":1},"results":[{"title":"R"}]}`, "R|0|||||"},
		{"single work", `{"id":"https://openalex.org/W9","title":"S"}`, "S|0|||||"},
		{"inverted index: a word given twice keeps its last positions", `[{"title":"T","abstract_inverted_index":{"a":[0],"b":[1],"a":[2]}}]`, "T|0|||b a||"},
		{"inverted index: null positions, ties by word", `[{"title":"T","abstract_inverted_index":{"z":null,"y":[0],"x":[0,1]}}]`, "T|0|||x y x||"},
		{"inverted index: a fraction is an invalid record", `[{"title":"T","abstract_inverted_index":{"a":[1.5]}}]`, "|0|||||invalid"},
		{"inverted index: not an object", `[{"title":"T","abstract_inverted_index":["a"]}]`, "|0|||||invalid"},
		{"title as array, number, bool", `[{"title":["T1","T2"]},{"title":12},{"title":true},{"title":[]}]`, "T1|0|||||\n12|0|||||\n|0|||||invalid\n|0|||||"},
		{"nested title array", `[{"title":[["N"],"x"]}]`, "N|0|||||"},
		{"unicode escapes", `[{"title":"\u00e9t\u00e9 \ud83d\ude00"}]`, "été 😀|0|||||"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for d, err := range refs.Read(context.Background(), strings.NewReader(tt.in), "w.json", "openalex") {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				skip := ""
				if d.Skip == corpus.SkipInvalid {
					skip = "invalid"
				}
				got = append(got, fmt.Sprintf("%s|%d|%s|%s|%s|%s|%s", d.Title, d.Year, d.DOI, strings.Join(d.Authors, "; "), d.Abstract, strings.Join(d.Keywords, "; "), skip))
			}
			if g := strings.Join(got, "\n"); g != tt.want {
				t.Errorf("Read(%s) =\n%s\nwant\n%s", tt.in, g, tt.want)
			}
		})
	}
}
