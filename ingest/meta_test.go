package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// metaTruth is one row of testdata/meta/peer.tsv: what a file of the peer
// corpus says about its own citation, read by hand.
type metaTruth struct {
	file, title, author string
	year                int
	note                string
}

func readMetaTruth(t *testing.T, path string) []metaTruth {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []metaTruth
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 5 {
			t.Fatalf("%s:%d: %d columns, want 5", path, n, len(c))
		}
		y, err := strconv.Atoi(c[3])
		if err != nil {
			t.Fatalf("%s:%d: year %q: %v", path, n, c[3], err)
		}
		out = append(out, metaTruth{c[0], c[1], c[2], y, c[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// authorHas reports whether want (a family or group name) is a whole-word
// part of author, case aside.
func authorHas(author, want string) bool {
	re := regexp.MustCompile(`(?i)(^|[^\pL])` + regexp.QuoteMeta(want) + `($|[^\pL])`)
	return re.MatchString(author)
}

// Floors for TestPeerMetadata: the shares reached on ../shared/corpus/peer
// (60 documents), so that they cannot regress unnoticed, and the most
// values allowed that contradict the file.
const (
	peerTitles  = 47 // of the 54 files that state a title
	peerAuthors = 35 // of the 40 files that state an author
	peerYears   = 17 // of the 33 files that state a year
	peerWrong   = 13 // values given that differ from what the file states
)

// TestPeerMetadata measures the citation metadata of every document of
// ../shared/corpus/peer (html, jats, tei, text) against what the files
// say (testdata/meta/peer.tsv): the share with a real title, first author
// and year, the misses with why, and every value that contradicts the
// file (a wrong title is worse than none: the citation falls back to the
// file name). Run with -v to see the table.
func TestPeerMetadata(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the peer corpus; skipped with -short")
	}
	root := sharedCorpus(t, "peer")
	truth := readMetaTruth(t, filepath.Join("testdata", "meta", "peer.tsv"))
	files := corpusFiles(t, "peer/html", "peer/jats", "peer/tei", "peer/text")
	if len(files) != len(truth) {
		t.Errorf("%d files in the peer corpus, %d rows in peer.tsv", len(files), len(truth))
	}
	var (
		titles, authors, years       int
		hasTitle, hasAuthor, hasYear int
		wrong                        int
		report                       strings.Builder
	)
	for _, w := range truth {
		doc, _, err := File(context.Background(), filepath.Join(root, w.file), Options{Now: fixedNow})
		if err != nil {
			t.Errorf("File(%s): %v", w.file, err)
			continue
		}
		first := ""
		if len(doc.Authors) > 0 {
			first = doc.Authors[0]
		}
		var miss []string
		if w.title != "" {
			hasTitle++
		}
		switch {
		case w.title != "" && doc.Title == w.title:
			titles++
		case doc.Title != "":
			wrong++
			miss = append(miss, fmt.Sprintf("WRONG title %q, want %q", doc.Title, w.title))
		case w.title != "":
			miss = append(miss, "no title")
		}
		if w.author != "" {
			hasAuthor++
		}
		switch {
		case w.author != "" && authorHas(first, w.author):
			authors++
		case first != "":
			wrong++
			miss = append(miss, fmt.Sprintf("WRONG first author %q, want %q", first, w.author))
		case w.author != "":
			miss = append(miss, "no first author")
		}
		if w.year > 0 {
			hasYear++
		}
		switch {
		case w.year > 0 && doc.Year == w.year:
			years++
		case doc.Year != 0:
			wrong++
			miss = append(miss, fmt.Sprintf("WRONG year %d, want %d", doc.Year, w.year))
		case w.year > 0:
			miss = append(miss, "no year")
		}
		if w.title == "" {
			miss = append(miss, "no title in the file")
		}
		if w.author == "" {
			miss = append(miss, "no author in the file")
		}
		if w.year == 0 {
			miss = append(miss, "no year in the file")
		}
		if len(miss) > 0 {
			fmt.Fprintf(&report, "  %s: %s", w.file, strings.Join(miss, "; "))
			if w.note != "" {
				fmt.Fprintf(&report, " (%s)", w.note)
			}
			report.WriteByte('\n')
		}
	}
	n := len(truth)
	t.Logf("peer corpus, %d documents: real title %d (%.0f%%), first author %d (%.0f%%), year %d (%.0f%%); "+
		"the files state a title in %d, an author in %d, a year in %d; %d values contradict the file",
		n, titles, pct(titles, n), authors, pct(authors, n), years, pct(years, n), hasTitle, hasAuthor, hasYear, wrong)
	t.Logf("misses:\n%s", report.String())
	if titles < peerTitles || authors < peerAuthors || years < peerYears {
		t.Errorf("real title %d, first author %d, year %d; want at least %d, %d, %d", titles, authors, years, peerTitles, peerAuthors, peerYears)
	}
	if wrong > peerWrong {
		t.Errorf("%d values contradict the file, want at most %d", wrong, peerWrong)
	}
}

func pct(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(k) / float64(n)
}
