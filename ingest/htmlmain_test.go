package ingest

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// long is a sentence long enough to count as article text.
const long = "Peer navigators are people with lived experience who help patients find their way through care, appointments and social support."

func blockTexts(bs []block) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.text
		if b.head {
			out[i] = "# " + b.text
		}
	}
	return out
}

func parseBody(t *testing.T, page string) *html.Node {
	t.Helper()
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return findBody(root)
}

func TestOwnBlocks(t *testing.T) {
	// Six paragraphs of <p> text: enough that loose text in divs does not count.
	article := strings.Repeat("<p>"+long+"</p>", 6)
	want := slices.Repeat([]string{long}, 6)
	tests := []struct {
		name, body string
		want       []string
	}{
		{"page chrome dropped", `<nav><a href="/">Home</a></nav><header>Site</header><article>` + article +
			`</article><aside><p>Popular</p></aside><footer><p>Copyright</p></footer>`, want},
		{"named widgets dropped", `<div class="entry-content">` + article + `<div class="share-buttons"><p>Share this article with friends</p></div>` +
			`<div class="related-posts"><p>Another article you may like to read</p></div><p class="byline">By Jane Doe</p></div>`, want},
		{"reader comments dropped", `<article>` + article + `</article><div id="comments"><p>` + long + ` (a comment)</p></div>`, want},
		{"hidden elements dropped", `<article>` + article + `<div style="display: none"><p>Hidden text</p></div><p aria-hidden="true">Also hidden</p></article>`, want},
		{"link list dropped", `<article>` + article + `<ul><li><a href="/a">First other story</a></li><li><a href="/b">Second other story</a></li>` +
			`<li><a href="/c">Third other story</a></li></ul></article>`, want},
		{"labelled link dropped", `<article>` + article + `<p><em>Read more</em>: <a href="/x">Another story on the same subject</a></p><p>` + long + `</p></article>`,
			append(slices.Clone(want), long)},
		{"trailing heading and label dropped", `<article><h2>Roles</h2>` + article + `<h3>More</h3><p>See also:</p></article>`,
			append([]string{"# Roles"}, want...)},
		{"loose div text dropped beside paragraphs", `<article>` + article + `<div>Posted in News</div></article>`, want},
		{"loose div text kept without paragraphs", `<article><div>` + long + `</div><div>` + long + ` Again.</div></article>`,
			[]string{long, long + " Again."}},
		{"lists and tables kept", `<article>` + article + `<ul><li>` + long + `</li></ul><table><tr><td>Role</td><td>Pay</td></tr></table></article>`,
			append(slices.Clone(want), long, "Role Pay")},
		// The wrapper is given back whole: names inside it are not read again.
		{"wrapper named hide given back", `<div class="content"><div class="story hideOnInit">` + article + `<div class="share"><p>Share it</p></div></div></div>`,
			append(slices.Clone(want), "Share it")},
		{"noscript post read", `<div class="post-body"><noscript>` + strings.Repeat("<p>"+long+"</p>", 6) + `</noscript></div>`, want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ownBlocks(parseBody(t, "<html><body>"+tt.body+"</body></html>"))
			if !slices.Equal(blockTexts(got.blocks), tt.want) {
				t.Errorf("ownBlocks =\n%q\nwant\n%q", blockTexts(got.blocks), tt.want)
			}
		})
	}
}

func TestPickMain(t *testing.T) {
	p := func(s ...string) []block {
		var out []block
		for _, x := range s {
			if h, ok := strings.CutPrefix(x, "# "); ok {
				out = append(out, block{text: h, head: true})
			} else {
				out = append(out, block{text: x})
			}
		}
		return out
	}
	other := strings.Replace(long, "Peer navigators", "Community health workers", 1)
	standfirst := "Hospitals pay people who have lived through mental illness to support patients on the wards."
	page := "<html><body><p>tiny</p></body></html>"
	tests := []struct {
		name      string
		own       candidate
		algo      []block
		title     string
		want      []string
		extractor string
	}{
		{"rules kept when they agree", candidate{blocks: p(long, other, long, other), paras: 4}, p(long, other, long), "", []string{long, other, long, other}, "rules"},
		{"readability when rules found nothing", candidate{}, p(long, other), "", []string{long, other}, "readability"},
		{"readability when twice as long", candidate{blocks: p(long), paras: 1}, p(long, other, long, other), "", []string{long, other, long, other}, "readability"},
		{"readability when rules hold no paragraph", candidate{blocks: p(long, other, long), paras: 0}, p(long, other, long, other, "x"), "", []string{long, other, long, other, "x"}, "readability"},
		{"standfirst added, kicker dropped", candidate{blocks: p("# Health", long, other, long), paras: 3}, p(standfirst, long, other, long), "",
			[]string{standfirst, long, other, long}, "rules"},
		{"title heading dropped", candidate{blocks: p("# Peer navigators in care", long, other, long), paras: 3}, nil, "Peer navigators in care",
			[]string{long, other, long}, "rules"},
		{"short tail readability left out dropped", candidate{blocks: p(long, other, long, "Updated on Monday"), paras: 4}, p(long, other, long), "",
			[]string{long, other, long}, "rules"},
		{"short paragraph readability left out dropped when they agree", candidate{blocks: p(long, other, "Subscribe to our free daily edition", long, other), paras: 5},
			p(long, other, long, other), "", []string{long, other, long, other}, "rules"},
		{"widget labels dropped", candidate{blocks: p(long, "Advertisement", other, long), paras: 4}, nil, "", []string{long, other, long}, "rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, extractor, _ := pickMain(tt.own, tt.algo, page, tt.title)
			if !slices.Equal(blockTexts(bs), tt.want) || extractor != tt.extractor {
				t.Errorf("pickMain = %s %q, want %s %q", extractor, blockTexts(bs), tt.extractor, tt.want)
			}
		})
	}
}

func TestBaseline(t *testing.T) {
	ld := `<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"` + long + `\n` + long + `"}</script></head><body><p>Menu</p></body></html>`
	tests := []struct {
		name, page string
		want       []string
	}{
		{"JSON-LD articleBody", ld, []string{long, long}},
		{"articles", `<html><body><article><p>` + long + `</p></article><div>Menu</div><article><p>Short</p></article></body></html>`, []string{long}},
		{"paragraphs", `<html><body><div>Menu</div><p>` + long + `</p><blockquote><p>` + long + `</p></blockquote></body></html>`, []string{long}},
		{"whole body", "<html><body><nav>Home</nav><div>Short page</div><p>Second line</p></body></html>", []string{"Short page", "Second line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := blockTexts(baseline(tt.page)); !slices.Equal(got, tt.want) {
				t.Errorf("baseline = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLinkDense(t *testing.T) {
	tests := []struct {
		name, body string
		want       bool
	}{
		{"menu", `<div><a href="/">Home</a> <a href="/a">About</a> <a href="/c">Contact</a></div><div>x</div>`, true},
		{"sentence with a link", `<p>` + long + ` <a href="/x">source</a>.</p><p>x</p>`, false},
		{"no links", `<div>` + long + `</div>`, false},
		{"one long link", `<div><a href="/x">` + long + `</a></div><div>x</div>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := parseBody(t, "<html><body>"+tt.body+"</body></html>")
			x := &extraction{skip: map[*html.Node]bool{}}
			if got, _, _ := x.linkDense(body.FirstChild); got != tt.want {
				t.Errorf("linkDense(%s) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

func TestIsBoilerplate(t *testing.T) {
	tests := []struct {
		tag, attrs string
		want       bool
	}{
		{"div", `class="social-links"`, true},
		{"div", `id="footer-wrap"`, true},
		{"section", `class="related-articles"`, true},
		{"span", `class="byline"`, true},
		{"div", `class="newsletter-signup"`, true},
		{"p", `class="hide-print"`, true},
		{"div", `itemprop="author"`, true},
		{"div", `class="article-body"`, false},
		{"div", `class="entry-content"`, false},
		{"article", `class="sidebar"`, false}, // only divs, lists, paragraphs, sections and spans are named away
		{"div", `role="navigation"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.tag+" "+tt.attrs, func(t *testing.T) {
			body := parseBody(t, "<html><body><"+tt.tag+" "+tt.attrs+">x</"+tt.tag+"></body></html>")
			if got := isBoilerplate(body.FirstChild); got != tt.want {
				t.Errorf("isBoilerplate(<%s %s>) = %v, want %v", tt.tag, tt.attrs, got, tt.want)
			}
		})
	}
}

func TestStats(t *testing.T) {
	tests := []struct {
		name, body                             string
		chars, links, nonEmpty, short, linkLen int
	}{
		{"white space folded and trimmed", "<div>\n  a   b \n</div>", 3, 0, 0, 0, 0},
		{"spaces merged across elements", "<div> a <b> b </b> c </div>", 5, 0, 0, 0, 0},
		{"links", `<div>Read <a href="/x"> more </a> or <a href="/y"></a><a href="/z">a much longer link text</a></div>`, 36, 3, 2, 1, 27},
		{"set-aside nodes not counted", `<div>a<script>var x;</script><nav>menu</nav></div>`, 1, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := parseBody(t, "<html><body>"+tt.body+"</body></html>")
			x := &extraction{skip: map[*html.Node]bool{}}
			x.clean(body)
			s := x.stats(body.FirstChild)
			if s.chars != tt.chars || s.links != tt.links || s.nonEmpty != tt.nonEmpty || s.short != tt.short || s.linkLen != tt.linkLen {
				t.Errorf("stats = chars %d links %d nonEmpty %d short %d linkLen %d, want %d %d %d %d %d",
					s.chars, s.links, s.nonEmpty, s.short, s.linkLen, tt.chars, tt.links, tt.nonEmpty, tt.short, tt.linkLen)
			}
		})
	}
}
