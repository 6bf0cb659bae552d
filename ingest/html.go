package ingest

import (
	"bytes"
	"context"
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

// extractHTML reads a web page: charset, metadata, then the main content
// (pickMain: own rules, readability, a baseline), with headings as sections.
func extractHTML(ctx context.Context, doc *corpus.Document, data []byte, contentType string) {
	text, _, warn := decodeHTML(data, contentType)
	if warn != "" {
		doc.Warnings = append(doc.Warnings, warn)
	}
	if ctx.Err() != nil {
		return
	}
	root, err := html.Parse(ctxReader{ctx, strings.NewReader(text)})
	if ctx.Err() != nil {
		return
	}
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
	own := ownBlocks(findBody(root)) // before readability changes the tree
	var algo []block
	p := readability.NewParser()
	art, err := p.ParseAndMutate(root, pageURL)
	if ctx.Err() != nil {
		return
	}
	if err == nil && art.Node != nil {
		algo = blocksOf(art.Node)
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
	bs, extractor, warn := pickMain(own, algo, text, doc.Title)
	if err != nil && extractor != "rules" {
		warn = "readability: " + err.Error()
	}
	if warn != "" {
		doc.Warnings = append(doc.Warnings, warn)
	}
	doc.Extractor = extractor
	var b builder
	for _, bl := range bs {
		if bl.head {
			b.heading(bl.text)
		} else {
			b.para(bl.text)
		}
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
