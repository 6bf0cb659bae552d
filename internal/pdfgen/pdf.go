package pdfgen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Page geometry, in points, for an A4 page set in 10 pt Helvetica.
const (
	pageWidth   = 595
	pageHeight  = 842
	marginLeft  = 56
	marginRight = 56
	firstLine   = 770 // baseline of the first body line
	leading     = 13  // distance between baselines
	fontSize    = 10
	smallSize   = 8 // running header and page numbers
	headerLine  = 800
	footerLine  = 30
	gutter      = 18 // space between the two columns
)

// LinesPerColumn is how many body lines fit in one column of a page.
const LinesPerColumn = 55

// CharsPerLine and CharsPerColumn are the widths, in characters, to give
// Wrap for one-column and two-column pages so that ordinary prose in 10 pt
// Helvetica stays inside the margins.
const (
	CharsPerLine   = 95
	CharsPerColumn = 45
)

// ErrTooManyLines is returned by Write when a page holds more lines than
// its columns can show.
var ErrTooManyLines = errors.New("too many lines for one page")

// ErrUnencodable is returned by Write when text holds a character that
// WinAnsiEncoding cannot represent.
var ErrUnencodable = errors.New("character not in WinAnsiEncoding")

// A Doc is the content of one PDF file. The zero value is a valid document
// of one blank page.
type Doc struct {
	Title   string    // /Info /Title; empty means none
	Author  string    // /Info /Author; empty means none
	Subject string    // /Info /Subject; empty means none
	Date    time.Time // /Info /CreationDate; zero means none (output stays deterministic)

	// Pages holds the lines of text of each page, top to bottom. Lines are
	// drawn as given (use Wrap to break prose); an empty line is a blank
	// line. No pages means one blank page.
	Pages [][]string

	// Columns is 1 or 2; 0 means 1. With 2 columns the first half of a
	// page's lines (rounded up) fill the left column and the rest the right.
	Columns int

	// Header, when not empty, is drawn in small type at the top of every
	// page, as a running header.
	Header string

	// PageNumbers draws the page number in small type at the foot of
	// every page.
	PageNumbers bool
}

// Write writes doc to w as a PDF 1.4 file.
func Write(w io.Writer, doc Doc) error {
	cols := doc.Columns
	switch cols {
	case 0:
		cols = 1
	case 1, 2:
	default:
		return fmt.Errorf("write pdf: %d columns: want 1 or 2", doc.Columns)
	}
	pages := doc.Pages
	if len(pages) == 0 {
		pages = [][]string{nil}
	}

	// Objects: 1 catalog, 2 page tree, 3 font, 4 info, then for page i
	// (from 0) the page 5+2i and its content stream 6+2i.
	var contents [][]byte
	for i, lines := range pages {
		if len(lines) > cols*LinesPerColumn {
			return fmt.Errorf("write pdf: page %d has %d lines, at most %d fit: %w", i+1, len(lines), cols*LinesPerColumn, ErrTooManyLines)
		}
		c, err := content(lines, cols, doc.Header, doc.PageNumbers, i+1)
		if err != nil {
			return fmt.Errorf("write pdf: page %d: %w", i+1, err)
		}
		contents = append(contents, c)
	}

	var b bytes.Buffer
	var offsets []int // offsets[n-1] is the offset of object n
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}

	// The comment with four high bytes marks the file as binary.
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids strings.Builder
	for i := range pages {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", 5+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 %d %d] >>", kids.String(), len(pages), pageWidth, pageHeight))
	obj(fontDict())
	obj(info(doc))
	for i, c := range contents {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 6+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c))
	}

	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)

	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// content returns the content stream of one page.
func content(lines []string, cols int, header string, numbers bool, page int) ([]byte, error) {
	var b bytes.Buffer
	if header != "" {
		s, err := pdfString(header)
		if err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		fmt.Fprintf(&b, "BT /F1 %d Tf %d %d Td %s Tj ET\n", smallSize, marginLeft, headerLine, s)
	}
	split := len(lines)
	if cols == 2 {
		split = (len(lines) + 1) / 2
	}
	colWidth := (pageWidth - marginLeft - marginRight - (cols-1)*gutter) / cols
	for c, part := range [][]string{lines[:split], lines[split:]} {
		if len(part) == 0 {
			continue
		}
		x := marginLeft + c*(colWidth+gutter)
		fmt.Fprintf(&b, "BT /F1 %d Tf %d TL %d %d Td", fontSize, leading, x, firstLine)
		for i, l := range part {
			if i > 0 {
				b.WriteString(" T*")
			}
			if l == "" {
				continue
			}
			s, err := pdfString(l)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", c*split+i+1, err)
			}
			fmt.Fprintf(&b, "\n%s Tj", s)
		}
		b.WriteString(" ET\n")
	}
	if numbers {
		fmt.Fprintf(&b, "BT /F1 %d Tf %d %d Td (%d) Tj ET\n", smallSize, pageWidth/2, footerLine, page)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// fontDict returns the font dictionary of Helvetica with its widths.
func fontDict() string {
	var b strings.Builder
	b.WriteString("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [")
	for i, w := range helvetica {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(w))
	}
	b.WriteString("] >>")
	return b.String()
}

// info returns the document information dictionary.
func info(doc Doc) string {
	var b strings.Builder
	b.WriteString("<< /Producer (peermap pdfgen)")
	for _, kv := range []struct{ k, v string }{{"Title", doc.Title}, {"Author", doc.Author}, {"Subject", doc.Subject}} {
		if kv.v != "" {
			fmt.Fprintf(&b, " /%s %s", kv.k, textString(kv.v))
		}
	}
	if !doc.Date.IsZero() {
		fmt.Fprintf(&b, " /CreationDate (D:%sZ)", doc.Date.UTC().Format("20060102150405"))
	}
	b.WriteString(" >>")
	return b.String()
}

// pdfString encodes s in WinAnsiEncoding as a PDF literal string.
func pdfString(s string) (string, error) {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		c, ok := winAnsi(r)
		if !ok {
			return "", fmt.Errorf("%q (%U): %w", r, r, ErrUnencodable)
		}
		switch c {
		case '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String(), nil
}

// textString encodes s as a PDF text string: a literal string when s is
// printable ASCII, else UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// Paginate cuts lines into pages of at most perPage lines; perPage < 1
// means LinesPerColumn.
func Paginate(lines []string, perPage int) [][]string {
	if perPage < 1 {
		perPage = LinesPerColumn
	}
	var pages [][]string
	for len(lines) > 0 {
		n := min(perPage, len(lines))
		pages = append(pages, lines[:n:n])
		lines = lines[n:]
	}
	return pages
}

// TextWidth returns the width of s, in points, set in Helvetica at size
// points. Characters outside WinAnsiEncoding count as zero width.
func TextWidth(s string, size float64) float64 {
	w := 0
	for _, r := range s {
		if c, ok := winAnsi(r); ok {
			w += helvetica[c-32]
		}
	}
	return float64(w) * size / 1000
}
