package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/peermap/peermap/internal/text"
)

// goldPassage is one line of ../shared/gold/dev-passages*.jsonl.
type goldPassage struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Doc  string `json:"doc"` // relative to shared/corpus/peer
	Lang string `json:"lang"`
}

// calloutRe matches a numeric citation callout in brackets: "[4]", "[20,21]".
var calloutRe = regexp.MustCompile(`\[([0-9][0-9,–\- ]*)\]`)

// unbracket removes the brackets of numeric callouts: the gold script kept
// GROBID's bare "insurance. 4", where the TEI reader writes "insurance. [4]".
func unbracket(s string) string { return calloutRe.ReplaceAllString(s, "$1") }

// TestGoldPassages checks that the text of every gold passage (cut from
// the peer corpus by an independent script: markup, front matter and
// Markdown emphasis removed, GROBID sentences joined with spaces) is found
// in the text we extract, white space aside, and that the document's
// language matches the passage's.
func TestGoldPassages(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the whole shared corpus; skipped with -short")
	}
	root := sharedCorpus(t, "peer")
	var gold []goldPassage
	for _, name := range []string{"dev-passages.jsonl", "dev-passages-tei.jsonl"} {
		f, err := os.Open(filepath.Join(root, "..", "..", "gold", name))
		if err != nil {
			t.Skipf("gold passages not found: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var g goldPassage
			if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
				t.Fatal(err)
			}
			gold = append(gold, g)
		}
		f.Close()
	}
	texts := map[string]string{}
	langs := map[string]string{}
	found, missing := 0, 0
	for _, g := range gold {
		docText, ok := texts[g.Doc]
		if !ok {
			doc, _, err := File(context.Background(), filepath.Join(root, g.Doc), Options{})
			if err != nil {
				t.Fatal(err)
			}
			docText = unbracket(strings.Join(strings.Fields(doc.Text), " "))
			texts[g.Doc], langs[g.Doc] = docText, doc.Lang
		}
		want := unbracket(strings.Join(strings.Fields(text.Normalize(g.Text)), " "))
		if strings.Contains(docText, want) {
			found++
		} else {
			missing++
			t.Logf("%s (%s): not found: %q", g.ID, g.Doc, trunc(want, 120))
		}
		if g.Lang != "" && langs[g.Doc] != g.Lang {
			t.Errorf("%s: Lang = %q, want %q", g.Doc, langs[g.Doc], g.Lang)
		}
	}
	t.Logf("gold passages found verbatim: %d of %d", found, found+missing)
	if found*100 < (found+missing)*90 {
		t.Errorf("gold passages found verbatim: %d of %d, want >= 90%%", found, found+missing)
	}
}
