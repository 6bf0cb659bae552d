package ingest

import (
	"context"
	"strings"

	"github.com/peermap/peermap/corpus"
)

// jatsSkipInline are left out of a paragraph's text: floats, lists and
// quotes (lists and quotes are read as paragraphs of their own), footnotes.
var jatsSkipInline = map[string]bool{
	"fig": true, "table-wrap": true, "list": true, "disp-quote": true, "boxed-text": true,
	"supplementary-material": true, "def-list": true, "table": true, "graphic": true, "fn": true,
	"disp-formula": true, "media": true, "alternatives": true, "fig-group": true, "table-wrap-group": true,
}

// jatsTitleSkip are left out of titles: footnote markers and links.
var jatsTitleSkip = map[string]bool{"xref": true, "fn": true, "inline-graphic": true}

// jatsSkipBlock are left out of the text: figures and tables (with their
// captions), references, footnotes, supplementary material, formulas.
var jatsSkipBlock = map[string]bool{
	"fig": true, "table-wrap": true, "fig-group": true, "table-wrap-group": true, "ref-list": true,
	"supplementary-material": true, "fn-group": true, "fn": true, "graphic": true, "media": true,
	"disp-formula": true, "alternatives": true, "title": true, "label": true, "table": true,
	"sec-meta": true, "object-id": true,
}

// extractJATS reads a JATS or NLM XML article: front matter for the
// metadata, the abstract and the body's sections and paragraphs for the
// text. Figures, tables (and their captions), references, footnotes,
// back matter and sub-articles (review letters) are left out.
func extractJATS(ctx context.Context, doc *corpus.Document, data []byte) {
	root, err := parseXML(ctx, data)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		skip(doc, corpus.SkipInvalid, "not valid JATS XML: "+err.Error())
		return
	}
	art := root.first("article")
	if art == nil {
		skip(doc, corpus.SkipInvalid, "not valid JATS XML: no <article> element")
		return
	}
	doc.Extractor = "jats"
	doc.Lang = art.attr("lang")
	front := art.child("front")
	meta := front.first("article-meta")
	if jm := front.first("journal-meta"); jm != nil {
		doc.Venue = jm.first("journal-title").plain()
	}
	doc.Title = meta.first("title-group").first("article-title").textContent(jatsTitleSkip, nil)
	for _, id := range meta.all("article-id") {
		switch id.attr("pub-id-type") {
		case "doi":
			doc.DOI = id.plain()
		case "pmid":
			doc.PMID = id.plain()
		}
	}
	for _, c := range meta.all("contrib") {
		if t := c.attr("contrib-type"); t != "" && t != "author" {
			continue
		}
		if n := c.first("name"); n != nil {
			doc.Authors = append(doc.Authors, authorName(n.first("surname").plain(), n.first("given-names").plain()))
		} else if n := c.first("string-name"); n != nil {
			doc.Authors = append(doc.Authors, n.plain())
		} else if n := c.first("collab"); n != nil {
			doc.Authors = append(doc.Authors, n.textContent(map[string]bool{"contrib-group": true}, nil))
		}
	}
	doc.Year = jatsYear(meta)
	for _, k := range meta.all("kwd") {
		if s := k.plain(); s != "" {
			doc.Keywords = append(doc.Keywords, s)
		}
	}

	var b builder
	for _, ab := range meta.all("abstract") {
		t := ab.attr("abstract-type")
		if t != "" && t != "summary" && t != "executive-summary" {
			continue
		}
		if t == "" && doc.Abstract == "" {
			doc.Abstract = ab.textContent(map[string]bool{"title": true, "label": true}, map[string]bool{"p": true, "sec": true})
		}
		b.heading(firstNonEmpty(ab.child("title").plain(), "Abstract"))
		jatsBlocks(&b, ab, 0)
	}
	bracketCitations(meta)
	if body := art.child("body"); body != nil {
		bracketCitations(body)
		if len(body.kids) > 0 && firstElem(body) != nil && firstElem(body).name == "p" && b.len() > 0 {
			b.heading("Main text")
		}
		jatsBlocks(&b, body, 0)
	}
	doc.Text, doc.Sections = b.done()
}

// jatsYear returns the publication year, preferring the electronic, then
// print, then any publication date.
func jatsYear(meta *xnode) int {
	dates := meta.all("pub-date")
	for _, want := range []string{"epub", "ppub", "pub", "epreprint", ""} {
		for _, d := range dates {
			t := firstNonEmpty(d.attr("pub-type"), d.attr("date-type"))
			if want != "" && t != want {
				continue
			}
			if y := parseYear(d.child("year").plain()); y > 0 {
				return y
			}
		}
	}
	return 0
}

// jatsBlocks writes the block content of n: sections (their titles as
// headings), paragraphs, list items, quotes and boxes.
func jatsBlocks(b *builder, n *xnode, depth int) {
	if depth > 64 {
		return
	}
	for _, k := range n.kids {
		switch {
		case k.name == "":
			if t := collapse(k.text); t != "" {
				b.para(t)
			}
		case jatsSkipBlock[k.name]:
		case k.name == "sec" || k.name == "app" || k.name == "boxed-text":
			if t := k.child("title"); t != nil {
				b.heading(t.textContent(jatsSkipInline, nil))
			}
			jatsBlocks(b, k, depth+1)
		case k.name == "p":
			b.para(k.textContent(jatsSkipInline, nil))
			for _, c := range k.kids {
				if c.name == "list" || c.name == "disp-quote" || c.name == "boxed-text" || c.name == "def-list" {
					jatsBlocks(b, c, depth+1)
				}
			}
		case k.name == "list-item" || k.name == "def-item":
			if hasElem(k, "p") {
				jatsBlocks(b, k, depth+1)
			} else {
				b.para(k.textContent(jatsSkipInline, nil))
			}
		default:
			jatsBlocks(b, k, depth+1)
		}
	}
}

// hasElem reports whether n has a child element named name.
func hasElem(n *xnode, name string) bool { return n.child(name) != nil }

// bracketCitations wraps the text of bibliographic cross-references in
// square brackets when the source has none around them (superscript
// citation numbers), so "care<xref>1</xref>." reads "care[1]." rather
// than "care1.".
func bracketCitations(n *xnode) {
	if n == nil {
		return
	}
	prev := ""
	for _, k := range n.kids {
		if k.name == "" {
			prev = k.text
			continue
		}
		if k.name == "xref" && k.attr("ref-type") == "bibr" {
			t := strings.TrimSpace(k.plain())
			if t != "" && !strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "(") &&
				!strings.HasSuffix(strings.TrimRight(prev, " "), "[") && !strings.HasSuffix(strings.TrimRight(prev, " "), "(") &&
				!strings.HasSuffix(strings.TrimRight(prev, " "), ",") && !strings.HasSuffix(strings.TrimRight(prev, " "), "–") &&
				!strings.HasSuffix(strings.TrimRight(prev, " "), "-") {
				k.kids = []*xnode{{text: "[" + t + "]"}}
			}
			prev = "]"
			continue
		}
		bracketCitations(k)
		prev = ""
	}
}
