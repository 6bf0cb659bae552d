package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
)

// sharedCorpus returns the path of ../shared/corpus/<sub> seen from the
// package directory, skipping the test if it is absent.
func sharedCorpus(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus %s not found (%v): tests on real files need ../shared/corpus next to the repo", dir, err)
	}
	return dir
}

// corpusFiles lists the files of the shared corpus folders.
func corpusFiles(t testing.TB, subs ...string) []string {
	t.Helper()
	var out []string
	for _, sub := range subs {
		dir := sharedCorpus(t, sub)
		w, err := Walk([]string{dir}, WalkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range w.Files {
			if !strings.HasSuffix(f, ".md") || !strings.HasSuffix(filepath.Dir(f), "corpus") {
				out = append(out, f)
			}
		}
	}
	return out
}

func fixedNow() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// checkDoc asserts the invariants every ingested document keeps.
func checkDoc(t testing.TB, name string, doc *corpus.Document, ps []corpus.Passage) {
	t.Helper()
	if doc == nil {
		t.Fatalf("%s: nil document", name)
	}
	if !utf8.ValidString(doc.Text) {
		t.Errorf("%s: text is not valid UTF-8", name)
	}
	if doc.Skip == corpus.NotSkipped && strings.TrimSpace(doc.Text) == "" {
		t.Errorf("%s: ingested with no text", name)
	}
	if doc.Skip != corpus.NotSkipped && doc.SkipDetail == "" {
		t.Errorf("%s: skipped (%v) without a detail", name, doc.Skip)
	}
	for _, s := range doc.Sections {
		if s.Start < 0 || s.End > len(doc.Text) || s.Start > s.End {
			t.Errorf("%s: section %q [%d,%d) outside text of %d bytes", name, s.Heading, s.Start, s.End, len(doc.Text))
		}
	}
	checkPassages(t, name, doc, ps)
}

// checkPassages asserts the passage invariants: offsets inside the text,
// Text == doc.Text[Start:End], ordinals and IDs, no overlap.
func checkPassages(t testing.TB, name string, doc *corpus.Document, ps []corpus.Passage) {
	t.Helper()
	for i, p := range ps {
		if p.Start < 0 || p.End > len(doc.Text) || p.Start >= p.End {
			t.Fatalf("%s: passage %d [%d,%d) outside text of %d bytes", name, i, p.Start, p.End, len(doc.Text))
		}
		if p.Text != doc.Text[p.Start:p.End] {
			t.Errorf("%s: passage %d text differs from doc.Text[Start:End]", name, i)
		}
		if p.N != i || p.ID != corpus.NewPassageID(doc.ID, i) || p.Doc != doc.ID {
			t.Errorf("%s: passage %d has N=%d ID=%s", name, i, p.N, p.ID)
		}
		if i > 0 && p.Start < ps[i-1].End {
			t.Errorf("%s: passage %d overlaps the previous one", name, i)
		}
	}
}

// TestCorpus ingests every HTML, JATS, TEI and text file of the shared
// corpus: each must end ingested or skipped with a reason, with the
// document invariants kept.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the whole shared corpus; skipped with -short")
	}
	files := corpusFiles(t, "html", "jats", "peer/html", "peer/jats", "peer/tei", "peer/text")
	opts := Options{Now: fixedNow}
	articles, titled := 0, 0
	var untitled []string
	short, long, total := 0, 0, 0
	for _, f := range files {
		doc, ps, err := File(context.Background(), f, opts)
		if err != nil {
			t.Errorf("File(%s): %v", f, err)
			continue
		}
		checkDoc(t, f, doc, ps)
		// Every JATS and TEI file has a header title; web pages and texts
		// may have none (TestPeerMetadata checks them against the files).
		if doc.Skip != corpus.NotSkipped || len(ps) == 0 || doc.Lang == "" || doc.Title == "" && (doc.Format == FormatJATS || doc.Format == FormatTEI) {
			t.Errorf("%s: skip %q, %d passages, lang %q, title %q", f, doc.SkipReason(), len(ps), doc.Lang, doc.Title)
		}
		if doc.Format != FormatText && doc.Format != FormatMarkdown {
			articles++
			if doc.Title != "" {
				titled++
			} else {
				untitled = append(untitled, filepath.Base(f))
			}
		}
		for _, p := range ps {
			total++
			if len(p.Text) < 80 {
				short++
			}
			if len(p.Text) > 2400 {
				long++
			}
		}
		if testing.Verbose() {
			t.Logf("%-70s %-8s %-7s %-3s pass=%-4d chars=%-7d sect=%-3d %q | %s", filepath.Base(f), doc.Format, doc.Kind, doc.Lang, len(ps), len(doc.Text), len(doc.Sections), trunc(doc.Title, 50), doc.SkipReason())
		}
	}
	t.Logf("title found for %d of %d articles and web pages; none for %q", titled, articles, untitled)
	t.Logf("passages: %d, shorter than 80 bytes: %d, longer than 2400 bytes: %d", total, short, long)
	if titled*10 < articles*9 {
		t.Errorf("title found for %d of %d articles and web pages, want >= 90%%", titled, articles)
	}
	if long > 0 {
		t.Errorf("%d passages longer than twice the split limit", long)
	}
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
