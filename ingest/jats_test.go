package ingest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
)

var rawDOI = regexp.MustCompile(`<article-id pub-id-type="doi">\s*([^<\s]+)\s*</article-id>`)

// TestJATSMetadata checks every JATS file of the corpus: the DOI equals
// the one a plain regexp finds in the raw XML, title, year, journal and
// authors are found, and references, tables and figure captions stay out
// of the text.
func TestJATSMetadata(t *testing.T) {
	files := corpusFiles(t, "jats", "peer/jats")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, ps, err := File(context.Background(), f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, f, doc, ps)
			if doc.Format != FormatJATS || doc.Kind != corpus.KindArticle || doc.Skip != corpus.NotSkipped {
				t.Fatalf("Format, Kind, Skip = %q, %q, %v", doc.Format, doc.Kind, doc.Skip)
			}
			if m := rawDOI.FindSubmatch(raw); m != nil {
				if want := strings.ToLower(string(m[1])); doc.DOI != want {
					t.Errorf("DOI = %q, want %q", doc.DOI, want)
				}
			}
			if doc.Title == "" || doc.Year == 0 || doc.Venue == "" {
				t.Errorf("Title, Year, Venue = %q, %d, %q", doc.Title, doc.Year, doc.Venue)
			}
			if len(doc.Authors) == 0 && !strings.Contains(doc.Title, "Correction") {
				t.Errorf("no authors")
			}
			if doc.Lang != "en" {
				t.Errorf("Lang = %q, want en", doc.Lang)
			}
			// Text of the reference list must not be in the text: take the
			// first <article-title> inside <ref-list>.
			if i := strings.Index(string(raw), "<ref-list"); i >= 0 {
				if m := regexp.MustCompile(`<article-title>([^<]{30,})</article-title>`).FindStringSubmatch(string(raw[i:])); m != nil {
					title := collapse(m[1])
					if strings.Contains(doc.Text, title) && !strings.Contains(doc.Text[:min(len(doc.Text), 20000)], title[:20]) {
						t.Errorf("reference title %q is in the text", title)
					}
				}
			}
			if strings.Contains(doc.Text, "<") && strings.Contains(doc.Text, "</") {
				t.Errorf("markup left in text")
			}
		})
	}
}

func TestJATSStructure(t *testing.T) {
	const x = `<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.0 20120330//EN" "JATS-archivearticle1.dtd">
<article xml:lang="en"><front><journal-meta><journal-title-group><journal-title>J Peer Res</journal-title></journal-title-group></journal-meta>
<article-meta><article-id pub-id-type="pmid">123</article-id><article-id pub-id-type="doi">10.1234/ABC</article-id>
<title-group><article-title>Peer workers&nbsp;&amp; nurses<xref ref-type="fn" rid="f1">*</xref></article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Roe</surname><given-names>Ann</given-names></name></contrib>
<contrib contrib-type="editor"><name><surname>Ed</surname><given-names>Itor</given-names></name></contrib></contrib-group>
<pub-date pub-type="ppub"><year>2011</year></pub-date><pub-date pub-type="epub"><year>2010</year></pub-date>
<abstract><p>Peer workers support patients in hospital wards and clinics across three sites.</p></abstract>
<kwd-group><kwd>peer support</kwd></kwd-group></article-meta></front>
<body><sec><title>Introduction</title><p>Peer workers have lived experience of mental illness and recovery &#x2014; they use it in their work<xref ref-type="bibr" rid="r1">1</xref>.<table-wrap><caption><p>Table caption text</p></caption><table><tr><td>cell text</td></tr></table></table-wrap></p>
<fig id="f1"><caption><p>Figure caption text</p></caption></fig>
<list><list-item><p>First listed item about peer roles in the ward team.</p></list-item></list></sec>
<sec><title>Methods</title><sec><title>Design</title><p>A qualitative design was used with interviews of peer workers and nurses.</p></sec></sec></body>
<back><ref-list><ref id="r1"><mixed-citation>Reference text should not appear.</mixed-citation></ref></ref-list></back></article>`
	doc, ps, err := Bytes(context.Background(), "a.xml", []byte(x), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, "a.xml", doc, ps)
	if doc.Format != FormatJATS || doc.Title != "Peer workers & nurses" || doc.DOI != "10.1234/abc" || doc.PMID != "123" ||
		doc.Year != 2010 || doc.Venue != "J Peer Res" || len(doc.Authors) != 1 || doc.Authors[0] != "Roe, Ann" {
		t.Errorf("metadata = %q %q %q %q %d %q %q", doc.Format, doc.Title, doc.DOI, doc.PMID, doc.Year, doc.Venue, doc.Authors)
	}
	for _, bad := range []string{"Table caption", "cell text", "Figure caption", "Reference text"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("text holds %q", bad)
		}
	}
	for _, good := range []string{"recovery — they use it in their work[1].", "First listed item", "Peer workers support patients"} {
		if !strings.Contains(doc.Text, good) {
			t.Errorf("text lacks %q: %q", good, doc.Text)
		}
	}
	if got := doc.SectionAt(strings.Index(doc.Text, "A qualitative")); got != "Design" {
		t.Errorf("section of the design paragraph = %q", got)
	}
	if doc.Abstract != "Peer workers support patients in hospital wards and clinics across three sites." {
		t.Errorf("Abstract = %q", doc.Abstract)
	}
}

// TestTEI checks the GROBID files: title for at least 90% of them, DOI
// when the header has one, sentences joined with a space, references and
// figures out of the text.
func TestTEI(t *testing.T) {
	files := corpusFiles(t, "peer/tei")
	titled := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, ps, err := File(context.Background(), f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkDoc(t, f, doc, ps)
		if doc.Format != FormatTEI || doc.Kind != corpus.KindArticle || doc.Skip != corpus.NotSkipped {
			t.Errorf("%s: Format, Kind, Skip = %q, %q, %v", f, doc.Format, doc.Kind, doc.Skip)
		}
		if doc.Title != "" {
			titled++
		}
		src := string(raw)
		if i, j := strings.Index(src, "<sourceDesc>"), strings.Index(src, "</sourceDesc>"); i >= 0 && j > i {
			if m := regexp.MustCompile(`<idno type="DOI">([^<]+)</idno>`).FindStringSubmatch(src[i:j]); m != nil && doc.DOI != strings.TrimRight(strings.ToLower(m[1]), ".") {
				t.Errorf("%s: DOI = %q, want %q", f, doc.DOI, m[1])
			}
		}
	}
	if titled*10 < len(files)*9 {
		t.Errorf("title found for %d of %d TEI files, want >= 90%%", titled, len(files))
	}
	const x = `<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title level="a" type="main">Peer mentors</title></titleStmt>
<sourceDesc><biblStruct><analytic><author><persName><forename type="first">Ann</forename><forename type="middle">B</forename><surname>Roe</surname></persName></author></analytic>
<monogr><title level="j">Health J</title><imprint><date type="published" when="2016-03-01"/></imprint></monogr><idno type="DOI">10.5555/X</idno></biblStruct></sourceDesc></fileDesc>
<profileDesc><abstract><div><p><s>Peer mentors helped.</s><s>They were paid.</s></p></div></abstract></profileDesc></teiHeader>
<text><body><div><head>Results</head><p><s>Mentors met patients weekly.</s><s>Adherence rose <ref type="bibr">[1]</ref>.</s></p>
<figure><head>Fig 1</head><figDesc>Figure text</figDesc></figure><note place="foot">Footnote text</note></div></body>
<back><div type="references"><listBibl><biblStruct><analytic><title>Cited work</title></analytic></biblStruct></listBibl></div></back></text></TEI>`
	doc, ps, err := Bytes(context.Background(), "x.tei.xml", []byte(x), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, "x", doc, ps)
	if doc.Title != "Peer mentors" || doc.DOI != "10.5555/x" || doc.Year != 2016 || doc.Venue != "Health J" || len(doc.Authors) != 1 || doc.Authors[0] != "Roe, Ann B" {
		t.Errorf("metadata = %q %q %d %q %q", doc.Title, doc.DOI, doc.Year, doc.Venue, doc.Authors)
	}
	if doc.Abstract != "Peer mentors helped. They were paid." {
		t.Errorf("Abstract = %q", doc.Abstract)
	}
	if !strings.Contains(doc.Text, "Mentors met patients weekly. Adherence rose [1].") {
		t.Errorf("text = %q", doc.Text)
	}
	for _, bad := range []string{"Figure text", "Footnote text", "Cited work", "Fig 1"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("text holds %q", bad)
		}
	}
}
