package ingest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/text"

	"golang.org/x/net/html"
)

// This file holds the rules of the main-text extractor (htmlmain.go):
// which elements never hold main text, which names mark boilerplate, which
// containers hold the article, and the link-density test. They follow
// trafilatura's (its xpaths.py and htmlprocessing.py), written for
// golang.org/x/net/html nodes: rules on tag names and on class, id, role
// and style attributes, never on a site or a page.

// cleanTags are removed before anything else: they never hold main text.
var cleanTags = map[string]bool{
	"aside": true, "embed": true, "footer": true, "head": true, "iframe": true, "menu": true, "object": true,
	"script": true, "style": true, "applet": true, "audio": true, "canvas": true, "figure": true, "map": true,
	"picture": true, "svg": true, "video": true, "area": true, "blink": true, "button": true, "datalist": true,
	"dialog": true, "frame": true, "frameset": true, "fieldset": true, "link": true, "input": true, "ins": true,
	"label": true, "legend": true, "marquee": true, "math": true, "menuitem": true, "nav": true, "noindex": true,
	"noscript": true, "optgroup": true, "option": true, "output": true, "param": true, "progress": true,
	"rp": true, "rt": true, "rtc": true, "select": true, "source": true, "track": true, "textarea": true,
	"time": true, "use": true, "template": true, "title": true,
}

