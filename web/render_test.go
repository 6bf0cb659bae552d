package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/corpus"
)

func TestFragment(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "peer navigators", "peer navigators"},
		{"marks kept", "a <mark>peer</mark> b", "a <mark>peer</mark> b"},
		{"script escaped", "<script>alert(1)</script> <mark>x</mark>", "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>"},
		{"attribute on mark escaped", `<mark onclick="x">y</mark>`, `&lt;mark onclick=&#34;x&#34;&gt;y`},
		{"unclosed mark closed", "<mark>peer", "<mark>peer</mark>"},
		{"stray close dropped", "peer</mark> x", "peer x"},
		{"nested open ignored", "<mark><mark>a</mark></mark>", "<mark>a</mark>"},
		{"entities escaped", `a & b "c" 'd'`, "a &amp; b &#34;c&#34; &#39;d&#39;"},
		{"mark case matters", "<MARK>x</MARK>", "&lt;MARK&gt;x&lt;/MARK&gt;"},
		{"lone angle", "a < b > c", "a &lt; b &gt; c"},
		{"escaped by the highlighter", "l&#39;équipe &lt;script&gt; &amp; <mark>pair aidant</mark>", "l&#39;équipe &lt;script&gt; &amp; <mark>pair aidant</mark>"},
		{"escaped tag stays text", "&lt;mark onclick=x&gt;a", "&lt;mark onclick=x&gt;a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(fragment(tt.in)); got != tt.want {
				t.Errorf("fragment(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzFragment checks that whatever the index returns, a fragment renders
// with no tag but balanced <mark> and </mark>.
func FuzzFragment(f *testing.F) {
	for _, s := range []string{
		"a <mark>peer</mark> b",
		"<script>alert(1)</script>",
		"<mark><mark>x</mark>",
		"</mark><mark",
		`<img src=x onerror="alert(1)">`,
		"pair aidant <mark>intégré</mark> « x »",
		"l&#39;équipe &lt;script&gt; <mark>x</mark>",
		"&lt;mark&gt;&lt;/mark&gt;&lt;img&gt;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(fragment(s))
		depth := 0
		for rest := got; ; {
			i := strings.IndexByte(rest, '<')
			if i < 0 {
				break
			}
			rest = rest[i:]
			switch {
			case strings.HasPrefix(rest, markOpen):
				depth++
				rest = rest[len(markOpen):]
			case strings.HasPrefix(rest, markClose):
				depth--
				rest = rest[len(markClose):]
			default:
				t.Fatalf("fragment(%q) = %q: holds a tag other than mark", s, got)
			}
			if depth < 0 || depth > 1 {
				t.Fatalf("fragment(%q) = %q: unbalanced marks", s, got)
			}
		}
		if depth != 0 {
			t.Fatalf("fragment(%q) = %q: mark left open", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("fragment(%q) = %q: invalid UTF-8", s, got)
		}
	})
}

func TestSegments(t *testing.T) {
	const text = "Le pair aidant intégré à l'équipe."
	ann := func(code string, neg bool, spans ...corpus.Span) corpus.Annotation {
		return corpus.Annotation{Type: corpus.AnnCode, Code: code, Negated: neg, Spans: spans}
	}
	at := func(sub string) corpus.Span {
		i := strings.Index(text, sub)
		return corpus.Span{Start: i, End: i + len(sub)}
	}
	tests := []struct {
		name string
		anns []corpus.Annotation
		want []segment
	}{
		{"none", nil, []segment{{Text: text}}},
		{"one", []corpus.Annotation{ann("a", false, at("pair aidant"))},
			[]segment{{Text: "Le "}, {Text: "pair aidant", Mark: true, Title: "a"}, {Text: " intégré à l'équipe."}}},
		{"overlap", []corpus.Annotation{ann("a", false, at("pair aidant")), ann("b", true, at("aidant intégré"))},
			[]segment{{Text: "Le "}, {Text: "pair ", Mark: true, Title: "a"}, {Text: "aidant", Mark: true, Title: "a; not b"},
				{Text: " intégré", Mark: true, Negated: true, Title: "not b"}, {Text: " à l'équipe."}}},
		{"inside a rune widened", []corpus.Annotation{ann("a", false, corpus.Span{Start: strings.Index(text, "é") + 1, End: strings.Index(text, "é") + 1 + 3})},
			[]segment{{Text: "Le pair aidant int"}, {Text: "égr", Mark: true, Title: "a"}, {Text: "é à l'équipe."}}},
		{"out of range clamped", []corpus.Annotation{ann("a", false, corpus.Span{Start: -5, End: 2}, corpus.Span{Start: len(text) - 1, End: len(text) + 40})},
			[]segment{{Text: "Le", Mark: true, Title: "a"}, {Text: " pair aidant intégré à l'équipe"}, {Text: ".", Mark: true, Title: "a"}}},
		{"empty and reversed dropped", []corpus.Annotation{ann("a", false, corpus.Span{Start: 4, End: 4}, corpus.Span{Start: 9, End: 3})},
			[]segment{{Text: text}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segments(text, tt.anns)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
			var b strings.Builder
			for _, s := range got {
				b.WriteString(s.Text)
			}
			if b.String() != text {
				t.Errorf("segments do not add up to the text: %q", b.String())
			}
		})
	}
}
