package text

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"médiateur", "mediateur"},
		{"Médiateur", "mediateur"},
		{"œuvre", "oeuvre"},
		{"ŒUVRE", "oeuvre"},
		{"ÉTÉ", "ete"},
		{"straße", "strasse"},
		{"plain", "plain"},
		{"Plain", "plain"},
		{"한국어", "한국어"}, // Hangul syllables come back composed
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Peer-Support: a Review.", "peer support a review"},
		{"  Éducation  thérapeutique du patient ", "education therapeutique du patient"},
		{"Why Most Published Research Findings Are False", "why most published research findings are false"},
		{"ﬁnding", "finding"},
		{"", ""},
		{"—", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"one", "One sentence.", []string{"One sentence."}},
		{"two", "First one here. Second one.", []string{"First one here.", "Second one."}},
		{"abbreviation e.g.", "Second, e.g. With caps. Third? Yes.", []string{"Second, e.g. With caps.", "Third?", "Yes."}},
		{"et al.", "Smith et al. Found this. Then more.", []string{"Smith et al. Found this.", "Then more."}},
		{"initial", "J. Smith wrote it. Done.", []string{"J. Smith wrote it.", "Done."}},
		{"French abbreviations", "M. Dupont et Mme Durand. Ils sont pairs.", []string{"M. Dupont et Mme Durand.", "Ils sont pairs."}},
		{"lower case after stop", "About 3 approx. three weeks. Next.", []string{"About 3 approx. three weeks.", "Next."}},
		{"closing quote", `He said "stop." Then left.`, []string{`He said "stop."`, "Then left."}},
		{"bracket", "It worked (mostly.) Then failed.", []string{"It worked (mostly.)", "Then failed."}},
		{"ellipsis", "We waited... Then it came.", []string{"We waited...", "Then it came."}},
		{"etc ends", "Food, shelter, etc. The rest came later.", []string{"Food, shelter, etc.", "The rest came later."}},
		{"decimal", "It rose by 1.5 points. Next.", []string{"It rose by 1.5 points.", "Next."}},
		{"CJK", "同伴支持。社区卫生工作者！", []string{"同伴支持。", "社区卫生工作者！"}},
		{"blank line", "A heading\n\nbody text", []string{"A heading", "body text"}},
		{"PDF line breaks are not ends", "Iron deficiency is a global public\nhealth problem affecting both developing and\nDeveloped countries as well.", []string{"Iron deficiency is a global public\nhealth problem affecting both developing and\nDeveloped countries as well."}},
		{"heading line", "Link with the health centre\nThe promotoras are not clinicians and they do not give any treatment at all.", []string{"Link with the health centre", "The promotoras are not clinicians and they do not give any treatment at all."}},
		{"list items", "They do:\n- outreach\n- navigation", []string{"They do:", "- outreach", "- navigation"}},
		{"numbered list", "Roles\n1. outreach in streets\n2) navigation", []string{"Roles", "1. outreach in streets", "2) navigation"}},
		{"colon then capital line", "The roles were as follows:\nNavigation came first.", []string{"The roles were as follows:", "Navigation came first."}},
		{"line ending in comma", "Peers, nurses,\nDoctors and others work here.", []string{"Peers, nurses,\nDoctors and others work here."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, sp := range Sentences(tt.in) {
				got = append(got, tt.in[sp.Start:sp.End])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWiden(t *testing.T) {
	text := "First one here. Second, e.g. with an abbreviation. Third? Yes.\nFourth line"
	tests := []struct {
		name       string
		start, end int
		want       string
	}{
		{"first", 0, 5, "First one here."},
		{"second over e.g.", 20, 30, "Second, e.g. with an abbreviation."},
		{"spanning two", 20, 55, "Second, e.g. with an abbreviation. Third?"},
		{"after newline", len(text) - 4, len(text), "Fourth line"},
		{"empty range at a start", 16, 16, "Second, e.g. with an abbreviation."},
		{"clamped", -5, 1000, text},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, e := Widen(text, tt.start, tt.end)
			if got := text[s:e]; got != tt.want {
				t.Errorf("Widen(%d, %d) = %q, want %q", tt.start, tt.end, got, tt.want)
			}
		})
	}
}

func TestLastEnd(t *testing.T) {
	text := "One two. Three four. Five"
	tests := []struct {
		from, limit, want int
	}{
		{0, len(text), 21},
		{0, 20, 9},
		{0, 8, -1},
		{9, 15, -1},
		{9, 25, 21},
	}
	for _, tt := range tests {
		if got := LastEnd(text, tt.from, tt.limit); got != tt.want {
			t.Errorf("LastEnd(%d, %d) = %d, want %d", tt.from, tt.limit, got, tt.want)
		}
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"A. B.", "e.g. x", "a\n\nb", "。！", "- a\n- b", "x...y. Z"} {
		f.Add(s, 0, 3)
	}
	f.Fuzz(func(t *testing.T, s string, a, b int) {
		prev := 0
		for _, sp := range Sentences(s) {
			if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("Sentences(%q): span %v after %d", s, sp, prev)
			}
			if utf8.ValidString(s) && (!utf8.RuneStart(at(s, sp.Start)) || !utf8.RuneStart(at(s, sp.End))) {
				t.Fatalf("Sentences(%q): span %v splits a rune", s, sp)
			}
			prev = sp.End
		}
		st, e := Widen(s, a, b)
		if st < 0 || e < st || e > len(s) {
			t.Fatalf("Widen(%q, %d, %d) = %d, %d", s, a, b, st, e)
		}
	})
}

