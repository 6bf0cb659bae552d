package dedup_test

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/dedup"
	"github.com/peermap/peermap/ingest/refs"

	"github.com/peermap/peermap/internal/text"
)

func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not found at %s: %v", dir, err)
	}
	return dir
}

// jatsMeta reads the title, DOI, year and text of a JATS article, enough
// for the linking test.
func jatsMeta(t *testing.T, path string) (title, doi string, year int, text string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var a struct {
		Meta struct {
			Title struct {
				Inner string `xml:",innerxml"`
			} `xml:"title-group>article-title"`
			IDs []struct {
				Type string `xml:"pub-id-type,attr"`
				ID   string `xml:",chardata"`
			} `xml:"article-id"`
			PubDates []struct {
				Year int `xml:"year"`
			} `xml:"pub-date"`
		} `xml:"front>article-meta"`
		Body struct {
			Inner string `xml:",innerxml"`
		} `xml:"body"`
	}
	dec := xml.NewDecoder(f)
	dec.Strict = false
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	for _, id := range a.Meta.IDs {
		if id.Type == "doi" {
			doi = id.ID
		}
	}
	if len(a.Meta.PubDates) > 0 {
		year = a.Meta.PubDates[0].Year
	}
	strip := func(s string) string {
		var b strings.Builder
		in := false
		for _, c := range s {
			switch {
			case c == '<':
				in = true
			case c == '>':
				in = false
				b.WriteByte(' ')
			case !in:
				b.WriteRune(c)
			}
		}
		return strings.Join(strings.Fields(b.String()), " ")
	}
	return strip(a.Meta.Title.Inner), doi, year, strip(a.Body.Inner)
}

func readRecords(t *testing.T, text, name string) []*corpus.Document {
	t.Helper()
	var docs []*corpus.Document
	for d, err := range refs.Read(context.Background(), strings.NewReader(text), name, "") {
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

// TestLinkRecordFullTextExport groups one work met three times: a RIS record
// (Scopus style, DOI as a URL, title in upper case), the JATS full text
// from ../shared/corpus/jats, and a BibTeX entry with no DOI and LaTeX in
// the title (linked by title and year).
func TestLinkRecordFullTextExport(t *testing.T) {
	path := filepath.Join(sharedDir(t, "jats"), "plos_journal.pmed.0020124.xml")
	title, doi, year, body := jatsMeta(t, path)
	if title == "" || doi == "" || year == 0 || len(body) < 1000 {
		t.Fatalf("jatsMeta(%s) = %q, %q, %d, %d bytes of text", path, title, doi, year, len(body))
	}
	full := &corpus.Document{ID: corpus.NewDocID([]byte(body)), Path: path, Format: "jats", Kind: corpus.KindArticle,
		Title: title, DOI: doi, Year: year, Authors: []string{"Ioannidis, John P. A."}, Text: title + "\n\n" + body}
	ris := fmt.Sprintf("TY  - JOUR\nTI  - %s\nAU  - Ioannidis, J.P.A.\nPY  - %d\nDO  - https://doi.org/%s\nAB  - There is increasing concern that most current published research findings are false.\nER  - \n",
		strings.ToUpper(title), year, strings.ToUpper(doi))
	bib := fmt.Sprintf("@article{ioannidis%d,\n  author = {John P. A. Ioannidis},\n  title = {{W}hy {M}ost {P}ublished {R}esearch {F}indings {A}re {F}alse},\n  journal = {PLoS Med},\n  year = %d\n}\n", year, year)
	docs := append(readRecords(t, ris, "scopus.ris"), readRecords(t, bib, "refs.bib")...)
	if len(docs) != 2 || docs[0].DOI != doi || docs[1].DOI != "" {
		t.Fatalf("records = %+v", docs)
	}
	docs = append(docs, full)
	groups, err := dedup.Groups(context.Background(), docs, dedup.Options{Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || len(groups[0].Members) != 3 {
		t.Fatalf("Groups = %+v, want one group of 3", groups)
	}
	g := groups[0]
	if g.Preferred != full.ID {
		t.Errorf("Preferred = %s, want the full text %s", g.Preferred, full.ID)
	}
	// The BibTeX entry has no DOI; its title (LaTeX braces removed), year and
	// first author ("John P. A. Ioannidis") match the full text's.
	wantReasons := []string{"same doi", "same title, year and first author"}
	if !slices.Equal(g.Reasons, wantReasons) {
		t.Errorf("Reasons = %q, want %q", g.Reasons, wantReasons)
	}
	if !strings.HasPrefix(g.ID, "g-") || len(g.ID) != 14 {
		t.Errorf("ID = %q", g.ID)
	}
	dedup.Mark(docs, groups)
	for _, d := range docs {
		if d.Group != g.ID || d.Preferred != (d.ID == full.ID) {
			t.Errorf("Mark: %s Group=%q Preferred=%v", d.Path, d.Group, d.Preferred)
		}
	}
}

type pairDoc struct {
	Kind    corpus.Kind `json:"kind"`
	Title   string      `json:"title"`
	Authors []string    `json:"authors"`
	Year    int         `json:"year"`
	DOI     string      `json:"doi"`
	PMID    string      `json:"pmid"`
	Text    string      `json:"text"`
}

type pair struct {
	Name string  `json:"name"`
	Dup  bool    `json:"dup"`
	Note string  `json:"note"`
	A    pairDoc `json:"a"`
	B    pairDoc `json:"b"`
}

func (p pairDoc) doc(id string) *corpus.Document {
	return &corpus.Document{ID: corpus.NewDocID([]byte(id)), Path: id, Kind: p.Kind, Title: p.Title, Authors: p.Authors,
		Year: p.Year, DOI: text.DOI(p.DOI), PMID: p.PMID, Text: p.Text}
}

func loadPairs(t *testing.T) ([]pair, []*corpus.Document) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "pairs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pairs []pair
	var docs []*corpus.Document
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p pair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, p)
		docs = append(docs, p.A.doc(p.Name+"/a"), p.B.doc(p.Name+"/b"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pairs, docs
}

// TestPairs measures grouping on testdata/pairs.jsonl (made by
// testdata/make_pairs.py: real and edited SYNERGY records; see its
// comments), all documents grouped at once. A pair counts as found if its
// two documents share a group; two documents of different pairs in one
// group count as a false positive too. Precision must be at least 0.95.
func TestPairs(t *testing.T) {
	pairs, docs := loadPairs(t)
	if len(pairs) < 30 {
		t.Fatalf("%d pairs, want at least 30", len(pairs))
	}
	groups, err := dedup.Groups(context.Background(), docs, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	group := map[corpus.DocID]string{}
	for _, g := range groups {
		for _, m := range g.Members {
			group[m] = g.ID
		}
	}
	var tp, fp, fn, tn int
	for i, p := range pairs {
		a, b := docs[2*i], docs[2*i+1]
		same := group[a.ID] != "" && group[a.ID] == group[b.ID]
		switch {
		case same && p.Dup:
			tp++
		case same && !p.Dup:
			fp++
			t.Logf("false positive: %s (%s)", p.Name, p.Note)
		case !same && p.Dup:
			fn++
			t.Logf("missed: %s (%s)", p.Name, p.Note)
		default:
			tn++
		}
	}
	// Documents of different pairs must not be grouped.
	pairOf := map[corpus.DocID]int{}
	for i, d := range docs {
		pairOf[d.ID] = i / 2
	}
	for _, g := range groups {
		for i := range g.Members {
			for j := i + 1; j < len(g.Members); j++ {
				if pairOf[g.Members[i]] != pairOf[g.Members[j]] {
					fp++
					t.Logf("false positive across pairs: %s and %s", pairs[pairOf[g.Members[i]]].Name, pairs[pairOf[g.Members[j]]].Name)
				}
			}
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("%d pairs: tp %d, fp %d, fn %d, tn %d; precision %.3f, recall %.3f", len(pairs), tp, fp, fn, tn, precision, recall)
	if precision < 0.95 {
		t.Errorf("precision %.3f, want >= 0.95", precision)
	}
	if recall < 0.8 {
		t.Errorf("recall %.3f, want >= 0.8", recall)
	}
}

// TestDeterministic checks that the order of the input does not change the
// groups, their IDs, preferred members or reasons.
func TestDeterministic(t *testing.T) {
	_, docs := loadPairs(t)
	want, err := dedup.Groups(context.Background(), docs, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		shuffled := slices.Clone(docs)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		shuffled = append(shuffled, shuffled[0], nil) // a repeated document and a nil one change nothing
		got, err := dedup.Groups(context.Background(), shuffled, dedup.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Groups differ with the input shuffled (-want +got):\n%s", diff)
		}
	}
}

func TestGroupsEmpty(t *testing.T) {
	for _, docs := range [][]*corpus.Document{nil, {}, {{ID: "a"}}, {{ID: "a"}, {ID: "b"}}} {
		got, err := dedup.Groups(context.Background(), docs, dedup.Options{})
		if err != nil || len(got) != 0 {
			t.Errorf("Groups(%d docs without metadata) = %v, %v; want no groups", len(docs), got, err)
		}
	}
}

func TestGroupsCanceled(t *testing.T) {
	_, docs := loadPairs(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := dedup.Groups(ctx, docs, dedup.Options{}); err == nil {
		t.Error("Groups with a canceled context returned no error")
	}
}

// TestTitleOnlyNegatives checks that documents alike in title but known to
// differ stay apart when no DOI or PMID tells them apart.
func TestTitleOnlyNegatives(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"roman part", "Biosimilares en dermatología. Situación actual (parte i)", "Biosimilares en dermatología. Situación actual (parte ii)"},
		{"arabic part", "A Naturalistic Study of Psychotherapy for Bulimia Nervosa, Part 1", "A Naturalistic Study of Psychotherapy for Bulimia Nervosa, Part 2"},
		{"reply suffix", "Reviews and Meta-analyses of Psychotherapy Efficacy for Borderline Personality Disorder", "Reviews and Meta-analyses of Psychotherapy Efficacy for Borderline Personality Disorder—Reply"},
		{"correction prefix", "Peer support workers in mental health services: a realist review", "Correction: Peer support workers in mental health services: a realist review"},
		{"update year", "EULAR recommendations for the management of rheumatoid arthritis: 2013 update", "EULAR recommendations for the management of rheumatoid arthritis: 2016 update"},
		{"too short", "Editorial", "EDITORIAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := []*corpus.Document{
				{ID: "a", Kind: corpus.KindRecord, Title: tt.a, Year: 2016, Authors: []string{"Smith, A."}, Text: tt.a},
				{ID: "b", Kind: corpus.KindRecord, Title: tt.b, Year: 2016, Authors: []string{"Smith, A."}, Text: tt.b},
			}
			if got, err := dedup.Groups(context.Background(), docs, dedup.Options{}); err != nil || len(got) != 0 {
				t.Errorf("Groups(%q, %q) = %v, %v; want no group", tt.a, tt.b, got, err)
			}
		})
	}
}
