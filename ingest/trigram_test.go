package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/peermap/peermap/ingest/refs"
)

// scriptIndex maps whatlanggo.DetectScript's answer to detectScript's:
// the tables of whatlanggo.Scripts by name, and its Hiragana-Katakana
// table (not in Scripts) to scHiraganaKatakana.
func scriptIndex(t testing.TB, tab *unicode.RangeTable) int {
	t.Helper()
	if tab == nil {
		return -1
	}
	name, ok := whatlanggo.Scripts[tab]
	if !ok {
		return scHiraganaKatakana
	}
	for i, st := range scriptTables {
		if st == unicode.Scripts[name] {
			return i
		}
	}
	t.Fatalf("whatlanggo script %s not among scriptTables", name)
	return 0
}

// TestRuneClass checks, for every rune, that it is in at most one script
// table (detectScript relies on it) and that detectScript and
// whatlanggo.DetectScript give the same script for it alone.
func TestRuneClass(t *testing.T) {
	if testing.Short() {
		t.Skip("every rune; skipped with -short")
	}
	var buf [utf8.UTFMax]byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if utf8.RuneLen(r) < 0 {
			continue // surrogates: ranging over a string never gives them
		}
		in := 0
		for _, tab := range scriptTables {
			if unicode.Is(tab, r) {
				in++
			}
		}
		if in > 1 {
			t.Fatalf("%U is in %d script tables", r, in)
		}
		s := string(buf[:utf8.EncodeRune(buf[:], r)])
		if got, want := detectScript(s), scriptIndex(t, whatlanggo.DetectScript(s)); got != want {
			t.Fatalf("detectScript(%U) = %d, whatlanggo's %d", r, got, want)
		}
		if r < 256 && low().tri[r] != trigramRune(r) {
			t.Fatalf("tri[%U] = %U, want %U", r, low().tri[r], trigramRune(r))
		}
	}
}

// sameAsWhatlang reports why detectWhatlang(s) differs from
// whatlanggo.Detect(s), "" if it does not. Two languages at the same
// smallest distance are a tie whatlanggo breaks by map order: a different
// language is accepted only for a tie, which whatlanggo itself confirms
// (the two languages alone give a confidence of 0: equal scores).
func sameAsWhatlang(s string) (why string, tie bool) {
	want := whatlanggo.Detect(s)
	got := detectWhatlang(s)
	if got.reliable() != want.IsReliable() || math.Abs(got.conf-want.Confidence) > 1e-9 {
		return "confidence", false
	}
	if got.lang == want.Lang {
		return "", false
	}
	if got.lang < 0 || want.Lang < 0 || want.Confidence != 0 {
		return "language", false
	}
	two := whatlanggo.DetectWithOptions(s, whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{got.lang: true, want.Lang: true}})
	if two.Confidence != 0 {
		return "language (not a tie)", false
	}
	return "", true
}

// whatlangSamples returns the distinct chunks detectLang reads of texts
// and, for one chunk in 8, prefixes of it (shorter texts: unreliable
// guesses, ties). whatlanggo takes about a millisecond a sample, however
// short, so not every chunk gets its prefixes.
func whatlangSamples(texts []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	i := 0
	for _, text := range texts {
		for _, c := range langSamples(text) {
			add(c)
			if i++; i%8 != 0 {
				continue
			}
			for _, n := range []int{12, 40, 120, 300} {
				if n < len(c) {
					p := c[:n]
					for len(p) > 0 && !utf8.ValidString(p) {
						p = p[:len(p)-1]
					}
					add(p)
				}
			}
		}
	}
	return out
}

// realTexts returns texts of the shared corpus and gold: every document
// of the corpus folders (PDFs extracted in process), every record of the
// reference exports and every gold passage.
func realTexts(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	var texts []string
	for _, f := range corpusFiles(t, "html", "jats", "pdf", "peer/html", "peer/jats", "peer/tei", "peer/text", "webeval/pages") {
		doc, _, err := File(ctx, f, Options{Now: fixedNow, PDFToText: "-"})
		if err != nil {
			t.Fatalf("File(%s): %v", f, err)
		}
		texts = append(texts, doc.Text)
	}
	for _, f := range corpusFiles(t, "meta", "big") {
		if strings.HasSuffix(f, ".labels.csv") {
			continue
		}
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		for d, err := range refs.Read(ctx, bufio.NewReader(r), f, "") {
			if err != nil {
				t.Fatalf("refs.Read(%s): %v", f, err)
			}
			texts = append(texts, d.Text)
		}
		r.Close()
	}
	gold := filepath.Join(sharedCorpus(t, "."), "..", "gold")
	names, _ := filepath.Glob(filepath.Join(gold, "*.jsonl"))
	if len(names) == 0 {
		t.Fatalf("no gold passages in %s", gold)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
			var p struct{ Text string }
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			texts = append(texts, p.Text)
		}
	}
	return texts
}

