package ingest

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minExtracted is the fewest characters of main text an extraction must
// give before a fallback is tried (trafilatura's MIN_EXTRACTED_SIZE).
const minExtracted = 250

// A block is one paragraph or heading of extracted main text.
type block struct {
	text  string
	head  bool
	links int // bytes of text inside links (blocksOf only)
}

// blocksLen returns the characters (runes) of the blocks' text.
func blocksLen(bs []block) int {
	n := 0
	for _, b := range bs {
		n += runeLen(b.text) + 1
	}
	return max(n-1, 0)
}

// An extraction is the state of the rule-based extractor over one page:
// the nodes it has set aside (boilerplate is marked, never removed, so
// that the same tree can go on to readability).
type extraction struct {
	skip    map[*html.Node]bool
	memo    map[*html.Node]textStats // stats of nodes, for the current skip
	divMode bool                     // loose text in containers counts (the page has little <p> text)
	keep    int                      // >0 inside list items, quotes and tables: loose text counts
	inline  strings.Builder
	keepRun bool // the loose run holds formatting or follows a line break
	out     []block
	paras   int // paragraphs taken from <p>
	tables  int // tables taken
}

// ownBlocks extracts the main text of body by rules: set aside what never
// holds main text (cleanTags, hidden elements, reader comments), take the
// first container a body rule picks, prune its boilerplate (named by class
// or id, or dense in links) and keep its paragraphs, headings, lists,
// quotes and tables. When that gives little text, paragraphs are
// recovered from the whole page.
func ownBlocks(body *html.Node) candidate {
	if body == nil {
		return candidate{}
	}
	x := &extraction{skip: map[*html.Node]bool{}}
	x.clean(body)
	cleaned := maps.Clone(x.skip)
	for _, rule := range bodyRules {
		c := x.find(body, rule)
		if c == nil {
			continue
		}
		x.prune(c)
		if !x.hasChildElement(c) {
			continue
		}
		x.divMode = x.pText(body) < 3*minExtracted
		prev, paras, tables := x.out, x.paras, x.tables
		x.out, x.paras, x.tables = nil, 0, 0
		x.walk(c)
		x.flush()
		x.trimHeadings()
		if len(x.out) > 1 {
			break
		}
		if len(x.out) == 0 {
			// a container with one paragraph at most (a widget
			// named "content") gives way to the next rule's
			x.out, x.paras, x.tables = prev, paras, tables
		}
	}
	if len(x.out) == 0 || blocksLen(x.out) < minExtracted {
		x.recoverParagraphs(body, cleaned)
	}
	return candidate{blocks: x.out, paras: x.paras, tables: x.tables}
}

// A candidate is the main text found by the rules, with what the choice
// between extractors looks at: how many paragraphs and tables it holds.
type candidate struct {
	blocks        []block
	paras, tables int
}

// pickMain chooses the main text of a page, as trafilatura does, between
// the rules' candidate (own) and readability's article (algo): the rules
// win unless they found nothing, readability found more than twice as
// much, or the rules' text has no paragraphs (or more tables than
// paragraphs) while readability's is substantial. The rules' text is
// then compared with readability's (alignHead, alignTail, agree);
// readability's, when chosen, loses what the rules call boilerplate
// (sanitize). When the choice is still short, the baseline is taken if
// longer. page is the decoded page, parsed anew where needed (readability
// changed the first tree); a heading that repeats the title (kept as
// metadata) and whole paragraphs that are widget labels are dropped.
// extractor names the source: "rules", "readability" or "html-body".
func pickMain(own candidate, algo []block, page, title string) (bs []block, extractor, warn string) {
	lo, la := blocksLen(own.blocks), blocksLen(algo)
	useAlgo := false
	switch {
	case la == 0 || la == lo:
	case lo > 2*la:
	case lo == 0:
		useAlgo = true
	case la > 2*lo && !strings.HasPrefix(algo[0].text, "{"):
		useAlgo = true
	case la > 2*minExtracted && (own.paras == 0 || own.tables > own.paras):
		useAlgo = true
	}
	bs, extractor = own.blocks, "rules"
	if useAlgo {
		bs, extractor = sanitize(algo, page), "readability"
	} else if la > 0 {
		bs = agree(alignTail(alignHead(bs, algo), algo), algo)
	}
	if blocksLen(bs) < minExtracted {
		if base := baseline(page); blocksLen(base) > blocksLen(bs) {
			bs, extractor = base, "html-body"
			warn = "little main text found; used the page's baseline"
		}
	}
	kept := bs[:0:0]
	titled := false
	for i, b := range bs {
		if boilerLines[strings.ToLower(b.text)] {
			continue
		}
		if b.head && !titled && i < 3 && title != "" && similarity(title, b.text) > 0.75 {
			titled = true // the title, kept as metadata
			continue
		}
		kept = append(kept, b)
	}
	return kept, extractor, warn
}