func at(s string, i int) byte {
	if i >= len(s) {
		return ' '
	}
	return s[i]
}

func TestCite(t *testing.T) {
	tests := []struct {
		name string
		w    Work
		want string
	}{
		{"two authors", Work{Authors: []string{"Okafor, Ada", "Mensah, Kofi"}, Year: 2021, Title: "Peer navigators in hospital care"}, "Okafor & Mensah (2021). Peer navigators in hospital care."},
		{"three authors", Work{Authors: []string{"Okafor, A", "Mensah, K", "Lee, J"}, Year: 2021, Title: "T"}, "Okafor et al. (2021). T."},
		{"given family", Work{Authors: []string{"Ada Okafor"}, Title: "T"}, "Okafor (n.d.). T."},
		{"title ends with a stop", Work{Authors: []string{"Doe, J"}, Year: 2020, Title: "Community resources."}, "Doe (2020). Community resources."},
		{"question", Work{Authors: []string{"Doe, J"}, Year: 2020, Title: "Who are peers?"}, "Doe (2020). Who are peers?"},
		{"no authors", Work{Year: 2019, Title: "Peer work in Sydney"}, "Peer work in Sydney (2019)."},
		{"nothing but a file", Work{Path: "/data/review/peer-navigators.pdf"}, "peer-navigators.pdf."},
		{"URL", Work{Path: "https://example.org/peer/"}, "peer."},
		{"nothing", Work{}, "untitled."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cite(tt.w); got != tt.want {
				t.Errorf("Cite(%+v) = %q, want %q", tt.w, got, tt.want)
			}
		})
	}
	w := Work{Authors: []string{"Okafor, Ada"}, Year: 2021, Title: "Peer navigators"}
	if got, want := CiteAt(w, Place(4, "Methods", 3)), "Okafor (2021). Peer navigators, p. 4."; got != want {
		t.Errorf("CiteAt = %q, want %q", got, want)
	}
	if got, want := CiteAt(w, Place(0, "Methods", 3)), "Okafor (2021). Peer navigators, § Methods."; got != want {
		t.Errorf("CiteAt = %q, want %q", got, want)
	}
	if got, want := Place(0, "", 7), "¶ 8"; got != want {
		t.Errorf("Place = %q, want %q", got, want)
	}
}

