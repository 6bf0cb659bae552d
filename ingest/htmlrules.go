package ingest

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	articleID = regexp.MustCompile(`(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text`)
	articleCl = regexp.MustCompile(`post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper|article-?text|articleText|(?:entry|page|text|article|art)-content|article__content|article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container`)
	storyID   = regexp.MustCompile(`^primary|story-body`)
	storyCl   = regexp.MustCompile(`(?i:fulltext)|^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post|main-column|wpb_text_column|story-body|field-body`)
	mainID    = regexp.MustCompile(`content-main|content-body|contentBody|[mM]ain-[cC]ontent`)
	mainCl    = regexp.MustCompile(`content[-_]main|content(?:-|__)body|[mM]ain-[cC]ontent|page-[cC]ontent|Page-[cC]ontent`)
)

var bodyRules = []bodyRule{
	func(n *html.Node, tag, id, cl string) bool {
		return cl == "post" || cl == "entry" || attrOf(n, "itemprop") == "articleBody" || id == "articleContent" ||
			articleID.MatchString(id) || articleCl.MatchString(cl)
	},
	func(n *html.Node, tag, id, cl string) bool { return tag == "article" },
	func(n *html.Node, tag, id, cl string) bool {
		switch {
		case attrOf(n, "role") == "article", id == "article", id == "story":
			return true
		case cl == "postarea", cl == "art-postcontent", cl == "text", cl == "cell", cl == "story":
			return true
		}
		return storyID.MatchString(id) || storyCl.MatchString(cl)
	},
	func(n *html.Node, tag, id, cl string) bool {
		return id == "content" || cl == "content" || mainID.MatchString(id) || mainCl.MatchString(cl)
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

// textStats counts the text under n outside skipped nodes, in runes with
// white space runs counted once: all of it, and the part inside links.
type textStats struct {
	chars, linkChars int
	links            []int // the length of each link's text
	images           bool
}

// measure adds the text under n to s.
func (x *extraction) measure(n *html.Node, s *textStats, inLink bool, space *bool) {
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if unicode.IsSpace(r) {
				if !*space {
					*space = true
					s.chars++
					if inLink {
						s.linkChars++
					}
				}
				continue
			}
			*space = false
			s.chars++
			if inLink {
				s.linkChars++
			}
		}
		return
	case html.ElementNode:
		if x.skip[n] {
			return
		}
		if n.Data == "a" && !inLink {
			before := s.linkChars
			sp := true
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				x.measure(c, s, true, &sp)
			}
			l := s.linkChars - before
			if sp && l > 0 {
				l-- // a trailing space is not the link's
			}
			s.links = append(s.links, l)
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.measure(c, s, inLink, space)
	}
}

// stats measures the text under n.
func (x *extraction) stats(n *html.Node) textStats {
	var s textStats
	space := true
	x.measure(n, &s, false, &space)
	if space && s.chars > 0 {
		s.chars-- // trailing space
	}
	return s
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
	if len(s.links) == 0 {
		return false, false, s
	}
	if len(s.links) == 1 && s.links[0] > 100 && float64(s.links[0]) > 0.9*float64(s.chars) {
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
	nonEmpty, short, linkLen := 0, 0, 0
	for _, l := range s.links {
		if l > 0 {
			nonEmpty++
			linkLen += l
			if l < 10 {
				short++
			}
		}
	}
	if s.chars < limit {
		if nonEmpty == 0 {
			return true, true, s
		}
		if float64(linkLen) > 0.8*float64(s.chars) || (nonEmpty > 1 && float64(short)/float64(nonEmpty) > 0.8) {
			return true, true, s
		}
		return false, true, s
	}
	if len(s.links) > 4 && float64(linkLen) > 0.9*float64(s.chars) && linkLen < 100*nonEmpty && !x.paragraphListing(n) {
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
