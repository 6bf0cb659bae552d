package refs_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/refs"
)

// rec is the part of a Document these tests compare.
type rec struct {
	Title, Abstract, Venue, DOI, PMID, Lang string
	Year                                    int
	Authors, Keywords                       []string
	Skip                                    corpus.Skip
}

func read(t *testing.T, in, name, format string) []rec {
	t.Helper()
	var out []rec
	for d, err := range refs.Read(context.Background(), strings.NewReader(in), name, format) {
		if err != nil {
			t.Fatalf("Read(%s): %v", name, err)
		}
		out = append(out, rec{d.Title, d.Abstract, d.Venue, d.DOI, d.PMID, d.Lang, d.Year, d.Authors, d.Keywords, d.Skip})
	}
	return out
}

func TestRead(t *testing.T) {
	latin1 := "TY  - JOUR\r\nTI  - Soins de sant\xe9 primaires\r\nAU  - M\xfcller, J\r\nPY  - 2019///\r\nER  - \r\n"
	tests := []struct {
		name, file, format, in string
		want                   []rec
	}{
		{"ris continuation and bom", "a.ris", "", "\ufeffTY  - JOUR\nT1  - A long\n title\nA1  - Doe, Jane\nY1  - 2014\nJF  - J Med\nDO  - http://dx.doi.org/10.1/ABC\nN2  - Abs\nKW  - a\nKW  - b\nLA  - English\nER  -\n\nTY  - JOUR\nER  -\n",
			[]rec{{Title: "A long title", Abstract: "Abs", Venue: "J Med", DOI: "10.1/abc", Lang: "en", Year: 2014, Authors: []string{"Doe, Jane"}, Keywords: []string{"a", "b"}},
				{Skip: corpus.SkipEmpty}}},
		{"ris latin-1 crlf", "b.ris", "", latin1,
			[]rec{{Title: "Soins de santé primaires", Year: 2019, Authors: []string{"Müller, J"}}}},
		{"ris pubmed an", "c.ris", "ris", "TY  - JOUR\nTI  - T\nAN  - 21553931\nDP  - NLM\nER  - \n",
			[]rec{{Title: "T", PMID: "21553931"}}},
		{"ris without er", "d.ris", "ris", "TY  - JOUR\nTI  - Cut off\n",
			[]rec{{Title: "Cut off"}}},
		{"bibtex macros and latex", "a.bib", "", `@string{jmed = "J. " # {Med}}
% a comment
@comment{ignored @article{no, title={x}}}
@Article{k1,
  author = {M{\"u}ller, J{\"o}rg and Fran{\c c}ois Dupont and {World Health Organization}},
  title = {{\'E}tude des pairs -- {\emph{peer}} support},
  journal = jmed # " Res",
  year = 2001, doi = {https://doi.org/10.2/XY}, keywords = {a, b; c},
}
@book(k2, title = "A {"}quoted{"} {B}ook", date = {2003-04})
`, []rec{
			{Title: "Étude des pairs – peer support", Venue: "J. Med Res", DOI: "10.2/xy", Year: 2001,
				Authors: []string{"Müller, Jörg", "Dupont, François", "World Health Organization"}, Keywords: []string{"a", "b", "c"}},
			{Title: `A "quoted" Book`, Year: 2003}}},
		{"bibtex bad entry then good", "b.bib", "bibtex", "@article{k1, title = {A}, year = }\n@article{k2, title={B}}\n",
			[]rec{{Skip: corpus.SkipInvalid}, {Title: "B"}}},
		{"csl single object", "a.json", "csl-json", `{"title":["T"],"container-title":["J"],"issued":{"date-parts":[["2018",4]]},"author":[{"family":"F","given":"G"},{"literal":"WHO"}],"DOI":"10.3/Z","PMID":"123","abstract":"<jats:p>Abs</jats:p>"}`,
			[]rec{{Title: "T", Venue: "J", Abstract: "Abs", DOI: "10.3/z", PMID: "123", Year: 2018, Authors: []string{"F, G", "WHO"}}}},
		{"csl bad item", "b.json", "csl-json", `[{"title":{"x":1}},{"title":"ok"}]`,
			[]rec{{Skip: corpus.SkipInvalid}, {Title: "ok"}}},
		{"openalex", "w.json", "", `[{"id":"https://openalex.org/W1","title":"T","publication_year":2020,"doi":"https://doi.org/10.4/A",
			"ids":{"pmid":"https://pubmed.ncbi.nlm.nih.gov/0042"},"authorships":[{"author":{"display_name":"Ada B. Lovelace"}}],
			"primary_location":{"source":{"display_name":"Nature"}},"abstract_inverted_index":{"world":[1],"Hello":[0],"again":[3],"hello":[2]}}]`,
			[]rec{{Title: "T", Abstract: "Hello world hello again", Venue: "Nature", DOI: "10.4/a", PMID: "42", Year: 2020, Authors: []string{"Lovelace, Ada B."}}}},
		{"medline structured abstract and italics", "p.xml", "", `<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article><Journal><Title>J</Title>
<JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue></Journal>
<ArticleTitle>Effect of <i>H. pylori</i> on &amp; peers</ArticleTitle>
<Abstract><AbstractText Label="BACKGROUND">B <sup>2</sup></AbstractText><AbstractText Label="RESULTS">R</AbstractText></Abstract>
<AuthorList><Author><LastName>Li</LastName><ForeName>Wei</ForeName></Author><Author><CollectiveName>Group X</CollectiveName></Author></AuthorList>
<Language>fre</Language></Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="doi">10.5/Q</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>`,
			[]rec{{Title: "Effect of H. pylori on & peers", Abstract: "BACKGROUND: B 2\nRESULTS: R", Venue: "J", DOI: "10.5/q", PMID: "7", Lang: "fr", Year: 1998, Authors: []string{"Li, Wei", "Group X"}}}},
		{"nbib", "a.nbib", "", "PMID- 1\nTI  - A title\n      on two lines.\nAB  - Abs\nFAU - Doe, Jane\nAU  - Doe J\nDP  - 2016 May\nLID - 10.6/R [doi]\nLA  - eng\n\nPMID- 2\nOT  - k\n",
			[]rec{{Title: "A title on two lines.", Abstract: "Abs", DOI: "10.6/r", PMID: "1", Lang: "en", Year: 2016, Authors: []string{"Doe, Jane"}},
				{PMID: "2", Keywords: []string{"k"}, Skip: corpus.SkipEmpty}}},
		{"isi", "a.isi", "", "FN ISI Export Format\nVR 1.0\nPT J\nAU Doe, J\n   Roe, R\nTI A title\n   continued\nSO J PHYS\nPY 2006\nDI 10.7/S\nDE a; b\nAB Abs\nER\n\nEF\n",
			[]rec{{Title: "A title continued", Abstract: "Abs", Venue: "J PHYS", DOI: "10.7/s", Year: 2006, Authors: []string{"Doe, J", "Roe, R"}, Keywords: []string{"a", "b"}}}},
		{"csv quoted multiline", "a.csv", "", "Title,ABSTRACT,Authors,Year,DOI\n\"A, title\",\"line one\nline two\",\"Liu R., Adler D.G.\",2014,10.8/T\n,,,,\n",
			[]rec{{Title: "A, title", Abstract: "line one\nline two", DOI: "10.8/t", Year: 2014, Authors: []string{"Liu R.", "Adler D.G."}}}},
		{"csv windows-1252 and bom", "w.csv", "csv", "\ufeffTitle,Abstract\r\n\x93Caf\xe9\x94 study,Na\xefve\r\n",
			[]rec{{Title: "“Café” study", Abstract: "Naïve"}}},
		{"medline latin-1 declared", "l.xml", "", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<MedlineCitationSet><MedlineCitation><PMID>9</PMID><Article><ArticleTitle>Sant\xe9</ArticleTitle></Article></MedlineCitation>\n<DeleteCitation><PMID>1</PMID></DeleteCitation></MedlineCitationSet>",
			[]rec{{Title: "Santé", PMID: "9"}}},
		{"tsv identifiers", "c.tsv", "", "input_id\tstandard_id\ndoi:10.9/U\tdoi:10.9/U\npmid:55\tpmid:55\n",
			[]rec{{DOI: "10.9/u", Skip: corpus.SkipEmpty}, {PMID: "55", Skip: corpus.SkipEmpty}}},
		{"endnote", "e.xml", "", `<?xml version="1.0"?><xml><records><record><contributors><authors><author><style>Doe, J.</style></author></authors></contributors>
<titles><title><style>A title</style></title><secondary-title>J</secondary-title></titles><dates><year>1937</year></dates>
<electronic-resource-num>10.10/V</electronic-resource-num><abstract>Abs</abstract></record></records></xml>`,
			[]rec{{Title: "A title", Abstract: "Abs", Venue: "J", DOI: "10.10/v", Year: 1937, Authors: []string{"Doe, J."}}}},
		{"ovid", "o.txt", "", "<1>\nAuthor\n  Kohler, Lars 1;  Hauck, Markus 2\nTitle\n  A title.[Article]\nSource\n  Ecohydrology.   8(6):1048-1064, September 2015.\nAbstract\n  Abs\n",
			[]rec{{Title: "A title.", Abstract: "Abs", Venue: "Ecohydrology", Year: 2015, Authors: []string{"Kohler, Lars", "Hauck, Markus"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := read(t, tt.in, tt.file, tt.format)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, "|") == strings.Join(b, "|") })); diff != "" {
				t.Errorf("Read(%s) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ head, name, want string }{
		{"TY  - JOUR\n", "x.txt", "ris"},
		{"\ufeff\nTY  - JOUR\n", "x", "ris"},
		{"PMID- 1\nTI  - x\n", "x.txt", "nbib"},
		{"FN ISI Export Format\nVR 1.0\nPT J\n", "x", "isi"},
		{"% c\n@article{k, title={x}}", "x", "bibtex"},
		{`[{"id":"https://openalex.org/W1"}]`, "x.json", "openalex"},
		{`[{"title":"x","issued":{}}]`, "x.json", "csl-json"},
		{`{"title":"My app","version":"1.0"}`, "manifest.json", ""},
		{"<?xml?>\n<PubmedArticleSet>", "x.xml", "medline-xml"},
		{"<MedlineCitationSet>", "x.xml", "medline-xml"},
		{"<xml><records><record>", "x.xml", "endnote-xml"},
		{"<8>\nScore\n", "x.txt", "ovid"},
		{"Title,Abstract\n", "x", "csv"},
		{"Title, subtitle and other things of a text\n", "x.txt", ""},
		{"Title\tYear\n", "x.tsv", "tsv"},
		{"a\tb\n", "x.tsv", ""},                    // a table of something else
		{"x,y\n1,2\n", "data.csv", ""},             // idem
		{"openalex_id,doi,pmid\n", "l.csv", "csv"}, // identifiers only
		{"body {}\n@media (max-width: 600px) {\n", "x.txt", ""},
		{"PT J\nPY 2001\n", "x.txt", ""}, // no TI line
		{"PK\x03\x04", "x", "zip"},
		// Office documents are zips of documents, not of exports.
		{"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x13\x00\x00\x00[Content_Types].xml", "report", ""},
		{"PK\x03\x04....word/document.xml", "x", ""},
		{"PK\x03\x04", "thesis.docx", ""},
		{"PK\x03\x04\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/epub+zip", "book", ""},
		{"<html><body>", "x.html", ""},
		{"Hello world", "x.txt", ""},
		{"%PDF-1.4", "x.pdf", ""},
	}
	for _, tt := range tests {
		if got := refs.Detect([]byte(tt.head), tt.name); got != tt.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", tt.head, tt.name, got, tt.want)
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("PMID- 1\nTI  - x\n"))
	zw.Close()
	if got := refs.Detect(gz.Bytes(), "x.nbib.gz"); got != "nbib" {
		t.Errorf("Detect(gzip of nbib) = %q, want nbib", got)
	}
}

// TestArchives reads a tar.gz and a zip of two exports: records are numbered
// on across members, and members that are not exports are skipped.
func TestArchives(t *testing.T) {
	members := []struct{ name, body string }{
		{"a.ris", "TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\nER  - \n"},
		{"README.md", "not an export\n"},
		{"b.nbib", "PMID- 3\nTI  - Three\n"},
	}
	var tgz, zbuf bytes.Buffer
	zw := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(zw)
	zipw := zip.NewWriter(&zbuf)
	for _, m := range members {
		tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(m.body))
		w, _ := zipw.Create(m.name)
		w.Write([]byte(m.body))
	}
	tw.Close()
	zw.Close()
	zipw.Close()
	for _, a := range []struct {
		name string
		data []byte
	}{{"x.tar.gz", tgz.Bytes()}, {"x.zip", zbuf.Bytes()}} {
		if f := refs.Detect(a.data, a.name); f != strings.TrimPrefix(a.name, "x.") {
			t.Errorf("Detect(%s) = %q", a.name, f)
		}
		var titles []string
		for d, err := range refs.Read(context.Background(), bytes.NewReader(a.data), a.name, "") {
			if err != nil {
				t.Fatalf("Read(%s): %v", a.name, err)
			}
			titles = append(titles, d.Path+" "+d.Title+" "+d.Format)
		}
		want := []string{a.name + "#1 One ris", a.name + "#2 Two ris", a.name + "#3 Three nbib"}
		if diff := cmp.Diff(want, titles); diff != "" {
			t.Errorf("Read(%s) (-want +got):\n%s", a.name, diff)
		}
	}
}

// TestReadStops checks that a consumer can stop early and that a canceled
// context ends the sequence with an error.
func TestReadStops(t *testing.T) {
	in := strings.Repeat("TY  - JOUR\nTI  - T\nER  - \n", 10)
	n := 0
	for range refs.Read(context.Background(), strings.NewReader(in), "x.ris", "") {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("stopped after %d records, want 3", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs int
	for d, err := range refs.Read(ctx, strings.NewReader(in), "x.ris", "") {
		if err != nil {
			errs++
		} else if d != nil {
			t.Errorf("record read after cancel")
		}
	}
	if errs != 1 {
		t.Errorf("canceled Read gave %d errors, want 1", errs)
	}
	for _, err := range refs.Read(context.Background(), strings.NewReader("hello"), "x.txt", "") {
		if err == nil || !strings.Contains(err.Error(), "x.txt") {
			t.Errorf("Read of a non-export: err = %v, want one naming x.txt", err)
		}
	}
}