// anchorLen is the fewest bytes of a paragraph that, found in both
// extractions, shows where they agree.
const anchorLen = 40

// alignHead makes the rules' text start where readability's starts when
// both hold the same paragraph near their start: the rules' paragraphs
// before it that readability left out (a dateline, a topic tag, a teaser)
// are dropped, and readability's before it that the rules missed (a
// standfirst outside the article body) are added.
func alignHead(own, algo []block) []block {
	atext := joinBlocks(algo)
	i := slices.IndexFunc(own, func(b block) bool { return len(b.text) >= anchorLen && strings.Contains(atext, b.text) })
	if i < 0 || i > 5 {
		return own
	}
	j := slices.IndexFunc(algo, func(b block) bool {
		return strings.Contains(b.text, own[i].text) || strings.Contains(own[i].text, b.text) && len(b.text) >= anchorLen
	})
	if j < 0 || j > 5 {
		return own
	}
	otext := joinBlocks(own)
	var out []block
	for _, b := range algo[:j] {
		if !b.head && runeLen(b.text) >= 2*anchorLen && 2*b.links < len(b.text) && !strings.Contains(otext, b.text) {
			out = append(out, b)
		}
	}
	for _, b := range own[:i] {
		if (!b.head && len(b.text) >= anchorLen) || slices.ContainsFunc(algo, func(a block) bool { return a.text == b.text }) ||
			(len(b.text) >= anchorLen && strings.Contains(atext, b.text)) {
			out = append(out, b)
		}
	}
	return append(out, own[i:]...)
}

// alignTail drops the short paragraphs and headings after the last one
// both extractions hold that readability left out: "Read more:", "Updated
// on", a sources label.
func alignTail(own, algo []block) []block {
	atext := joinBlocks(algo)
	i := len(own) - 1
	for ; i >= 0; i-- {
		if len(own[i].text) >= anchorLen && strings.Contains(atext, own[i].text) {
			break
		}
	}
	if i < 0 {
		return own
	}
	out := own[:i+1]
	for _, b := range own[i+1:] {
		if (!b.head && len(b.text) >= anchorLen) || slices.ContainsFunc(algo, func(a block) bool { return a.text == b.text }) {
			out = append(out, b)
		}
	}
	return out
}

// agree drops, when the two extractions hold mostly the same text, the
// rules' short paragraphs that readability left out.
func agree(own, algo []block) []block {
	atext := joinBlocks(algo)
	shared, total := 0, 0
	for _, b := range own {
		total += len(b.text)
		if strings.Contains(atext, b.text) {
			shared += len(b.text)
		}
	}
	if total == 0 || float64(shared) < agreeShare*float64(total) {
		return own
	}
	out := own[:0:0]
	for _, b := range own {
		if runeLen(b.text) >= agreeLen || strings.Contains(atext, b.text) {
			out = append(out, b)
		}
	}
	return out
}

// agreeShare is the share of the rules' text that must be in
// readability's for agree to act; agreeLen the characters from which a
// paragraph is kept whatever readability says.
const (
	agreeShare = 0.9
	agreeLen   = 100
)