// attrOf returns n's attribute key, "" if absent.
func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// isHidden reports whether n is hidden from readers.
func isHidden(n *html.Node) bool {
	if hasAttr(n, "hidden") || attrOf(n, "aria-hidden") == "true" {
		return true
	}
	st := strings.ToLower(attrOf(n, "style"))
	if st == "" {
		return false
	}
	st = strings.ReplaceAll(st, " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// names finds the tokens of a rule in a class or id attribute: a token
// starting with "^" at the attribute's start, the others anywhere (the
// substring tests of trafilatura's XPath rules, without regexps).
type names struct{ prefix, infix []string }

func newNames(tokens ...string) names {
	var m names
	for _, t := range tokens {
		if p, ok := strings.CutPrefix(t, "^"); ok {
			m.prefix = append(m.prefix, p)
		} else {
			m.infix = append(m.infix, t)
		}
	}
	return m
}

func (m names) match(s string) bool {
	if s == "" {
		return false
	}
	for _, p := range m.prefix {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	for _, t := range m.infix {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// commentsID and commentsClass name reader-comment sections.
var (
	commentsID    = newNames("^comment", "^Comment", "^comol", "^disqus_thread", "^dsq-comments")
	commentsClass = newNames("^comment", "^Comment", "article-comments", "post-comments")
)

// isComments reports whether n is a reader-comment section.
func isComments(n *html.Node) bool {
	switch n.Data {
	case "div", "ul", "ol", "dl", "section", "details":
	default:
		return false
	}
	return commentsID.match(attrOf(n, "id")) || commentsClass.match(attrOf(n, "class"))
}

// The names of boilerplate containers, in id and class attributes.
var (
	discardID = newNames(append(slices.Clone(discardBoth), "footer", "Footer", "share", "Share", "nav", "Nav", "menu",
		"related", "message-container", "premium", "cookie", "teaser", "Teaser", "caption")...)
	discardCl = newNames(append(slices.Clone(discardBoth), "^nav", "^post-nav", "subnav", "avigation", "navbar", "navbox",
		"menu", "bar", " ad ", "-ad-", "outbrain", "taboola", "criteo", "paidcontent", "paid-content", "widget", "footer",
		"Footer", "byline", "Byline", "share-", "sociable", "embed", "tag-list", "consent", "cookie", "modal-content",
		"permission", "elated", "next-", "-stories", "most-popular", "meta", "rating", "attachment", "timestamp",
		"user-info", "user-profile", "-icon", "article-infos", "message-container", "slide", "viewport", "overlay",
		"options", "expand", "obfuscated", "blurred", "teaser", "Teaser", "caption")...)
	// hiddenCl and hiddenID name hidden, reply and form-message elements, whatever their tag.
	hiddenCl = newNames("^hide-", "^reply-", "comments-title", "nocomments", "-reply-", "message", "akismet",
		"suggest-links", "-hide-", "hide-print", " hidden", " hide", "noprint", "notloaded")
	hiddenID = newNames("^reply-", "hidden", "reader-comments", "akismet")
)

// discardBoth are the tokens of both discardID and discardCl.
var discardBoth = []string{"^shar", "social", "viral", "newsletter", "syndication", "tags", "topics", "sidebar",
	"banner", "breadcrumb", "bread-crumb", "button", "author"}

// discardable reports whether the tag can be a boilerplate container
// named by its class or id (divs, list items, lists, paragraphs,
// sections and spans).
func discardable(tag string) bool {
	switch tag {
	case "div", "li", "dt", "dd", "ul", "ol", "dl", "p", "section", "span":
		return true
	}
	return false
}

// isBoilerplate reports whether n's attributes name navigation, footers,
// share and social widgets, related links, bylines, tags, teasers, image
// captions and the like.
func isBoilerplate(n *html.Node) bool {
	cl, id := attrOf(n, "class"), attrOf(n, "id")
	if hiddenCl.match(cl) || hiddenID.match(id) {
		return true
	}
	if !discardable(n.Data) {
		return false
	}
	if strings.Contains(strings.ToLower(attrOf(n, "role")), "nav") || hasAttr(n, "data-lp-replacement-content") ||
		attrOf(n, "itemprop") == "author" {
		return true
	}
	return discardID.match(id) || discardCl.match(cl)
}

// A bodyRule picks the container of the main text among article, div,
// main and section elements (and only those); rules are tried in order.
type bodyRule func(n *html.Node, tag, id, cl string) bool

var (
	articleID = text.Regexp(`(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text`)
	articleCl = text.Regexp(`post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper|article-?text|articleText|(?:entry|page|text|article|art)-content|article__content|article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container`)
	storyID   = text.Regexp(`^primary|story-body`)
	storyCl   = text.Regexp(`(?i:fulltext)|^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post|main-column|wpb_text_column|story-body|field-body`)
	mainID    = text.Regexp(`content-main|content-body|contentBody|[mM]ain-[cC]ontent`)
	mainCl    = text.Regexp(`content[-_]main|content(?:-|__)body|[mM]ain-[cC]ontent|page-[cC]ontent|Page-[cC]ontent`)
)

var bodyRules = []bodyRule{
	func(n *html.Node, tag, id, cl string) bool {
		return cl == "post" || cl == "entry" || attrOf(n, "itemprop") == "articleBody" || id == "articleContent" ||
			articleID().MatchString(id) || articleCl().MatchString(cl)
	},
	func(n *html.Node, tag, id, cl string) bool { return tag == "article" },
	func(n *html.Node, tag, id, cl string) bool {
		switch {
		case attrOf(n, "role") == "article", id == "article", id == "story":
			return true
		case cl == "postarea", cl == "art-postcontent", cl == "text", cl == "cell", cl == "story":
			return true
		}
		return storyID().MatchString(id) || storyCl().MatchString(cl)
	},
	func(n *html.Node, tag, id, cl string) bool {
		return id == "content" || cl == "content" || mainID().MatchString(id) || mainCl().MatchString(cl)
	},
	func(n *html.Node, tag, id, cl string) bool {
		return tag == "main" || (tag != "main" && (strings.HasPrefix(cl, "main") || strings.HasPrefix(id, "main") ||
			strings.HasPrefix(attrOf(n, "role"), "main")))
	},
}

// isContainer reports whether tag can be picked by a body rule.
func isContainer(tag string) bool {
	return tag == "article" || tag == "div" || tag == "main" || tag == "section"
}

// textStats sums up the text under a node outside set-aside nodes, in
// runes with each run of white space counted as one: its length (chars,
// trimmed), and its links: how many, how many hold text, how many hold
// less than 10 characters, their total length and the first one's.
type textStats struct {
	chars                           int
	links, nonEmpty, short, linkLen int
	firstLink                       int
	n                               int  // length before trimming
	lead, trail, any                bool // starts or ends with white space; holds any rune
}

// join appends the text summed up in b to a's.
func (a textStats) join(b textStats) textStats {
	out := a
	out.links += b.links
	out.nonEmpty += b.nonEmpty
	out.short += b.short
	out.linkLen += b.linkLen
	if a.links == 0 {
		out.firstLink = b.firstLink
	}
	switch {
	case !b.any:
	case !a.any:
		out.n, out.lead, out.trail, out.any = b.n, b.lead, b.trail, true
	default:
		out.n = a.n + b.n
		if a.trail && b.lead {
			out.n--
		}
		out.trail = b.trail
	}
	out.chars = out.n
	if out.any {
		if out.lead {
			out.chars--
		}
		if out.trail && out.n > 1 {
			out.chars--
		}
		out.chars = max(out.chars, 0)
	}
	return out
}

// textOnly sums up one text node.
func textOnly(s string) textStats {
	var t textStats
	space := false
	for i, r := range s {
		t.any = true
		if unicode.IsSpace(r) {
			if i == 0 {
				t.lead = true
			}
			if !space {
				t.n++
			}
			space = true
			continue
		}
		space = false
		t.n++
	}
	t.trail = space
	return t.join(textStats{}) // sets chars
}

// stats sums up the text under n, memoised until the set-aside nodes
// change (x.mark).
func (x *extraction) stats(n *html.Node) textStats {
	if s, ok := x.memo[n]; ok {
		return s
	}
	var s textStats
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			s = s.join(textOnly(c.Data))
		case c.Type == html.ElementNode && x.skip[c]:
		case c.Type == html.ElementNode && c.Data == "a":
			l := x.stats(c)
			link := textStats{n: l.n, lead: l.lead, trail: l.trail, any: l.any, links: 1, firstLink: l.chars, linkLen: l.chars}
			if l.chars > 0 {
				link.nonEmpty = 1
				if l.chars < 10 {
					link.short = 1
				}
			}
			s = s.join(link)
		default:
			s = s.join(x.stats(c))
		}
	}
	if x.memo == nil {
		x.memo = map[*html.Node]textStats{}
	}
	x.memo[n] = s
	return s
}

// mark sets n aside, which changes the text its ancestors hold.
func (x *extraction) mark(n *html.Node, on bool) {
	if on {
		x.skip[n] = true
	} else {
		delete(x.skip, n)
	}
	clear(x.memo)
}

// nextElement returns n's next sibling element, nil if none.
func nextElement(n *html.Node) *html.Node {
	for c := n.NextSibling; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

// linkDense reports whether n is mostly links (a menu, a list of related
// articles, a tag cloud), by trafilatura's link-density test, and whether
// it holds links at all.
func (x *extraction) linkDense(n *html.Node) (dense, hasLinks bool, s textStats) {
	s = x.stats(n)
	if s.links == 0 {
		return false, false, s
	}
	if s.links == 1 && s.firstLink > 100 && float64(s.firstLink) > 0.9*float64(s.chars) {
		return true, true, s
	}
	limit := 100
	switch {
	case n.Data == "p" && nextElement(n) == nil:
		limit = 60
	case n.Data == "p":
		limit = 30
	case nextElement(n) == nil:
		limit = 300
	}
	nonEmpty, short, linkLen := s.nonEmpty, s.short, s.linkLen
	if s.chars < limit {
		if nonEmpty == 0 {
			return true, true, s
		}
		if float64(linkLen) > 0.8*float64(s.chars) || (nonEmpty > 1 && float64(short)/float64(nonEmpty) > 0.8) {
			return true, true, s
		}
		return false, true, s
	}
	if s.links > 4 && float64(linkLen) > 0.9*float64(s.chars) && linkLen < 100*nonEmpty && !x.paragraphListing(n) {
		return true, true, s
	}
	return false, true, s
}

// paragraphListing reports whether every link under n is alone in a <p>
// (a listing of documents rather than a link farm).
func (x *extraction) paragraphListing(n *html.Node) bool {
	ok := true
	var walk func(m *html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil && ok; c = c.NextSibling {
			if c.Type != html.ElementNode || x.skip[c] {
				continue
			}
			if c.Data == "a" {
				p := c.Parent
				if p == nil || p.Data != "p" || countTag(p, "a") > 1 {
					ok = false
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return ok
}

func countTag(n *html.Node, tag string) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if c.Data == tag {
				k++
			}
			k += countTag(c, tag)
		}
	}
	return k
}

// runeLen counts the runes of s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
