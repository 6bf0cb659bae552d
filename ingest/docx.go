package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/expand"
)

// Limits of one DOCX part, against zip bombs: its decompressed size, and
// its decompressed size per compressed byte (Word's XML compresses about
// 10 to 1).
const (
	maxDOCXPart  = 256 << 20
	maxDOCXRatio = 100
)

// extractDOCX reads a Word document: word/document.xml for the text
// (w:p paragraphs, w:t runs, w:tab, w:br; paragraph styles Title and
// Heading1… or an outline level open sections) and docProps/core.xml for
// title, creator, date and language.
func extractDOCX(ctx context.Context, doc *corpus.Document, data []byte) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		skip(doc, corpus.SkipInvalid, "not a valid DOCX (zip): "+err.Error())
		return
	}
	body, err := zipPart(zr, "word/document.xml")
	var bomb *expand.Error
	switch {
	case errors.As(err, &bomb):
		skip(doc, corpus.SkipTooLarge, "DOCX part "+err.Error())
		return
	case err != nil:
		skip(doc, corpus.SkipInvalid, "not a valid DOCX: "+err.Error())
		return
	}
	doc.Extractor = "docx"
	if core, err := zipPart(zr, "docProps/core.xml"); err == nil {
		if root, err := parseXML(ctx, core); err == nil {
			doc.Title = root.first("title").plain()
			if c := root.first("creator").plain(); c != "" {
				doc.Authors = splitAuthors(c)
			}
			doc.Year = parseYear(firstNonEmpty(root.first("created").plain(), root.first("modified").plain()))
			doc.Lang = root.first("language").plain()
			doc.Keywords = splitList(root.first("keywords").plain())
		}
	}
	var b builder
	if ctx.Err() != nil {
		return
	}
	if err := docxText(ctx, &b, body); err != nil {
		doc.Warnings = append(doc.Warnings, "document.xml: "+err.Error())
	}
	doc.Text, doc.Sections = b.done()
	if doc.Title == "" {
		doc.Title = b.first
	}
}

// splitAuthors splits a creator field on semicolons.
func splitAuthors(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ";") {
		if a = collapse(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// zipPart returns the decompressed bytes of the named zip member. A part
// that expands past maxDOCXPart, or more than maxDOCXRatio times its
// compressed size (a zip bomb), is an *expand.Error: caught from the sizes
// the entry declares before it is read, else while it is read.
func zipPart(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		packed := int64(f.CompressedSize64)
		lim := expand.Limits{Max: maxDOCXPart, Ratio: maxDOCXRatio, Slack: 1 << 20}
		if err := expand.Check(packed, int64(f.UncompressedSize64), lim); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		x := expand.NewReader(rc, func() int64 { return packed }, lim)
		b, err := io.ReadAll(x)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return b, nil
	}
	return nil, errors.New("no " + name)
}

// docxText streams document.xml into b, one paragraph per w:p.
// Once ctx ends it stops and returns ctx's error.
func docxText(ctx context.Context, b *builder, data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	var para strings.Builder
	heading := false
	inText := false
	depth := 0 // nesting of w:p (text boxes hold paragraphs inside runs)
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			if para.Len() > 0 {
				b.para(para.String())
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				if depth == 0 {
					para.Reset()
					heading = false
				} else {
					para.WriteByte(' ')
				}
				depth++
			case "pStyle":
				if depth == 1 && isHeadingStyle(attrVal(t, "val")) {
					heading = true
				}
			case "outlineLvl":
				if depth == 1 && attrVal(t, "val") != "9" {
					heading = true
				}
			case "t", "delText":
				inText = t.Name.Local == "t"
			case "tab", "br", "cr":
				para.WriteByte(' ')
			case "noBreakHyphen":
				para.WriteByte('-')
			case "tc":
				para.WriteByte(' ')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t", "delText":
				inText = false
			case "p":
				if depth > 0 {
					depth--
				}
				if depth == 0 {
					if heading {
						b.heading(para.String())
					} else {
						b.para(para.String())
					}
					para.Reset()
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	return nil
}

func attrVal(t xml.StartElement, key string) string {
	for _, a := range t.Attr {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}

// isHeadingStyle reports whether a paragraph style names a title or
// heading (English and French Word style IDs).
func isHeadingStyle(s string) bool {
	s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	return s == "title" || s == "titre" || strings.HasPrefix(s, "heading") || strings.HasPrefix(s, "titre") && len(s) > 5 && s[5] >= '1' && s[5] <= '9'
}
