package pdf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/testtool"
)

// A pdfTestRun is a string of glyphs drawn with one Tj at x: the text of
// each glyph, left to right, as a producer of right-to-left text writes it.
type pdfTestRun struct {
	x      float64
	glyphs []string
}

// visual splits a string written in visual order (as it looks on the page,
// left to right) into one glyph per character.
func visual(s string) []string {
	var g []string
	for _, r := range s {
		g = append(g, string(r))
	}
	return g
}

// pdfTestRTLDoc builds a one-page PDF with a Type0 font (Identity-H, 2-byte
// glyph IDs, every glyph 6 pt wide at 12 pt) whose ToUnicode map gives each
// glyph its text, and draws each line's runs in the order given, one line
// every 20 pt down the page.
func pdfTestRTLDoc(lines [][]pdfTestRun) []byte {
	ids := map[string]int{}
	var order []string
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf\n")
	for i, runs := range lines {
		y := 700 - 20*i
		for _, r := range runs {
			fmt.Fprintf(&content, "1 0 0 1 %.2f %d Tm <", r.x, y)
			for _, g := range r.glyphs {
				id, ok := ids[g]
				if !ok {
					id = len(ids) + 1
					ids[g] = id
					order = append(order, g)
				}
				fmt.Fprintf(&content, "%04X", id)
			}
			content.WriteString("> Tj\n")
		}
	}
	content.WriteString("ET")
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	fmt.Fprintf(&cmap, "%d beginbfchar\n", len(order))
	for _, g := range order {
		fmt.Fprintf(&cmap, "<%04X> <", ids[g])
		for _, u := range utf16.Encode([]rune(g)) {
			fmt.Fprintf(&cmap, "%04X", u)
		}
		cmap.WriteString(">\n")
	}
	cmap.WriteString("endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>] /ToUnicode 6 0 R >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cmap.Len(), cmap.String()),
	}
	return pdfTestFile(objs)
}

// fromRight lays out words drawn one by one from the right edge at 400 pt,
// as Word does: each word a run of its glyphs in visual order, a 6 pt gap
// between words.
func fromRight(words ...string) []pdfTestRun {
	var runs []pdfTestRun
	x := 400.0
	for _, w := range words {
		g := visual(w)
		x -= 6 * float64(len(g))
		runs = append(runs, pdfTestRun{x, g})
		x -= 6
	}
	return runs
}

// rev reverses the characters of a right-to-left word: how it looks when
// read left to right on the page.
func rev(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// TestPDFRightToLeft checks that right-to-left text comes out in logical
// order however a producer draws it. Each file is built here the way real
// producers write such text (glyph IDs with a ToUnicode map, in visual
// order): before, "بلغة" came out "ةغلب" and an Arabic line last word first.
// With pdftotext installed, word recall against it is measured as well.
func TestPDFRightToLeft(t *testing.T) {
	tests := []struct {
		name  string
		lines [][]pdfTestRun
		want  string
		ref   string // why pdftotext's words differ from ours, if they do
	}{
		{"arabic, one run per line (InDesign, XeTeX)",
			[][]pdfTestRun{{{100, visual(rev("العمل في المجتمع بلغة الناس"))}}},
			"العمل في المجتمع بلغة الناس", ""},
		{"arabic, word by word from the right (Word)",
			[][]pdfTestRun{fromRight(rev("يعمل"), rev("العامل"), rev("الصحي"), rev("المجتمعي"))},
			"يعمل العامل الصحي المجتمعي", ""},
		{"arabic with numbers",
			[][]pdfTestRun{{{100, visual("2022 " + rev("لسنة") + " 8 " + rev("قانون رقم"))}}},
			"قانون رقم 8 لسنة 2022", ""},
		{"persian",
			[][]pdfTestRun{{{100, visual(rev("حمایت همتایان در سلامت روان"))}}},
			"حمایت همتایان در سلامت روان", ""},
		{"hebrew, brackets mapped by their shape",
			[][]pdfTestRun{{{100, visual("(" + rev("ללא יהלומים") + ") " + rev("תעשייה"))}}},
			"תעשייה (ללא יהלומים)", ""},
		{"lam-alef ligature and a mark",
			// "سلام" is drawn م, the lam-alef ligature (one glyph, "لا"), س;
			// "حَبيبي" ends with ح and its fatha drawn after it.
			[][]pdfTestRun{{{100, []string{"ي", "ب", "ي", "ب", "ح", "\u064e", " ", "م", "لا", "س"}}}},
			"سلام حَبيبي", "pdftotext reverses the ligature's two letters: سالم"},
		{"arabic word in an english line",
			[][]pdfTestRun{{{100, visual("peer workers speak " + rev("بلغة") + " daily")}}},
			"peer workers speak بلغة daily", ""},
		{"english line stays as drawn",
			[][]pdfTestRun{{{100, visual("Peer support (2024): 12% more")}}},
			"Peer support (2024): 12% more", ""},
		{"two lines",
			[][]pdfTestRun{{{100, visual(rev("السطر الأول"))}}, fromRight(rev("السطر"), rev("الثاني"))},
			"السطر الأول\nالسطر الثاني", ""},
	}
	bin, _ := exec.LookPath("pdftotext")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := pdfTestRTLDoc(tt.lines)
			doc, err := Extract(context.Background(), "rtl.pdf", data, Options{PDFToText: "-"})
			if err != nil || doc.Skip != corpus.NotSkipped {
				t.Fatalf("Extract = %v, %v", doc, err)
			}
			if doc.Text != tt.want {
				t.Errorf("Extract text = %q, want %q", doc.Text, tt.want)
			}
			if bin == "" {
				return
			}
			f := filepath.Join(t.TempDir(), "rtl.pdf")
			if err := os.WriteFile(f, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "-q", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			r := pdfRecall(pdfWords(string(out)), pdfWords(doc.Text))
			t.Logf("word recall against pdftotext %.2f (pdftotext: %q)", r, strings.TrimSpace(string(out)))
			if r < 0.99 && tt.ref == "" {
				t.Errorf("word recall against pdftotext = %.2f, want 1", r)
			}
		})
	}
}

// TestPDFRightToLeftCorpus measures the Arabic PDF of the shared corpus
// (pysample_015_arabic-habibi, SOURCES.md) against pdftotext and checks its
// words. Its text maps whole clusters to one glyph (cairo's ToUnicode:
// glyph "h" carries "حَبيبي h"), already in logical order, so it must not
// be reversed; pdftotext reverses that cluster ("يبيبَح"), so recall
// against it is 1/3 (habibi found, the Arabic word in its reversed form
// not), before and after the right-to-left reordering.
func TestPDFRightToLeftCorpus(t *testing.T) {
	pdfCorpusFiles(t)
	name := "pysample_015_arabic-habibi.pdf"
	data := mustRead(t, filepath.Join(pdfCorpusDir, name))
	doc, err := Extract(context.Background(), name, data, Options{PDFToText: "-"})
	if err != nil || doc.Skip != corpus.NotSkipped {
		t.Fatalf("Extract(%s) = %v, %v", name, doc, err)
	}
	got := pdfWords(doc.Text)
	if want := []string{"حبيبي", "habibi", "حبيبي"}; !slices.Equal(got, want) {
		t.Errorf("Extract(%s) words = %q, want %q (logical order, as drawn)", name, got, want)
	}
	bin := testtool.Path(t, "poppler-utils", "pdftotext")
	out, err := exec.Command(bin, "-q", "-enc", "UTF-8", filepath.Join(pdfCorpusDir, name), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", name, err)
	}
	r := pdfRecall(pdfWords(string(out)), got)
	t.Logf("%s: word recall against pdftotext %.3f (pdftotext %q, ours %q)", name, r, pdfWords(string(out)), got)
	if r < 0.33 {
		t.Errorf("%s: word recall against pdftotext = %.3f, want ≥ 0.33", name, r)
	}
}

// FuzzLogical checks pdfLogical on arbitrary text drawn as one run of
// one-character glyphs: no panic, and the line keeps its characters (only
// their order changes, and brackets may be mirrored).
func FuzzLogical(f *testing.F) {
	f.Add("2022 ةنسل 8 مقر نوناق")
	f.Add("(םימולהי אלל) -4.3 12.0% היישעת")
	f.Add("peer ةغلب [x] 1.5 daily")
	f.Add("\u064eح ي\u200c م")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		g := visual(s)
		sp := pdfSpan{s: s, x: 0, end: float64(len(g)), size: 1, rtl: 1}
		got := pdfLogical([]pdfSpan{sp}, []int{0}, [][]string{g})
		canon := func(s string) []rune {
			r := []rune(bidi.ReverseString(s)) // brackets both ways: mirror then compare as a multiset
			for i, c := range r {
				if m := []rune(bidi.ReverseString(string(c))); c > m[0] {
					r[i] = m[0]
				}
			}
			slices.Sort(r)
			return r
		}
		if !slices.Equal(canon(got), canon(s)) {
			t.Fatalf("pdfLogical(%q) = %q: characters changed", s, got)
		}
	})
}

// TestPDFRightToLeftFiles measures word recall against pdftotext on the
// right-to-left PDFs named by $PEERMAP_RTL_PDFS (a glob): files that are not
// in the shared corpus, such as jsoma/natural-pdf's pdfs/arabic.pdf (an
// InDesign gazette, 23 pages) and pdfs/hebrew-table.pdf (Ghostscript). It
// only reports; without the variable it is skipped.
func TestPDFRightToLeftFiles(t *testing.T) {
	glob := os.Getenv("PEERMAP_RTL_PDFS")
	if glob == "" {
		t.Skip("set PEERMAP_RTL_PDFS to a glob of right-to-left PDFs to measure them against pdftotext")
	}
	bin := testtool.Path(t, "poppler-utils", "pdftotext")
	files, _ := filepath.Glob(glob)
	for _, f := range files {
		doc, err := Extract(context.Background(), f, mustRead(t, f), Options{PDFToText: "-"})
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-q", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", f, err)
		}
		ref, got := pdfWords(string(out)), pdfWords(doc.Text)
		t.Logf("%s: word recall against pdftotext %.3f (%d words, pdftotext %d)", filepath.Base(f), pdfRecall(ref, got), len(got), len(ref))
	}
}
