package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/text"
)

// minMainText is the fewest characters of main content accepted from the
// readability extractor before falling back to the whole cleaned body.
const minMainText = 250

// extractHTML reads a web page: charset, metadata, then the main content
// (readability), with headings as sections.
func extractHTML(doc *corpus.Document, data []byte, contentType string) {
	text, _, warn := decodeHTML(data, contentType)
	if warn != "" {
		doc.Warnings = append(doc.Warnings, warn)
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		skip(doc, corpus.SkipInvalid, "not valid HTML: "+err.Error())
		return
	}
	htmlMeta(doc, root)

	pageURL, err := url.Parse(doc.Path)
	if err != nil || pageURL.Scheme == "" || pageURL.Host == "" {
		pageURL = &url.URL{Scheme: "file", Path: "/" + strings.TrimPrefix(doc.Path, "/")}
	}
	removeBanners(root)
	var b builder
	p := readability.NewParser()
	art, err := p.ParseAndMutate(root, pageURL)
	if err == nil && art.Node != nil {
		renderBlocks(&b, art.Node)
		doc.Extractor = "readability"
		if doc.Title == "" {
			doc.Title = art.Title()
		}
		if doc.Venue == "" {
			doc.Venue = art.SiteName()
		}
		if len(doc.Authors) == 0 && art.Byline() != "" && len(art.Byline()) < 120 {
			doc.Authors = []string{art.Byline()}
		}
		if doc.Year == 0 {
			if t, err := art.PublishedTime(); err == nil {
				doc.Year = t.Year()
			}
		}
		if doc.Lang == "" {
			doc.Lang = art.Language()
		}
	}
	if utf8.RuneCountInString(b.sb.String()) < minMainText {
		if err != nil {
			doc.Warnings = append(doc.Warnings, "readability: "+err.Error())
		} else {
			doc.Warnings = append(doc.Warnings, "readability found little main text; used the whole page body")
		}
		b = builder{}
		root, _ = html.Parse(strings.NewReader(text)) // readability mutated the tree
		removeBanners(root)
		body := findBody(root)
		if body != nil {
			renderBlocks(&b, body)
		}
		doc.Extractor = "html-body"
	}
	doc.Text, doc.Sections = b.done()
}

// decodeHTML returns data decoded to UTF-8. The charset comes from a BOM,
// the HTTP Content-Type, or the page's <meta>; it is checked against the
// bytes: valid multi-byte UTF-8 is read as UTF-8 whatever the declaration
// says, and invalid UTF-8 declared (or defaulted) as UTF-8 goes to a
// detector. warn says when the declaration was overridden.
func decodeHTML(data []byte, contentType string) (text, enc, warn string) {
	if e, name, _ := charset.DetermineEncoding(data[:min(len(data), 1024)], contentType); name == "utf-16le" || name == "utf-16be" {
		if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
			return decodeWith(e, data), name, ""
		}
	}
	declared := declaredCharset(data, contentType)
	isUTF8 := utf8.Valid(data)
	multi := isUTF8 && hasMultibyte(data)
	switch {
	case declared == "" || declared == "utf-8":
		if isUTF8 {
			return string(data), "utf-8", ""
		}
		name := detectCharset(data)
		w := ""
		if declared == "utf-8" {
			w = "declared charset utf-8 is wrong; decoded as " + name
		}
		return decodeLabel(name, data), name, w
	case multi:
		return string(data), "utf-8", "declared charset " + declared + " is wrong; decoded as utf-8"
	}
	e, err := htmlindex.Get(declared)
	if err != nil {
		name := detectCharset(data)
		return decodeLabel(name, data), name, "unknown declared charset " + declared + "; decoded as " + name
	}
	return decodeWith(e, data), declared, ""
}

// declaredCharset returns the canonical name of the charset declared by
// the Content-Type header or the page's <meta> tags, "" if none.
func declaredCharset(data []byte, contentType string) string {
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			if _, name := charset.Lookup(params["charset"]); name != "" {
				return name
			}
		}
	}
	head := data[:min(len(data), 64<<10)]
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "body" {
				return ""
			}
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, httpEquiv, content string
			for {
				k, v, more := z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					httpEquiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
				if !more {
					break
				}
			}
			if cs == "" && httpEquiv == "content-type" {
				if _, params, err := mime.ParseMediaType(content); err == nil {
					cs = params["charset"]
				}
			}
			if cs != "" {
				if _, name := charset.Lookup(cs); name != "" {
					return name
				}
				return strings.ToLower(strings.TrimSpace(cs))
			}
		}
	}
}

// hasMultibyte reports whether data holds a multi-byte UTF-8 sequence.
func hasMultibyte(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// detectCharset guesses the charset of data that is not valid UTF-8.
func detectCharset(data []byte) string {
	r, err := chardet.NewHtmlDetector().DetectBest(data[:min(len(data), 64<<10)])
	if err == nil && r.Confidence >= 50 {
		if _, name := charset.Lookup(r.Charset); name != "" && name != "utf-8" {
			return name
		}
	}
	return "windows-1252"
}

func decodeLabel(name string, data []byte) string {
	e, err := htmlindex.Get(name)
	if err != nil {
		e = charmap.Windows1252
	}
	return decodeWith(e, data)
}

func decodeWith(e encoding.Encoding, data []byte) string {
	if e == nil {
		e = unicode.UTF8
	}
	out, err := io.ReadAll(e.NewDecoder().Reader(bytes.NewReader(data)))
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// htmlMeta fills doc's metadata from citation_*, Dublin Core, OpenGraph
// and JSON-LD, in that order of trust, and the lang attribute.
func htmlMeta(doc *corpus.Document, root *html.Node) {
	q := goquery.NewDocumentFromNode(root)
	meta := map[string][]string{}
	q.Find("meta").Each(func(_ int, s *goquery.Selection) {
		key := firstNonEmpty(s.AttrOr("name", ""), s.AttrOr("property", ""), s.AttrOr("itemprop", ""))
		val := strings.TrimSpace(s.AttrOr("content", ""))
		if key == "" || val == "" {
			return
		}
		key = strings.ToLower(key)
		meta[key] = append(meta[key], val)
	})
	get := func(keys ...string) string {
		for _, k := range keys {
			if v := meta[k]; len(v) > 0 {
				return v[0]
			}
		}
		return ""
	}
	ld := jsonLD(q)
	doc.Title = firstNonEmpty(get("citation_title", "dc.title", "dcterms.title"), ld.headline, get("og:title"))
	for _, k := range []string{"citation_author", "dc.creator", "dcterms.creator"} {
		if len(doc.Authors) == 0 {
			doc.Authors = append(doc.Authors, meta[k]...)
		}
	}
	if len(doc.Authors) == 0 {
		doc.Authors = ld.authors
	}
	if len(doc.Authors) == 0 {
		if a := get("author", "article:author"); a != "" && !strings.HasPrefix(a, "http") {
			doc.Authors = []string{a}
		}
	}
	doc.Year = parseYear(firstNonEmpty(
		get("citation_publication_date", "citation_date", "citation_online_date", "citation_year", "dc.date", "dcterms.issued", "dc.date.issued", "dcterms.date"),
		ld.date, get("article:published_time", "og:published_time", "date", "pubdate", "publishdate")))
	doc.Venue = firstNonEmpty(get("citation_journal_title", "citation_conference_title", "citation_publisher", "dc.publisher", "dcterms.publisher"), ld.publisher, get("og:site_name"))
	doc.DOI = firstNonEmpty(get("citation_doi", "dc.identifier.doi"), doiIn(meta["dc.identifier"]), doiIn(meta["dcterms.identifier"]), ld.doi)
	doc.PMID = get("citation_pmid")
	if len(doc.Authors) == 0 {
		doc.Authors = splitAuthors(get("citation_authors")) // the older Highwire form: "A. One; B. Two"
	}
	if get("citation_journal_title") != "" {
		doc.Kind = corpus.KindArticle // a journal article page; opts.Kind still overrides
	}
	doc.Abstract = get("citation_abstract", "dcterms.abstract")
	doc.Keywords = splitList(get("citation_keywords", "keywords", "news_keywords"))
	if lang, ok := q.Find("html").First().Attr("lang"); ok {
		doc.Lang = lang
	} else {
		doc.Lang = firstNonEmpty(get("citation_language", "dc.language", "og:locale"))
	}
	if doc.Title == "" {
		doc.Title = q.Find("title").First().Text()
	}
	names := append([]string{get("og:site_name", "application-name"), doc.Venue}, doc.Authors...)
	doc.Title = stripSiteSuffix(collapse(doc.Title), names...)
}

func doiIn(vals []string) string {
	for _, v := range vals {
		if d := text.DOI(v); d != "" {
			return d
		}
	}
	return ""
}

// ldInfo is what JSON-LD gives about an article.
type ldInfo struct {
	headline, date, publisher, doi string
	authors                        []string
}

// jsonLD reads the first Article-like object of the page's JSON-LD.
func jsonLD(q *goquery.Document) ldInfo {
	var info ldInfo
	q.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			return true
		}
		if obj := findArticle(v, 0); obj != nil {
			info.headline = ldString(obj["headline"])
			if info.headline == "" {
				info.headline = ldString(obj["name"])
			}
			info.date = ldString(obj["datePublished"])
			info.publisher = ldString(obj["publisher"])
			info.doi = text.DOI(ldString(obj["identifier"]) + " " + ldString(obj["sameAs"]))
			info.authors = ldNames(obj["author"])
			return false
		}
		return true
	})
	return info
}

// findArticle finds an object whose @type names an article.
func findArticle(v any, depth int) map[string]any {
	if depth > 5 {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		if isArticleType(t["@type"]) {
			return t
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if o := findArticle(t[k], depth+1); o != nil {
				return o
			}
		}
	case []any:
		for _, x := range t {
			if o := findArticle(x, depth+1); o != nil {
				return o
			}
		}
	}
	return nil
}

func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || t == "Report" || t == "BlogPosting"
	case []any:
		for _, x := range t {
			if isArticleType(x) {
				return true
			}
		}
	}
	return false
}

// ldString returns a JSON-LD value as text: a string, or an object's name.
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return fmt.Sprint(t)
	case map[string]any:
		return firstNonEmpty(ldString(t["name"]), ldString(t["@value"]), ldString(t["value"]))
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	}
	return ""
}

func ldNames(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			out = append(out, ldNames(x)...)
		}
	default:
		if s := ldString(t); s != "" && !strings.HasPrefix(s, "http") {
			out = append(out, s)
		}
	}
	return out
}

// bannerWords in an element's class or id mark cookie and consent banners.
var bannerWords = []string{"cookie", "consent", "gdpr"}

// removeBanners deletes cookie and consent banners (under 3000 bytes of
// text) from the tree, which a readability scorer may keep on short pages.
func removeBanners(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && isBanner(c) && textLen(c, 3000) < 3000 {
			n.RemoveChild(c)
		} else {
			removeBanners(c)
		}
		c = next
	}
}

// textLen returns the bytes of text under n, counting no further than limit.
func textLen(n *html.Node, limit int) int {
	if n.Type == html.TextNode {
		return len(n.Data)
	}
	total := 0
	for c := n.FirstChild; c != nil && total < limit; c = c.NextSibling {
		total += textLen(c, limit-total)
	}
	return total
}

// isBanner reports whether n's class or id names a cookie or consent
// banner (a big element so named is kept: it may wrap the page).
func isBanner(n *html.Node) bool {
	if n.Data == "body" || n.Data == "html" || n.Data == "main" || n.Data == "article" {
		return false
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range bannerWords {
			if strings.Contains(v, w) {
				return true
			}
		}
	}
	return false
}

// findBody returns the <body> element of a parsed page.
func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.Data == "body" {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

// blockTags break text into paragraphs.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "li": true, "ul": true, "ol": true,
	"dl": true, "dt": true, "dd": true, "blockquote": true, "pre": true, "table": true, "tr": true, "thead": true,
	"tbody": true, "tfoot": true, "figure": true, "figcaption": true, "address": true, "hr": true, "caption": true,
	"center": true, "details": true, "summary": true, "fieldset": true, "body": true, "html": true,
}

// dropTags never hold main text.
var dropTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "nav": true, "footer": true, "header": true,
	"aside": true, "form": true, "button": true, "select": true, "input": true, "textarea": true, "svg": true,
	"iframe": true, "object": true, "embed": true, "canvas": true, "head": true, "menu": true,
}

// boilerLines are whole paragraphs (lower-cased) that news sites leave
// inside the article body: widget labels, not text.
var boilerLines = map[string]bool{
	"photo": true, "advertisement": true, "continue reading the main story": true, "what's next": true,
	"share this:": true, "share": true, "read more": true, "read more:": true, "related": true,
	"related articles": true, "related stories": true, "video": true, "media playback is unsupported on your device": true,
}

// renderBlocks writes the text under n to b: block elements become
// paragraphs, h1–h6 headings open sections, inline text is joined.
func renderBlocks(b *builder, n *html.Node) {
	var inline strings.Builder
	flush := func() {
		if p := collapse(inline.String()); !boilerLines[strings.ToLower(p)] {
			b.para(p)
		}
		inline.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			inline.WriteString(n.Data)
			return
		case html.ElementNode:
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			return
		}
		tag := n.Data
		switch {
		case dropTags[tag]:
			return
		case len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6':
			flush()
			var h strings.Builder
			textOf(n, &h)
			if hd := collapse(h.String()); !boilerLines[strings.ToLower(hd)] {
				b.heading(hd)
			}
			return
		case tag == "br":
			inline.WriteByte('\n')
			return
		case tag == "td" || tag == "th":
			inline.WriteByte(' ')
		}
		block := blockTags[tag]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		} else if tag == "td" || tag == "th" {
			inline.WriteByte(' ')
		}
	}
	walk(n)
	flush()
}

// textOf appends the text under n.
func textOf(n *html.Node, sb *strings.Builder) {
	if n.Type == html.TextNode {
		sb.WriteString(n.Data)
		return
	}
	if n.Type == html.ElementNode && dropTags[n.Data] {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		textOf(c, sb)
	}
}
