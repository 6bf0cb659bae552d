package ingest

import (
	"context"
	"strings"

	"github.com/peermap/peermap/corpus"
)

// teiSkip are left out of paragraph text and of the body: figures and
// tables (GROBID writes tables as <figure type="table">), notes, formulas.
var teiSkip = map[string]bool{"figure": true, "note": true, "table": true, "formula": true, "graphic": true, "listBibl": true}

// teiNotRead are left out when the whole text is read for metadata:
// references (they hold other works' years and DOIs) and figures (their
// credits hold other works' copyright lines).
var teiNotRead = map[string]bool{"listBibl": true, "figure": true}

// teiSpaced elements are sentences: GROBID writes no space between them.
var teiSpaced = map[string]bool{"s": true, "p": true, "item": true, "head": true}

// extractTEI reads a TEI XML article as GROBID writes it: the header for
// metadata (title, authors, date, DOI, journal, abstract, keywords), the
// body's divisions (head → section) and paragraphs. References, figures,
// tables, notes and back matter are left out.
func extractTEI(ctx context.Context, doc *corpus.Document, data []byte) {
	root, err := parseXML(ctx, data)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		skip(doc, corpus.SkipInvalid, "not valid TEI XML: "+err.Error())
		return
	}
	tei := root.first("TEI")
	if tei == nil {
		tei = root.first("teiCorpus")
	}
	if tei == nil {
		skip(doc, corpus.SkipInvalid, "not valid TEI XML: no <TEI> element")
		return
	}
	doc.Extractor = "tei"
	hdr := tei.first("teiHeader")
	doc.Lang = firstNonEmpty(hdr.attr("lang"), tei.attr("lang"))
	fd := hdr.child("fileDesc")
	for _, t := range fd.path("titleStmt").all("title") {
		if t.attr("type") == "main" || t.attr("type") == "" {
			doc.Title = t.plain()
			break
		}
	}
	bs := fd.path("sourceDesc", "biblStruct")
	if doc.Title == "" {
		doc.Title = bs.path("analytic", "title").plain()
	}
	for _, a := range bs.child("analytic").all("author") {
		pn := a.first("persName")
		if pn == nil {
			continue
		}
		var given []string
		for _, f := range pn.all("forename") {
			given = append(given, f.plain())
		}
		doc.Authors = append(doc.Authors, authorName(pn.first("surname").plain(), strings.Join(given, " ")))
	}
	for _, id := range bs.all("idno") {
		switch strings.ToLower(id.attr("type")) {
		case "doi":
			if doc.DOI == "" {
				doc.DOI = id.plain()
			}
		case "pmid":
			doc.PMID = id.plain()
		}
	}
	if m := bs.child("monogr"); m != nil {
		for _, t := range m.all("title") {
			if t.attr("level") == "j" {
				doc.Venue = t.plain()
				break
			}
		}
		if d := m.first("date"); d != nil {
			doc.Year = parseYear(firstNonEmpty(d.attr("when"), d.plain()))
		}
	}
	if doc.Year == 0 {
		for _, d := range fd.path("publicationStmt").all("date") {
			if y := parseYear(firstNonEmpty(d.attr("when"), d.plain())); y > 0 {
				doc.Year = y
				break
			}
		}
	}
	text := tei.child("text")
	var all string // the text as it is, references and figures aside; read once if needed
	whole := func() string {
		if all == "" {
			all = text.rawText(teiNotRead, teiSpaced)
		}
		return all
	}
	if doc.Year == 0 {
		doc.Year = textYear(whole(), fd.path("publicationStmt", "availability").plain(), doc.DOI)
	}
	if doc.Year == 0 {
		for _, n := range bs.all("note") {
			if y := submissionYear(n.plain()); y > 0 && n.attr("type") == "submission" {
				doc.Year = y
				break
			}
		}
	}
	if mayHaveLigatureSplit(doc.Title) {
		doc.Title = findLigatureSplits(doc.Title + " " + whole()).join(doc.Title)
	}
	pd := hdr.child("profileDesc")
	for _, t := range pd.first("keywords").all("term") {
		if s := t.plain(); s != "" {
			doc.Keywords = append(doc.Keywords, s)
		}
	}

	teiCallouts(hdr, 0)
	teiCallouts(text, 0)
	if n := restoreLetters([]*xnode{hdr, text}, func() string { return hdr.rawText(nil, teiSpaced) + " " + whole() }); n > 0 {
		doc.Warnings = append(doc.Warnings, repairWarning(n))
	}

	var b builder
	if ab := pd.child("abstract"); ab != nil {
		doc.Abstract = ab.textContent(teiSkip, teiSpaced)
		if doc.Abstract != "" {
			b.heading("Abstract")
			teiBlocks(&b, ab, 0)
		}
	}
	if body := text.child("body"); body != nil {
		if b.len() > 0 && firstElem(body) != nil && firstElem(body).name != "div" {
			b.heading("Main text")
		}
		teiBlocks(&b, body, 0)
	}
	doc.Text, doc.Sections = b.done()
}

// teiBlocks writes the divisions and paragraphs under n.
func teiBlocks(b *builder, n *xnode, depth int) {
	if depth > 64 {
		return
	}
	for _, k := range n.kids {
		switch {
		case k.name == "":
			if t := collapse(k.text); t != "" {
				b.para(t)
			}
		case teiSkip[k.name]:
		case k.name == "head":
			b.heading(k.textContent(teiSkip, teiSpaced))
		case k.name == "p" || k.name == "item" || k.name == "ab":
			b.para(k.textContent(teiSkip, teiSpaced))
		default: // div, list, quote, ...
			teiBlocks(b, k, depth+1)
		}
	}
}
