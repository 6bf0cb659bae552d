package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
)

// fuzzExtract runs one extractor directly (no recover, so a panic fails
// the fuzz run with its stack), then the shared finishing and Split, and
// checks the invariants: valid UTF-8 and passages inside the text.
func fuzzExtract(t *testing.T, format string, data []byte, extract func(context.Context, *corpus.Document, []byte)) {
	doc := &corpus.Document{ID: corpus.NewDocID(data), Path: "fuzz", Format: format}
	extract(context.Background(), doc, data)
	if !utf8.ValidString(doc.Text) {
		t.Fatalf("text is not valid UTF-8: %q", doc.Text)
	}
	for _, s := range []string{doc.Title, doc.Abstract, doc.Venue, doc.Lang} {
		if !utf8.ValidString(s) {
			t.Fatalf("metadata is not valid UTF-8: %q", s)
		}
	}
	for _, s := range doc.Sections {
		if s.Start < 0 || s.End > len(doc.Text) || s.Start > s.End {
			t.Fatalf("section %+v outside text of %d bytes", s, len(doc.Text))
		}
	}
	finish(doc, Options{})
	ps := Split(doc, SplitOptions{})
	checkPassages(t, "fuzz", doc, ps)
}

// addFiles adds the small files of a shared corpus folder as seeds.
func addFiles(f *testing.F, sub, glob string, maxSize int64) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", sub, glob))
	for _, p := range files {
		if st, err := os.Stat(p); err == nil && st.Size() <= maxSize {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

func FuzzHTML(f *testing.F) {
	f.Add([]byte("<p>seed</p>"))
	f.Add([]byte(`<html lang="fr"><head><meta charset="latin1"><meta name="citation_title" content="T"><script type="application/ld+json">{"@type":"Article","headline":"H","author":[{"name":"A"}]}</script></head><body><h1>T</h1><p>Caf\xe9</p><h2></h2><table><tr><td>a<td>b</table></body></html>`))
	f.Add([]byte("<meta http-equiv=\"content-type\" content=\"text/html; charset=gb2312\"><p>\xe4\xb8\xad\xe6\x96\x87</p>"))
	f.Add([]byte(`<body><div class="post-body"><noscript><p>a<div class="share"><a href=x>b</a></noscript></div><div class="story hide"><p>c</p></div><script type="application/ld+json">{"articleBody":"d"}</script>`))
	addFiles(f, "html", "readability_rtl-1.html", 4096)
	addFiles(f, "webeval/pages", "*.html", 12<<10)
	addFiles(f, "peer/html", "*.html", 8192)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, FormatHTML, data, func(ctx context.Context, d *corpus.Document, b []byte) { extractHTML(ctx, d, b, "") })
	})
}

func FuzzXML(f *testing.F) {
	f.Add([]byte(`<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front><body><sec><title>S</title><p>x<list><list-item><p>y</p></list-item></list></p></sec></body></article>`))
	f.Add([]byte(`<TEI><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc><profileDesc><abstract><p><s>a</s><s>b</s></p></abstract></profileDesc></teiHeader><text><body><div><head>H</head><p><s>x</s></p></div></body></text></TEI>`))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><article>&eacute;&unknown;&#xD800;<![CDATA[<p>]]></article>`))
	// GROBID callouts, a sentence that lost its first letter after one, a
	// submission note, a copyright line and a running header with the DOI.
	f.Add([]byte(`<TEI><teiHeader><fileDesc><titleStmt><title>Eff ects of x</title></titleStmt><sourceDesc><biblStruct><idno type="DOI">10.1/x</idno><note type="submission">Received: 1 May 2019 Accepted: 2 June 2020</note></biblStruct></sourceDesc></fileDesc></teiHeader><text><body><div><head>AU : Pleaseconfirm:</head><p><s>Eff ects. <ref type="bibr">4,</ref><ref type="bibr">6</ref></s><s>dditional effects. <ref type="bibr">[7]</ref></s><s>Additional x. Copyright © 2019 J. 2019;80:e1-e2. DOI: 10.1/x</s></p></div></body></text></TEI>`))
	addFiles(f, "jats", "*.xml", 6000)
	addFiles(f, "jats", "*.nxml", 8000)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, FormatJATS, data, extractJATS)
		fuzzExtract(t, FormatTEI, data, extractTEI)
	})
}

func FuzzDOCX(f *testing.F) {
	f.Add([]byte(para("Heading1", "Title") + para("", "Text") + `<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p>`))
	f.Add([]byte(`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>H</w:t></w:r><w:p><w:r><w:t>nested</w:t></w:r></w:p></w:p>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		data := makeDOCX(t, string(body), "<dc:title>"+string(body[:min(len(body), 20)])+"</dc:title>")
		fuzzExtract(t, FormatDOCX, data, extractDOCX)
		// The raw bytes as a (mostly broken) zip must not panic either.
		fuzzExtract(t, FormatDOCX, body, extractDOCX)
	})
}

func FuzzText(f *testing.F) {
	f.Add([]byte("---\ntitle: x\nauthor: [a, b]\ndate: 2020\n---\n# H\n\n**b** [l](u) `c`\n"))
	f.Add([]byte("+++\ntitle = \"x\"\n+++\ntext\n\nmore text.\n"))
	f.Add([]byte("Title\n=====\n\n> quote\n\n```\ncode\n```\n\xff\xfe"))
	// A story file, a metadata comment, header lines and a glossary.
	f.Add([]byte("(fifthQuint)Title of a trial.\n\n Body text.\n\n.\n\n Title of a trial@highlight\n\nThe summary.\n\n@highlight\n\nMore.\n"))
	f.Add([]byte("<!--//meta\nDate: August 23, 2025\nMeta Author: `x`\n//meta-->\n\n# One\n\ntext\n\n# Two\n"))
	f.Add([]byte("**Organization**: Some Org\n**Closing Date**: [Date]\nTitle: T\n\n**Term:** A definition that runs on for more than eight words here.\n"))
	addFiles(f, "peer/text", "cht_chw-supervision-overview.md", 4096)
	addFiles(f, "peer/text", "ctgov_NCT00375024_patient-navigator-tampa.story.txt", 4096)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, FormatMarkdown, data, extractText)
		fuzzExtract(t, FormatText, data, extractText)
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("A. B.\n\nC d e f g.", 10, 2, 3)
	f.Add("é\n \n\tx", 1, 1, 0)
	f.Fuzz(func(t *testing.T, text string, maxLen, minLen, cut int) {
		doc := &corpus.Document{ID: "fuzz", Text: text}
		if cut > 0 && cut < len(text) {
			doc.Sections = []corpus.Section{{Heading: "a", Start: 0, End: cut}, {Heading: "b", Start: cut, End: len(text)}}
		}
		ps := Split(doc, SplitOptions{MaxLen: maxLen % 5000, MinLen: minLen % 500})
		checkPassages(t, "split", doc, ps)
	})
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte("<?xml?><!-- c --><!DOCTYPE x><TEI>"), "a.xml")
	f.Fuzz(func(t *testing.T, head []byte, name string) {
		_ = Sniff(head, name)
	})
}
