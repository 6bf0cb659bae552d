package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
)

// makeDOCX builds a minimal Word file with the given document.xml body
// (the part inside <w:body>) and core properties.
func makeDOCX(t testing.TB, body, core string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`},
	}
	if core != "" {
		parts = append(parts, struct{ name, data string }{"docProps/core.xml", `<?xml version="1.0"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">` + core + `</cp:coreProperties>`})
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func para(style, text string) string {
	ppr := ""
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func TestDOCX(t *testing.T) {
	body := para("Title", "Peer Support Programme Report") +
		para("Heading1", "Background") +
		`<w:p><w:r><w:t>Peer supporters </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>visit</w:t></w:r><w:r><w:tab/><w:t>families</w:t><w:br/><w:t>at home each week.</w:t></w:r><w:r><w:delText>deleted words</w:delText></w:r></w:p>` +
		para("Heading2", "Training") +
		para("", "Each peer supporter completes forty hours of training before the first visit, with supervision afterwards.") +
		`<w:tbl><w:tr><w:tc>` + para("", "Cell one") + `</w:tc><w:tc>` + para("", "Cell two") + `</w:tc></w:tr></w:tbl>`
	core := `<dc:title>Annual report 2021</dc:title><dc:creator>Jane Roe; Ann Doe</dc:creator><dcterms:created>2021-06-30T10:00:00Z</dcterms:created><dc:language>en-GB</dc:language>`
	data := makeDOCX(t, body, core)
	if got := Sniff(data[:min(len(data), sniffLen)], "report.docx"); got != FormatDOCX {
		t.Fatalf("Sniff = %q", got)
	}
	doc, ps, err := Bytes(context.Background(), "report.docx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, "report.docx", doc, ps)
	if doc.Title != "Annual report 2021" || doc.Year != 2021 || len(doc.Authors) != 2 || doc.Kind != corpus.KindGrey {
		t.Errorf("Title, Year, Authors, Kind = %q, %d, %q, %q", doc.Title, doc.Year, doc.Authors, doc.Kind)
	}
	if !strings.Contains(doc.Text, "Peer supporters visit families at home each week.") {
		t.Errorf("runs, tab and break not joined: %q", doc.Text)
	}
	if strings.Contains(doc.Text, "deleted words") {
		t.Errorf("deleted text kept")
	}
	var heads []string
	for _, s := range doc.Sections {
		heads = append(heads, s.Heading)
	}
	if strings.Join(heads, "|") != "Background|Training" {
		t.Errorf("sections = %q", heads)
	}
	if got := doc.SectionAt(strings.Index(doc.Text, "Each peer")); got != "Training" {
		t.Errorf("SectionAt(Each peer) = %q", got)
	}

	t.Run("no core properties", func(t *testing.T) {
		doc, _, err := Bytes(context.Background(), "x.docx", makeDOCX(t, para("Heading1", "Only heading")+para("", "Some text here."), ""), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Only heading" || doc.Skip != corpus.NotSkipped {
			t.Errorf("Title, Skip = %q, %v", doc.Title, doc.Skip)
		}
	})
	t.Run("zip without document.xml", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/other.xml")
		w.Write([]byte("<x/>"))
		zw.Close()
		doc, _, err := Bytes(context.Background(), "bad.docx", buf.Bytes(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Skip != corpus.SkipInvalid || !strings.Contains(doc.SkipDetail, "word/document.xml") {
			t.Errorf("Skip, SkipDetail = %v, %q", doc.Skip, doc.SkipDetail)
		}
	})
	t.Run("truncated zip", func(t *testing.T) {
		doc, _, err := Bytes(context.Background(), "cut.docx", data[:len(data)/2], Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Skip != corpus.SkipInvalid {
			t.Errorf("Skip = %v (%q)", doc.Skip, doc.SkipDetail)
		}
	})
}