func joinBlocks(bs []block) string {
	var sb strings.Builder
	for _, b := range bs {
		sb.WriteString(b.text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// similarity is the share of b's words (by length) that are also in a, as
// readability measures a heading against the title.
func similarity(a, b string) float64 {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	inA := map[string]bool{}
	for _, w := range split(a) {
		inA[w] = true
	}
	wb := split(b)
	if len(wb) == 0 {
		return 0
	}
	var uniq []string
	for _, w := range wb {
		if !inA[w] {
			uniq = append(uniq, w)
		}
	}
	return 1 - float64(len(strings.Join(uniq, " ")))/float64(len(strings.Join(wb, " ")))
}

// sanitize drops from readability's blocks those the rules set aside as
// boilerplate in the whole page (navigation, share and related-links
// widgets, captions, link lists) and did not keep elsewhere. page is the
// decoded page, parsed anew: readability changed the first tree.
func sanitize(algo []block, page string) []block {
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return algo
	}
	removeBanners(root)
	body := findBody(root)
	if body == nil {
		return algo
	}
	x := &extraction{skip: map[*html.Node]bool{}}
	x.clean(body)
	x.prune(body)
	x.divMode = true
	x.walk(body)
	x.flush()
	kept := joinBlocks(x.out)
	var dropped strings.Builder
	for n := range x.skip {
		dropped.WriteString(fold(allText(n)))
		dropped.WriteByte('\n')
	}
	drop := dropped.String()
	out := algo[:0:0]
	for _, b := range algo {
		if strings.Contains(drop, b.text) && !strings.Contains(kept, b.text) {
			continue
		}
		out = append(out, b)
	}
	if 2*blocksLen(out) < blocksLen(algo) {
		return algo // the rules would drop most of it: their names do not fit this page
	}
	return out
}

// allText returns all the text under n.
func allText(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
			return
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return sb.String()
}

// baseline returns, as trafilatura's baseline does, the first of these
// that holds more than 100 characters: the page's JSON-LD articleBody,
// its <article> elements (the longest and those at least a fifth as
// long), its paragraphs, quotes and preformatted blocks, else the text
// of its whole body.
func baseline(page string) []block {
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil
	}
	if s := ldBody(root); runeLen(s) > 100 {
		var out []block
		for _, p := range strings.Split(s, "\n") {
			if p = fold(p); p != "" {
				out = append(out, block{text: p})
			}
		}
		return out
	}
	removeBanners(root)
	body := findBody(root)
	if body == nil {
		return nil
	}
	var articles [][]block
	longest := 0
	var paras []block
	seen := map[string]bool{}
	var walk func(n *html.Node, inArticle bool)
	walk = func(n *html.Node, inArticle bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || dropTags[c.Data] {
				continue
			}
			switch c.Data {
			case "article":
				if !inArticle {
					if bs := blocksOf(c); blocksLen(bs) > 100 {
						articles = append(articles, bs)
						longest = max(longest, blocksLen(bs))
					}
				}
				walk(c, true)
				continue
			case "p", "blockquote", "pre", "code", "q":
				var sb strings.Builder
				textOf(c, &sb)
				if t := fold(sb.String()); t != "" && !seen[t] {
					seen[t] = true
					paras = append(paras, block{text: t})
				}
				continue
			}
			walk(c, inArticle)
		}
	}
	walk(body, false)
	var out []block
	for _, a := range articles {
		if 5*blocksLen(a) >= longest {
			out = append(out, a...)
		}
	}
	if blocksLen(out) > 100 {
		return out
	}
	if blocksLen(paras) > 100 {
		return paras
	}
	return blocksOf(body)
}

// clean marks the elements that never hold main text.
func (x *extraction) clean(body *html.Node) {
	var forms []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.Data == "noscript" && unwrapNoscript(c) {
				walk(c)
				continue
			}
			if cleanTags[c.Data] || isHidden(c) || isComments(c) {
				x.skip[c] = true
				continue
			}
			if c.Data == "form" {
				forms = append(forms, c)
			}
			walk(c)
		}
	}
	walk(body)
	if len(forms) == 0 {
		return
	}
	// A form that holds most of the page wraps it (ASP.NET pages); others
	// are search boxes, logins and newsletter sign-ups.
	total := x.stats(body).chars
	for _, f := range forms {
		if x.stats(f).chars <= total/2 {
			x.mark(f, true)
		}
	}
}

