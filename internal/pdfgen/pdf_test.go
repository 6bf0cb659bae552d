package pdfgen_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"

	"github.com/peermap/peermap/internal/pdfgen"
	"github.com/peermap/peermap/internal/testtool"
)

// french holds every accented letter French uses, and the WinAnsi-only
// punctuation (œ, typographic quotes, dashes, ellipsis, euro).
const french = "Élodie, pair aidante à l’hôpital : « œuvre » – très cœur — naïf, Noël, où, ça, île, Ève, dû… 5 €"

func read(t *testing.T, b []byte) *pdf.Reader {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("pdf.NewReader: %v", err)
	}
	return r
}

// pageText returns the plain text of page i (from 1) as ledongthuc/pdf
// extracts it.
func pageText(t *testing.T, r *pdf.Reader, i int) string {
	t.Helper()
	s, err := r.Page(i).GetPlainText(nil)
	if err != nil {
		t.Fatalf("GetPlainText(page %d): %v", i, err)
	}
	return s
}

func write(t *testing.T, doc pdfgen.Doc) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdfgen.Write(&b, doc); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		doc  pdfgen.Doc
		want []string // per page, the lines ledongthuc/pdf must find, in order
	}{
		{
			name: "one page ascii",
			doc:  pdfgen.Doc{Pages: [][]string{{"Peer navigators (PN) in oncology", "", `back\slash`}}},
			want: []string{"Peer navigators (PN) in oncology\n\nback\\slash"},
		},
		{
			name: "french accents",
			doc:  pdfgen.Doc{Title: "Pair aidance", Pages: [][]string{{french, "Médiateur de santé pair"}}},
			want: []string{french + "\nMédiateur de santé pair"},
		},
		{
			name: "two pages with header",
			doc: pdfgen.Doc{
				Header:      "Revue de santé communautaire",
				PageNumbers: true,
				Pages:       [][]string{{"première page"}, {"deuxième page"}},
			},
			want: []string{"Revue de santé communautaire\npremière page\n1", "Revue de santé communautaire\ndeuxième page\n2"},
		},
		{
			name: "two columns",
			doc:  pdfgen.Doc{Columns: 2, Pages: [][]string{{"left one", "left two", "right one", "right two"}}},
			want: []string{"left one\nleft two\nright one\nright two"},
		},
		{
			name: "hyphenated line end",
			doc:  pdfgen.Doc{Pages: [][]string{{"les intervenants commu-", "nautaires"}}},
			want: []string{"les intervenants commu-\nnautaires"},
		},
		{
			name: "zero value",
			want: []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := read(t, write(t, tt.doc))
			if got := r.NumPage(); got != len(tt.want) {
				t.Fatalf("NumPage() = %d, want %d", got, len(tt.want))
			}
			for i, want := range tt.want {
				// Each BT adds a leading newline; compare without the
				// newlines at the ends.
				if got := strings.Trim(pageText(t, r, i+1), "\n"); got != want {
					t.Errorf("page %d text = %q, want %q", i+1, got, want)
				}
			}
		})
	}
}

func TestInfo(t *testing.T) {
	doc := pdfgen.Doc{
		Title:  "Les médiateurs de santé pairs (bilan)",
		Author: "Camille Ouellet",
		Date:   time.Date(2019, 5, 2, 10, 30, 0, 0, time.UTC),
	}
	r := read(t, write(t, doc))
	info := r.Trailer().Key("Info")
	for _, kv := range []struct{ key, want string }{
		{"Title", doc.Title},
		{"Author", doc.Author},
		{"CreationDate", "D:20190502103000Z"},
		{"Producer", "peermap pdfgen"},
	} {
		if got := info.Key(kv.key).Text(); got != kv.want {
			t.Errorf("Info /%s = %q, want %q", kv.key, got, kv.want)
		}
	}
}

// TestXref checks that every xref entry points at the object it names and
// that startxref points at the table.
func TestXref(t *testing.T) {
	b := write(t, pdfgen.Doc{Title: "x", Pages: [][]string{{"a"}, {"b"}, {"c"}}})
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no startxref at end of file: %q", b[max(0, len(b)-40):])
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 11\n")) {
		t.Fatalf("startxref %d does not point at an xref with 11 entries: %q", xref, b[xref:min(len(b), xref+20)])
	}
	entries := bytes.Split(b[xref+len("xref\n0 11\n"):], []byte("\n"))
	for n := 1; n <= 10; n++ {
		e := entries[n]
		if len(e) != 19 { // 20 bytes with the newline
			t.Fatalf("xref entry %d = %q: want 20 bytes", n, e)
		}
		off, _ := strconv.Atoi(string(e[:10]))
		if want := strconv.Itoa(n) + " 0 obj\n"; !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("xref entry %d: offset %d holds %q, want %q", n, off, b[off:min(len(b), off+10)], want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	doc := pdfgen.Doc{Title: "é", Pages: [][]string{{french}}, Columns: 2}
	if a, b := write(t, doc), write(t, doc); !bytes.Equal(a, b) {
		t.Error("two Writes of the same Doc differ")
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  pdfgen.Doc
		want error // nil: any error
	}{
		{"not winansi", pdfgen.Doc{Pages: [][]string{{"arrow →"}}}, pdfgen.ErrUnencodable},
		{"control character", pdfgen.Doc{Pages: [][]string{{"tab\there"}}}, pdfgen.ErrUnencodable},
		{"header not winansi", pdfgen.Doc{Header: "中文"}, pdfgen.ErrUnencodable},
		{"too many lines", pdfgen.Doc{Pages: [][]string{make([]string, pdfgen.LinesPerColumn+1)}}, pdfgen.ErrTooManyLines},
		{"three columns", pdfgen.Doc{Columns: 3}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := pdfgen.Write(&b, tt.doc)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("Write() error = %v, want %v", err, tt.want)
			}
		})
	}
	// Two columns hold twice as many lines.
	var b bytes.Buffer
	if err := pdfgen.Write(&b, pdfgen.Doc{Columns: 2, Pages: [][]string{make([]string, 2*pdfgen.LinesPerColumn)}}); err != nil {
		t.Errorf("Write(two full columns) = %v, want nil", err)
	}
}

