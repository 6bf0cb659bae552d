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
	peerTitles  = 53 // of the 54 files that state a title
	peerAuthors = 40 // of the 40 files that state an author
	peerYears   = 35 // of the 35 files that state a year
	peerWrong   = 2  // values given that differ from what the file states
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

func TestCleanAuthor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Smith, Jane", "Smith, Jane"},
		{"By Ana Sandoiu", "Ana Sandoiu"},
		{"Par Sébastien Farcis", "Sébastien Farcis"},
		{"By Nathan Willis March 25, 2015", "Nathan Willis"},
		{"Written by Rob Ewaschuk Edited by Betsy Beyer", "Rob Ewaschuk"},
		{"By Brenda Goodman, MA WebMD Health News", "Brenda Goodman"},
		{"Smith, MA", "Smith, MA"}, // initials, not a degree
		{"Nuala E. Tully {et al.}", "Nuala E. Tully"},
		{"Et, Abdalla", ""}, // GROBID's reading of "Abdalla et al."
		{"Id, Orcid", ""},
		{"sante", ""}, // a section slug
		{"ibm", ""},   // an account name
		{"Proprietario", ""},
		{"`GitHub Copilot`", "GitHub Copilot"},
		{"Byron Smith", "Byron Smith"},
		{"by the way", "by the way"}, // no capital after "by": left alone
		{"Proyecto Pastoral", "Proyecto Pastoral"},
		{"Da Silva, Maria", "Da Silva, Maria"}, // a particle, not a byline
		{"Di Caprio, Leo", "Di Caprio, Leo"},
	}
	for _, tt := range tests {
		if got := cleanAuthor(tt.in); got != tt.want {
			t.Errorf("cleanAuthor(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTitleChecks(t *testing.T) {
	tests := []struct {
		in          string
		junk, title bool // junkTitle(in), titleLine(in)
	}{
		{"Peer Recovery Program Overview", false, true},
		{"Linkage and Retention: A Randomized Trial to Optimize HIV/TB Care in South Africa", false, true},
		{"AU : Pleaseconfirmthatallheadinglevelsarerepresentedcorrectly:", true, false},
		{"AQ1: Please check the affiliation", true, false},
		{"AQ: amodiaquine, AS: artesunate", false, true}, // an abbreviation list is not a query
		{"Ableism: A system of social power that both creates the social category of disability and discriminates against disabled people.", false, false},
		{"Table of Contents", true, false},
		{"README.md", true, false},
		{"Index of /docs", true, false},
		{"src/ingest/text.go", true, false},
		{"paper.dvi", true, false},
		{"HIV/AIDS", false, true},
		{"Healthy Homes/Healthy Breathing Program", false, true},
		{"Please explain how you will define and measure success for your project.", false, false},
		{"The populations served by this program will include African-Americans, Hispanics and rural Whites who are underserved.", false, false},
		// Declared in front matter this is kept; as a bare first line it
		// cannot be told from a glossary entry.
		{"Neighbor to neighbor: Empower Boyle Heights residents to help each other access wellness resources.", false, false},
		{"12345", false, false},
	}
	for _, tt := range tests {
		if got := junkTitle(tt.in); got != tt.junk {
			t.Errorf("junkTitle(%q) = %v, want %v", tt.in, got, tt.junk)
		}
		if got := titleLine(tt.in); got != tt.title {
			t.Errorf("titleLine(%q) = %v, want %v", tt.in, got, tt.title)
		}
	}
}

func TestStripSiteSuffix(t *testing.T) {
	tests := []struct {
		title string
		names []string
		want  string
	}{
		{"How to Build a Terrarium | eHow", []string{"eHow"}, "How to Build a Terrarium"},
		{"Story | Eleanor Ainge Roy", []string{"", "the Guardian", "Eleanor Ainge Roy"}, "Story"},
		{"Story | Aktuálně.cz", []string{"Aktuálně.cz - Víte, co se právě děje"}, "Story"},
		{"Hermitian matrix - Wikipedia", []string{"Wikimedia Foundation, Inc."}, "Hermitian matrix - Wikipedia"},
		{"Google - Site Reliability Engineering", nil, "Google - Site Reliability Engineering"},
		{"| eHow", []string{"eHow"}, "| eHow"},
		{"Story - A", []string{"Ann Roe"}, "Story - A"}, // an initial is no site name
	}
	for _, tt := range tests {
		if got := stripSiteSuffix(tt.title, tt.names...); got != tt.want {
			t.Errorf("stripSiteSuffix(%q, %q) = %q, want %q", tt.title, tt.names, got, tt.want)
		}
	}
}

// TestWebPageMetadata reads the citation of real saved pages: the site
// name off the title, the byline cleaned to a name.
func TestWebPageMetadata(t *testing.T) {
	tests := []struct {
		file, title, author string
		year                int
	}{
		{"html/readability_ehow-1.html", "How to Build a Terrarium", "Lucy Akins", 2007},
		{"html/readability_guardian-1.html", "'What is the sea telling us?': Māori tribes fearful over whale strandings", "Eleanor Ainge Roy", 2019},
		{"html/readability_iab-1.html", "Getting LEAN with Digital Ad UX", "Scott Cunningham", 2015},
		{"html/readability_medicalnewstoday.html", "How does the brain turn unconscious information into conscious thought?", "Ana Sandoiu", 0},
		{"html/readability_liberation-1.html", "Un troisième Français mort dans le séisme au Népal", "Sébastien Farcis", 2015},
		{"html/readability_lwn-1.html", "LWN.net Weekly Edition for March 26, 2015 [LWN.net]", "Nathan Willis", 0},
		{"html/readability_webmd-1.html", "Babies Who Eat Peanuts Early May Avoid Allergy", "Brenda Goodman", 0},
		{"html/readability_wikipedia-3.html", "Hermitian matrix - Wikipedia", "Contributors to Wikimedia projects", 2003},
		{"peer/html/metapsy_peer-support-database.html", "Peer Support Interventions", "", 0},
		{"peer/html/benin-peer-support_pr_primary-regression-table.html", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			dir := sharedCorpus(t, filepath.Dir(tt.file))
			doc, _, err := File(context.Background(), filepath.Join(dir, filepath.Base(tt.file)), Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			first := ""
			if len(doc.Authors) > 0 {
				first = doc.Authors[0]
			}
			if doc.Title != tt.title || first != tt.author || doc.Year != tt.year {
				t.Errorf("Title, first author, Year = %q, %q, %d; want %q, %q, %d", doc.Title, first, doc.Year, tt.title, tt.author, tt.year)
			}
		})
	}
}