// unwrapNoscript parses the markup of a <noscript> that holds a page's
// text for readers without scripts (blog platforms render the post by
// script and put it there too), and reports whether it did. Noscripts
// with less text (tracking pixels, "enable JavaScript") stay as they are.
func unwrapNoscript(n *html.Node) bool {
	c := n.FirstChild
	if c == nil || c.Type != html.TextNode || c.NextSibling != nil || len(c.Data) < 500 || !strings.Contains(c.Data, "<p") {
		return false
	}
	nodes, err := html.ParseFragment(strings.NewReader(c.Data), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return false
	}
	n.RemoveChild(c)
	for _, m := range nodes {
		n.AppendChild(m)
	}
	return true
}

// find returns the first container under n, in document order, that rule
// picks, nil if none.
func (x *extraction) find(n *html.Node, rule bodyRule) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || x.skip[c] {
			continue
		}
		if isContainer(c.Data) && rule(c, c.Data, attrOf(c, "id"), attrOf(c, "class")) {
			return c
		}
		if f := x.find(c, rule); f != nil {
			return f
		}
	}
	return nil
}

func (x *extraction) hasChildElement(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !x.skip[c] {
			return true
		}
	}
	return false
}

// pText returns the characters of <p> text under n.
func (x *extraction) pText(n *html.Node) int {
	total := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || x.skip[c] {
				continue
			}
			if c.Data == "p" {
				total += x.stats(c).chars
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return total
}

// prune marks the boilerplate under n: containers named as boilerplate
// (unless that would leave less than a seventh of n's text), then divs,
// lists and paragraphs dense in links, and tables of links.
func (x *extraction) prune(n *html.Node) {
	before := x.stats(n).chars
	var marked []*html.Node
	var walk func(m *html.Node)
	walk = func(m *html.Node) {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || x.skip[c] {
				continue
			}
			if isBoilerplate(c) {
				x.skip[c] = true
				marked = append(marked, c)
				continue
			}
			walk(c)
		}
	}
	walk(n)
	clear(x.memo)
	// Marking must leave a seventh of the text: if it does not, the
	// biggest marked elements (a wrapper named "hide" or "sidebar" that
	// holds the article) are given back, biggest first.
	if after := x.stats(n).chars; len(marked) > 0 && after <= before/7 {
		sizes := make(map[*html.Node]int, len(marked))
		for _, m := range marked {
			sizes[m] = x.stats(m).chars // the text under m, whether m is set aside or not
		}
		slices.SortStableFunc(marked, func(a, b *html.Node) int { return sizes[b] - sizes[a] })
		for _, m := range marked {
			if after > before/7 {
				break
			}
			x.mark(m, false)
			after += sizes[m]
		}
	}
	for range 2 {
		x.pruneLinks(n, func(tag string) bool { return tag == "div" }, true)
		x.pruneLinks(n, func(tag string) bool { return tag == "ul" || tag == "ol" || tag == "dl" }, false)
		x.pruneLinks(n, func(tag string) bool { return tag == "p" }, false)
	}
	x.each(n, func(t *html.Node) bool {
		if t.Data != "table" {
			return true
		}
		s := x.stats(t)
		link := s.linkLen
		if s.chars >= 200 && ((s.chars < 1000 && float64(link) > 0.8*float64(s.chars)) || (s.chars >= 1000 && float64(link) > 0.5*float64(s.chars))) {
			x.mark(t, true)
			return false
		}
		return true
	})
}

// pruneLinks marks the elements under n whose tag is chosen and whose
// text is mostly links; with backtracking, also short ones holding links
// and at least three child elements.
func (x *extraction) pruneLinks(n *html.Node, tag func(string) bool, backtracking bool) {
	var del []*html.Node
	x.each(n, func(e *html.Node) bool {
		if !tag(e.Data) {
			return true
		}
		dense, links, s := x.linkDense(e)
		if !dense && backtracking && links && s.chars > 0 && s.chars < 100 && x.childElements(e) >= 3 && s.nonEmpty > 0 {
			dense = true
		}
		if dense && e.Data == "p" && e.Parent != nil {
			switch e.Parent.Data {
			case "li", "td", "th", "dd", "dt":
				dense = false
			}
		}
		if dense {
			del = append(del, e)
		}
		return true
	})
	for _, e := range del {
		x.skip[e] = true
	}
	clear(x.memo)
}