// TestWinAnsi checks every character of Windows-1252 survives the round
// trip, so our encoding table agrees with x/text's and ledongthuc's.
func TestWinAnsi(t *testing.T) {
	var line strings.Builder
	for c := 0x20; c <= 0xff; c++ {
		if c == 0x7f || c == 0x81 || c == 0x8d || c == 0x8f || c == 0x90 || c == 0x9d {
			continue
		}
		line.WriteRune(charmap.Windows1252.DecodeByte(byte(c)))
	}
	want := line.String()
	r := read(t, write(t, pdfgen.Doc{Pages: [][]string{{want}}}))
	if got := strings.Trim(pageText(t, r, 1), "\n"); got != want {
		t.Errorf("round trip of Windows-1252:\n got %q\nwant %q", got, want)
	}
}

// TestPdftotext checks the files read back with poppler's pdftotext, when
// it is installed.
func TestPdftotext(t *testing.T) {
	bin := testtool.Path(t, "poppler-utils", "pdftotext")
	tests := []struct {
		name string
		doc  pdfgen.Doc
		args []string
		want string
	}{
		{"accents", pdfgen.Doc{Pages: [][]string{{french}}}, nil, french},
		{"two columns reading order", pdfgen.Doc{Columns: 2, Pages: [][]string{{"gauche un", "gauche deux", "droite un", "droite deux"}}}, nil,
			"gauche un\ngauche deux\n\ndroite un\ndroite deux"},
		{"layout keeps columns side by side", pdfgen.Doc{Columns: 2, Pages: [][]string{{"gauche un", "droite un"}}}, []string{"-layout"},
			"gauche un"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.pdf")
			if err := os.WriteFile(path, write(t, tt.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append(append([]string{"-enc", "UTF-8"}, tt.args...), path, "-")
			out, err := exec.Command(bin, args...).Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			got := strings.TrimSpace(strings.ReplaceAll(string(out), "\f", ""))
			if len(tt.args) > 0 {
				// With -layout both columns share one text line.
				if !regexp.MustCompile(`gauche un\s+droite un`).MatchString(got) {
					t.Errorf("pdftotext -layout = %q, want both columns on one line", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("pdftotext = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPaginate(t *testing.T) {
	lines := []string{"a", "b", "c", "d", "e"}
	tests := []struct {
		per  int
		want [][]string
	}{
		{2, [][]string{{"a", "b"}, {"c", "d"}, {"e"}}},
		{5, [][]string{lines}},
		{0, [][]string{lines}},
	}
	for _, tt := range tests {
		got := pdfgen.Paginate(lines, tt.per)
		if len(got) != len(tt.want) {
			t.Fatalf("Paginate(%d) = %q, want %q", tt.per, got, tt.want)
		}
		for i := range got {
			if strings.Join(got[i], "|") != strings.Join(tt.want[i], "|") {
				t.Errorf("Paginate(%d) = %q, want %q", tt.per, got, tt.want)
			}
		}
	}
	if got := pdfgen.Paginate(nil, 3); got != nil {
		t.Errorf("Paginate(nil) = %q, want nil", got)
	}
}

func BenchmarkWrite(b *testing.B) {
	text := strings.Repeat(french+" ", 200)
	doc := pdfgen.Doc{Title: "bench", Pages: pdfgen.Paginate(pdfgen.Wrap(text, pdfgen.CharsPerLine), 0)}
	b.ReportAllocs()
	for b.Loop() {
		if err := pdfgen.Write(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCharsPerLine checks that prose wrapped at CharsPerLine and
// CharsPerColumn stays inside the column, measured with Helvetica widths.
func TestCharsPerLine(t *testing.T) {
	text := strings.Repeat(french+" Les intervenants communautaires accompagnent les personnes. ", 30)
	for _, tt := range []struct {
		chars int
		max   float64 // column width in points
	}{
		{pdfgen.CharsPerLine, 483},
		{pdfgen.CharsPerColumn, 232},
	} {
		for _, l := range pdfgen.Wrap(text, tt.chars) {
			if w := pdfgen.TextWidth(l, 10); w > tt.max {
				t.Errorf("TextWidth(%q) = %.1f pt, want <= %.0f", l, w, tt.max)
			}
		}
	}
	if got := pdfgen.TextWidth("AV", 10); got != 13.34 {
		t.Errorf(`TextWidth("AV", 10) = %v, want 13.34`, got)
	}
}