func TestAuthors(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"Smith, Jane"}, "Smith"},
		{[]string{"Jane Smith", "Lee, Min"}, "Smith & Lee"},
		{[]string{"Smith, J", "Lee, M", "Kim, A"}, "Smith et al."},
		{[]string{" ", "Lee, M"}, "Lee"},
		{[]string{"NSW Users & AIDS Association (NUAA)"}, "NSW Users & AIDS Association (NUAA)"},
		{[]string{"World Health Organization"}, "World Health Organization"},
		{[]string{"Proyecto Pastoral", "Smith, J"}, "Proyecto Pastoral & Smith"},
		{[]string{"Ana Sandoiu"}, "Sandoiu"},
	}
	for _, tt := range tests {
		if got := Authors(tt.in); got != tt.want {
			t.Errorf("Authors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"a few words here", 9, "a few…"},
		{"Überlänge", 4, "Übe…"},
	}
	for _, tt := range tests {
		if got := Shorten(tt.in, tt.n); got != tt.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestDOI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1371/journal.pmed.0020124", "10.1371/journal.pmed.0020124"},
		{"https://doi.org/10.1371/JOURNAL.PMED.0020124", "10.1371/journal.pmed.0020124"},
		{"http://dx.doi.org/10.1002/cpp.2398", "10.1002/cpp.2398"},
		{"doi:10.1/ABC.", "10.1/abc"},
		{"DOI 10.4103/2277-9175.180636 [doi]", "10.4103/2277-9175.180636"},
		{"10.4103%2F2303-9027.138783", "10.4103/2303-9027.138783"},
		{"http://doi.acm.org/10.1145/1137627.1137631", "10.1145/1137627.1137631"},
		{"See doi: 10.1111/hex.14034. Then more.", "10.1111/hex.14034"},
		{"(https://doi.org/10.1186/s12913-020-5000-1)", "10.1186/s12913-020-5000-1"},
		{"", ""},
		{"not a doi", ""},
		{"10.abc/x", ""},
		{"10.1234/", ""},
	}
	for _, tt := range tests {
		if got := DOI(tt.in); got != tt.want {
			t.Errorf("DOI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ﬁnd the ﬂow", "find the flow"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"soft\u00ADhyphen", "softhyphen"},
		{"no\u00A0break", "no break"},
		{"bell\x07", "bell"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"e\u0301", "é"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDehyphenate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"commu-\nnity health", "community\nhealth"},
		{"peer-\nled", "peerled"},
		{"Covid-\n19", "Covid-\n19"},
		{"Anglo-\nSaxon", "Anglo-\nSaxon"},
		{"end-", "end-"},
		{"a -\nb", "a -\nb"},
		{"über-\nall", "überall"},
	}
	for _, tt := range tests {
		if got := Dehyphenate(tt.in); got != tt.want {
			t.Errorf("Dehyphenate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFixAccents(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Lema\u02C6\u0131tre", "Lemaître"},
		{"R\u00A8as\u00A8anen", "Räsänen"},
		{"C\u00B4el\u00B4erier", "Célérier"},
		{"x \u00B4", "x \u00B4"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := norm.NFC.String(FixAccents(tt.in)); got != tt.want {
			t.Errorf("FixAccents(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkSentences(b *testing.B) {
	s := strings.Repeat("Peer navigators, e.g. Ms. Okafor, accompany patients to care. They listen!\nLink with the centre\nThe promotoras visit homes. ", 10)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Sentences(s)
	}
}

func TestRegexp(t *testing.T) {
	re := Regexp(`b+`)
	if first, second := re(), re(); first != second {
		t.Fatal("Regexp compiled its expression twice")
	}
	if got := re().FindString("abbbc"); got != "bbb" {
		t.Fatalf("FindString = %q, want %q", got, "bbb")
	}
	bad := Regexp(`(`) // not compiled until used
	defer func() {
		if recover() == nil {
			t.Fatal("an invalid expression did not panic when used")
		}
	}()
	bad()
}

// TestKeyASCII: Key's path for ASCII text gives what the full
// normalisation gives.
func TestKeyASCII(t *testing.T) {
	for _, s := range []string{"", " ", "Peer-Support: a Review.", "  COVID-19 and 2020 ", "a", "--", "x\x00y", "Smith JA", "O'Neil", "\x7f\x01z"} {
		if got, want := Key(s), fullKey(s); got != want {
			t.Errorf("Key(%q) = %q, the full key %q", s, got, want)
		}
	}
	if got := Key("Café Crème"); got != "cafe creme" {
		t.Errorf("Key of non-ASCII text = %q, want cafe creme", got)
	}
}

func FuzzKeyASCII(f *testing.F) {
	for _, s := range []string{"", "Peer-Support: a Review.", "Straße ﬁ", "ABC def 123", "\x7f\x01z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Key(s), fullKey(s); got != want {
			t.Fatalf("Key(%q) = %q, the full key %q", s, got, want)
		}
	})
}