func (x *extraction) childElements(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !x.skip[c] {
			k++
		}
	}
	return k
}

// each calls fn on the elements under n that are not set aside, in
// document order; fn returning false skips the element's descendants.
func (x *extraction) each(n *html.Node, fn func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || x.skip[c] {
			continue
		}
		if fn(c) {
			x.each(c, fn)
		}
	}
}

// formatTags are inline formatting: their text counts even outside
// paragraphs.
var formatTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "kbd": true, "samp": true, "tt": true,
	"var": true, "sub": true, "sup": true, "del": true, "s": true, "strike": true,
}

// inlineTags do not break a paragraph.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "acronym": true, "bdi": true, "bdo": true, "big": true, "cite": true, "code": true,
	"data": true, "dfn": true, "font": true, "img": true, "mark": true, "nobr": true, "q": true, "ruby": true,
	"small": true, "span": true, "wbr": true,
}

// walk collects the blocks under n.
func (x *extraction) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			x.inline.WriteString(c.Data)
			continue
		case html.ElementNode:
		default:
			continue
		}
		if x.skip[c] {
			continue
		}
		tag := c.Data
		switch {
		case isHeading(tag):
			x.flush()
			x.emit(x.text(c), true)
		case tag == "p":
			x.flush()
			if x.labelledLink(c) {
				continue
			}
			if x.emit(x.text(c), false) {
				x.paras++
			}
		case tag == "br" || tag == "hr":
			x.inline.WriteByte('\n')
			x.keepRun = true
		case formatTags[tag]:
			x.keepRun = true
			x.walk(c)
		case inlineTags[tag]:
			x.walk(c)
		case tag == "table":
			x.flush()
			before := len(x.out)
			x.keep++
			x.walk(c)
			x.flush()
			x.keep--
			if len(x.out) > before {
				x.tables++
			}
		case tag == "td" || tag == "th":
			x.inline.WriteByte(' ')
			x.walk(c)
			x.inline.WriteByte(' ')
		case tag == "li" || tag == "dt" || tag == "dd" || tag == "blockquote" || tag == "pre" || tag == "tr" || tag == "caption":
			x.flush()
			x.keep++
			x.walk(c)
			x.flush()
			x.keep--
		default: // div, section and other block containers
			x.flush()
			x.walk(c)
			x.flush()
		}
	}
}

// flush ends the loose run of inline text, keeping it as a paragraph when
// loose text counts there.
func (x *extraction) flush() {
	if x.inline.Len() == 0 {
		x.keepRun = false
		return
	}
	if x.divMode || x.keep > 0 || x.keepRun {
		if x.emit(x.inline.String(), false) && x.keep == 0 {
			x.paras++ // a paragraph in all but name
		}
	}
	x.inline.Reset()
	x.keepRun = false
}

// emit appends a block of collapsed text, reporting whether it had any.
func (x *extraction) emit(s string, head bool) bool {
	s = fold(s)
	if s == "" {
		return false
	}
	x.out = append(x.out, block{text: s, head: head})
	return true
}

// text returns the text under n outside set-aside nodes; line breaks
// become spaces, cells are spaced.
func (x *extraction) text(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				sb.WriteString(c.Data)
			case html.ElementNode:
				if x.skip[c] {
					continue
				}
				if c.Data == "br" || c.Data == "td" || c.Data == "th" {
					sb.WriteByte(' ')
				}
				walk(c)
				if !inlineTags[c.Data] && !formatTags[c.Data] {
					sb.WriteByte(' ')
				}
			}
		}
	}
	walk(n)
	return sb.String()
}

// trimHeadings drops headings and labels ("Read more:") at the end of
// the blocks: they introduce nothing that was kept.
func (x *extraction) trimHeadings() {
	for len(x.out) > 0 && isLabel(x.out[len(x.out)-1]) {
		x.out = x.out[:len(x.out)-1]
	}
}

// isLabel reports whether b is a heading or a short paragraph ending in
// a colon.
func isLabel(b block) bool {
	return b.head || (strings.HasSuffix(b.text, ":") && runeLen(b.text) < 60)
}