// TestWhatlangSame runs whatlanggo.Detect and detectWhatlang over the
// chunks detectLang reads of every real text, and prefixes of them.
func TestWhatlangSame(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("ingests the whole shared corpus; skipped with -short and -race")
	}
	samples := whatlangSamples(realTexts(t))
	langs := map[whatlanggo.Lang]int{}
	ties, bad := 0, 0
	for _, s := range samples {
		why, tie := sameAsWhatlang(s)
		if tie {
			ties++
		}
		if why != "" {
			bad++
			if bad <= 10 {
				w, g := whatlanggo.Detect(s), detectWhatlang(s)
				t.Errorf("%s differs on %q: whatlanggo %v %v, here %v %v", why, trunc(s, 80), w.Lang, w.Confidence, g.lang, g.conf)
			}
		}
		langs[detectWhatlang(s).lang]++
	}
	t.Logf("%d samples, %d differ, %d ties; languages: %v", len(samples), bad, ties, langs)
	if len(samples) < 10000 || len(langs) < 10 {
		t.Errorf("%d samples in %d languages: the corpus gave fewer than expected", len(samples), len(langs))
	}
}

func FuzzWhatlangSame(f *testing.F) {
	for _, s := range []string{
		"", " ", "a", "42", "Peer navigators help.", "Les pairs aidants accompagnent les personnes.",
		"Общественные работники здравоохранения", "حَبيبي habibi حَبيبي", "日本語のテキストです漢字",
		"中文文本", "कम्युनिटी हेल्थ वर्कर", "ሰው፡ መብት", "אדם זכאי", "Ελληνικά κείμενα", "a\xffb\x80c",
		"Die Gemeindegesundheitshelfer  besuchen Familien!!  zu Hause.", "ng ng ng ang ang",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if why, _ := sameAsWhatlang(s); why != "" {
			w, g := whatlanggo.Detect(s), detectWhatlang(s)
			t.Errorf("%s differs on %q: whatlanggo %v %v, here %v %v", why, s, w.Lang, w.Confidence, g.lang, g.conf)
		}
	})
}

func BenchmarkWhatlang(b *testing.B) {
	var samples []string
	for _, f := range corpusFiles(b, "html") {
		doc, _, err := File(context.Background(), f, Options{Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
		samples = append(samples, langSamples(doc.Text)...)
	}
	for _, impl := range []struct {
		name string
		fn   func(string) bool
	}{
		{"whatlanggo", func(s string) bool { i := whatlanggo.Detect(s); return i.IsReliable() }},
		{"fused", func(s string) bool { return detectWhatlang(s).reliable() }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				for _, s := range samples {
					if impl.fn(s) {
						n++
					}
				}
			}
			b.ReportMetric(float64(len(samples)*b.N)/b.Elapsed().Seconds(), "chunks/s")
		})
	}
}

// BenchmarkProfileSet fuses the Latin profiles: a fixed cost of every
// process that detects a language.
func BenchmarkProfileSet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newProfileSet(wlLatin)
	}
}

// TestProfilesFound checks that whatlanggo's profiles were found (they are
// read through a linkname directive): without them detectWhatlang falls back to whatlanggo.Detect
// (the same results, none of the speed).
func TestProfilesFound(t *testing.T) {
	for name, p := range map[string]map[whatlanggo.Lang][]string{
		"latin": wlLatin, "cyrillic": wlCyrillic, "arabic": wlArabic,
		"devanagari": wlDevanagari, "ethiopic": wlEthiopic, "hebrew": wlHebrew,
	} {
		if len(p) < 2 {
			t.Errorf("%s profiles: %d languages; is whatlanggo still v1.0.1?", name, len(p))
		}
	}
	if n := len(wlLatin[whatlanggo.Eng]); n != maxTrigramDistance {
		t.Errorf("English profile: %d trigrams, want %d", n, maxTrigramDistance)
	}
}
