package ingest

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/golden"
)

// A pageGolden is a hand-built fixture for one saved web page: the start
// of the article's first paragraph (read in the page), how far into the
// main text it may start (0: at the very start), and strings seen in the
// page's navigation, footer or banners that must not be in the main text.
type pageGolden struct {
	Page      string   `json:"page"`
	First     string   `json:"first"`
	MaxOffset int      `json:"max_offset"`
	Lang      string   `json:"lang"`
	Forbidden []string `json:"forbidden"`
	Note      string   `json:"note,omitempty"`
	Observed  string   `json:"observed,omitempty"` // written by -update: the first 160 bytes extracted
}

func TestHTMLGolden(t *testing.T) {
	dir := sharedCorpus(t, "html")
	goldens, err := filepath.Glob(filepath.Join("testdata", "html", "*.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(goldens) < 12 {
		t.Fatalf("only %d HTML golden fixtures, want at least 12", len(goldens))
	}
	for _, g := range goldens {
		t.Run(filepath.Base(g), func(t *testing.T) {
			raw, err := os.ReadFile(g)
			if err != nil {
				t.Fatal(err)
			}
			var want pageGolden
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("%s: %v", g, err)
			}
			doc, ps, err := File(context.Background(), filepath.Join(dir, want.Page), Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, want.Page, doc, ps)
			i := strings.Index(doc.Text, want.First)
			switch {
			case i < 0:
				t.Errorf("main text of %s does not hold the first paragraph %q; it starts %q", want.Page, want.First, trunc(doc.Text, 200))
			case i > want.MaxOffset:
				t.Errorf("first paragraph of %s starts at byte %d, want <= %d; text starts %q", want.Page, i, want.MaxOffset, trunc(doc.Text, i+40))
			}
			for _, f := range want.Forbidden {
				if strings.Contains(doc.Text, f) {
					t.Errorf("main text of %s holds boilerplate %q", want.Page, f)
				}
			}
			if doc.Lang != want.Lang {
				t.Errorf("Lang of %s = %q, want %q", want.Page, doc.Lang, want.Lang)
			}
			if golden.Updating() {
				want.Observed = trunc(doc.Text, 160)
				out, _ := json.MarshalIndent(want, "", " ")
				if err := os.WriteFile(g, append(out, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestHTMLLang checks language detection on the non-English pages of the
// corpus (and that the declared lang=en of a French page is overridden).
func TestHTMLLang(t *testing.T) {
	dir := sharedCorpus(t, "html")
	tests := map[string]string{
		"readability_lemonde-1.html":    "fr",
		"readability_liberation-1.html": "fr", // declares lang=en
		"readability_la-nacion.html":    "es",
		"readability_folha.html":        "pt",
		"readability_heise.html":        "de",
		"readability_aktualne.html":     "cs",
		"readability_qq.html":           "zh",
		"readability_pixnet.html":       "zh",
		"readability_yahoo-4.html":      "ja",
		"readability_hukumusume.html":   "ja",
		"readability_lwn-1.html":        "en", // no lang attribute
		"readability_webmd-1.html":      "en",
		"readability_nytimes-1.html":    "en",
	}
	for _, page := range slices.Sorted(maps.Keys(tests)) {
		t.Run(page, func(t *testing.T) {
			doc, _, err := File(context.Background(), filepath.Join(dir, page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Lang != tests[page] {
				t.Errorf("File(%s).Lang = %q, want %q", page, doc.Lang, tests[page])
			}
		})
	}
}

// TestHTMLCharset checks the page whose <meta> declares gb2312 while its
// bytes are UTF-8, and legacy-encoded pages with and without a declaration.
func TestHTMLCharset(t *testing.T) {
	t.Run("qq declared gb2312, bytes utf-8", func(t *testing.T) {
		dir := sharedCorpus(t, "html")
		doc, _, err := File(context.Background(), filepath.Join(dir, "readability_qq.html"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc.Text, "谷歌") || !strings.Contains(doc.Title, "DeepMind新电脑") {
			t.Errorf("qq page decoded wrongly: title %q, text %q", doc.Title, trunc(doc.Text, 100))
		}
		if !slices.ContainsFunc(doc.Warnings, func(w string) bool { return strings.Contains(w, "declared charset") }) {
			t.Errorf("qq page: no warning about the wrong declared charset; warnings %q", doc.Warnings)
		}
	})
	latin1 := "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body><article><p>Le caf\xe9 des pairs aidants se r\xe9unit chaque semaine \xe0 Montr\xe9al pour partager des exp\xe9riences de r\xe9tablissement.</p></article></body></html>"
	undeclared := strings.Replace(latin1, "<meta charset=\"iso-8859-1\">", "", 1)
	wrongUTF8 := strings.Replace(latin1, "iso-8859-1", "utf-8", 1)
	for _, tt := range []struct{ name, page, ct string }{
		{"declared latin-1", latin1, ""},
		{"undeclared latin-1", undeclared, ""},
		{"declared utf-8, bytes latin-1", wrongUTF8, ""},
		{"http header latin-1", undeclared, "text/html; charset=ISO-8859-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := &corpus.Document{Path: "x.html", Format: FormatHTML}
			extractHTML(context.Background(), doc, []byte(tt.page), tt.ct)
			if !strings.Contains(doc.Text, "Le café des pairs aidants se réunit chaque semaine à Montréal") {
				t.Errorf("text = %q", doc.Text)
			}
		})
	}
}

func TestHTMLMeta(t *testing.T) {
	page := `<!DOCTYPE html><html lang="en-GB"><head>
<title>Site title | Example</title>
<meta name="citation_title" content="Peer navigators in primary care">
<meta name="citation_author" content="Smith, Jane">
<meta name="citation_author" content="Doe, John">
<meta name="citation_publication_date" content="2019/05/02">
<meta name="citation_journal_title" content="Journal of Peer Work">
<meta name="citation_doi" content="https://doi.org/10.1234/JPW.2019.7">
<meta name="citation_pmid" content="31234567">
<meta name="keywords" content="peer support; navigation, primary care">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"ScholarlyArticle","headline":"LD headline","author":[{"@type":"Person","name":"LD Author"}],"datePublished":"2018-01-01"}</script>
</head><body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<article><h1>Peer navigators in primary care</h1>
<p>Peer navigators are people with lived experience who help patients find their way through primary care services, appointments and social support. This paragraph is long enough to be the main content.</p>
<h2>Methods</h2><p>We interviewed twenty peer navigators and their supervisors in four clinics about their roles, training and pay over a period of eighteen months.</p>
</article><footer>Copyright Example Press</footer></body></html>`
	doc, ps, err := Bytes(context.Background(), "meta.html", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, "meta.html", doc, ps)
	if doc.Title != "Peer navigators in primary care" {
		t.Errorf("Title = %q", doc.Title)
	}
	if !slices.Equal(doc.Authors, []string{"Smith, Jane", "Doe, John"}) {
		t.Errorf("Authors = %q", doc.Authors)
	}
	if doc.Year != 2019 || doc.Venue != "Journal of Peer Work" || doc.DOI != "10.1234/jpw.2019.7" || doc.PMID != "31234567" {
		t.Errorf("Year, Venue, DOI, PMID = %d, %q, %q, %q", doc.Year, doc.Venue, doc.DOI, doc.PMID)
	}
	if doc.Kind != corpus.KindArticle || doc.Lang != "en" {
		t.Errorf("Kind, Lang = %q, %q", doc.Kind, doc.Lang)
	}
	if !slices.Equal(doc.Keywords, []string{"peer support", "navigation", "primary care"}) {
		t.Errorf("Keywords = %q", doc.Keywords)
	}
	if strings.Contains(doc.Text, "About us") || strings.Contains(doc.Text, "Copyright Example Press") {
		t.Errorf("boilerplate in text: %q", doc.Text)
	}
	if i := slices.IndexFunc(doc.Sections, func(s corpus.Section) bool { return s.Heading == "Methods" }); i < 0 {
		t.Errorf("no Methods section in %+v", doc.Sections)
	} else if got := doc.SectionAt(strings.Index(doc.Text, "We interviewed")); got != "Methods" {
		t.Errorf("SectionAt(We interviewed) = %q", got)
	}

	ld := strings.NewReplacer(`<meta name="citation_title" content="Peer navigators in primary care">`, "",
		`<meta name="citation_author" content="Smith, Jane">`, "", `<meta name="citation_author" content="Doe, John">`, "",
		`<meta name="citation_publication_date" content="2019/05/02">`, "").Replace(page)
	doc, _, err = Bytes(context.Background(), "ld.html", []byte(ld), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "LD headline" || !slices.Equal(doc.Authors, []string{"LD Author"}) || doc.Year != 2018 {
		t.Errorf("JSON-LD: Title, Authors, Year = %q, %q, %d", doc.Title, doc.Authors, doc.Year)
	}
}

// TestTimeoutAndCancel checks that a slow extraction is recorded as
// SkipTimeout and that a cancelled context is an error naming the file.
func TestTimeoutAndCancel(t *testing.T) {
	dir := sharedCorpus(t, "html")
	page := filepath.Join(dir, "readability_wikipedia.html")
	doc, ps, err := File(context.Background(), page, Options{Timeout: 1})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Skip != corpus.SkipTimeout || len(ps) != 0 || !strings.Contains(doc.SkipDetail, "timed out") {
		t.Errorf("Skip = %v %q, %d passages", doc.Skip, doc.SkipDetail, len(ps))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := File(ctx, page, Options{}); err == nil || !strings.Contains(err.Error(), page) {
		t.Errorf("File(cancelled) error = %v", err)
	}
}