// labelledLink reports whether the paragraph p is a link behind a short
// label ("Read more: …", "Lesen Sie auch: …"), a pointer to another page.
func (x *extraction) labelledLink(p *html.Node) bool {
	var label strings.Builder
	links := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				label.WriteString(c.Data)
			case c.Type != html.ElementNode || x.skip[c]:
			case c.Data == "a":
				links++
			default:
				walk(c)
			}
		}
	}
	walk(p)
	l := strings.TrimSpace(label.String())
	return links > 0 && strings.HasSuffix(l, ":") && runeLen(l) <= 30 && !strings.Contains(l, ".")
}

// recoverParagraphs adds paragraphs, quotes, preformatted text and tables from the
// whole page that are not yet in the blocks, after pruning the page as a
// container is pruned.
func (x *extraction) recoverParagraphs(body *html.Node, cleaned map[*html.Node]bool) {
	x.skip = cleaned
	clear(x.memo)
	x.prune(body)
	seen := map[string]bool{}
	var all strings.Builder
	for _, b := range x.out {
		seen[b.text] = true
		all.WriteString(b.text)
		all.WriteByte('\n')
	}
	existing := all.String()
	x.divMode, x.keep = false, 0
	x.each(body, func(e *html.Node) bool {
		switch e.Data {
		case "p", "blockquote", "pre", "table":
		default:
			return true
		}
		y := &extraction{skip: x.skip, keep: 1}
		if e.Data == "p" {
			if !x.labelledLink(e) {
				y.emit(x.text(e), false)
			}
		} else {
			y.walk(e)
			y.flush()
		}
		for _, b := range y.out {
			if seen[b.text] || (len(b.text) > 50 && strings.Contains(existing, b.text)) {
				continue
			}
			seen[b.text] = true
			x.out = append(x.out, b)
			if e.Data == "p" {
				x.paras++
			}
		}
		if e.Data == "table" && len(y.out) > 0 {
			x.tables++
		}
		return false
	})
}

func isHeading(tag string) bool {
	return len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
}

// ldBody returns the articleBody (or reviewBody) of the page's JSON-LD,
// "" if none: the baseline's first source.
func ldBody(root *html.Node) string {
	var out string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "script" && attrOf(n, "type") == "application/ld+json" {
			if n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "Body") {
				var v any
				if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
					out = ldText(v, 0)
				}
			}
			return out != ""
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	return out
}

// ldText finds an articleBody or reviewBody string in a JSON-LD value.
func ldText(v any, depth int) string {
	if depth > 5 {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		for _, k := range []string{"articleBody", "reviewBody"} {
			if s, ok := t[k].(string); ok && s != "" {
				return s
			}
		}
		for _, k := range []string{"@graph", "mainEntity"} {
			if s := ldText(t[k], depth+1); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range t {
			if s := ldText(e, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
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

// blocksOf returns the text under n as blocks: block elements become
// paragraphs, h1–h6 headings, inline text is joined. It renders
// readability's article and the baseline, which keep all text.
func blocksOf(n *html.Node) []block {
	var out []block
	var inline strings.Builder
	links, inLink := 0, 0
	flush := func() {
		if p := fold(inline.String()); p != "" {
			out = append(out, block{text: p, links: links})
		}
		inline.Reset()
		links = 0
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			inline.WriteString(n.Data)
			if inLink > 0 {
				links += len(strings.TrimSpace(n.Data))
			}
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
		case isHeading(tag):
			flush()
			var h strings.Builder
			textOf(n, &h)
			if hd := fold(h.String()); hd != "" {
				out = append(out, block{text: hd, head: true})
			}
			return
		case tag == "br":
			inline.WriteByte('\n')
			return
		case tag == "td" || tag == "th":
			inline.WriteByte(' ')
		}
		isBlock := blockTags[tag]
		if isBlock {
			flush()
		}
		if tag == "a" {
			inLink++
			defer func() { inLink-- }()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if isBlock {
			flush()
		} else if tag == "td" || tag == "th" {
			inline.WriteByte(' ')
		}
	}
	walk(n)
	flush()
	return out
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

// fold returns s with runs of white space folded to one space and
// trimmed. Blocks are compared folded; the builder normalises them
// (NFKC) once at the end.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }
