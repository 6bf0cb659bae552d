package pdf

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// This file and interp.go turn one PDF page into lines of text, with our
// own small content-stream interpreter (interp.go) on top of ledongthuc/pdf's tokenizer
// (pdf.Interpret) and font decoders instead of calling Page.GetPlainText or
// Page.Content, because:
//   - GetPlainText emits no positions, so words drawn with explicit spacing
//     (TJ offsets, Td moves) come out glued ("peersupport");
//   - Content re-parses every font's ToUnicode CMap on each Tf operator and
//     uses single-byte widths for two-byte (CID) fonts;
//   - neither follows form XObjects (Do), which some producers use for
//     whole pages of text.
// The interpreter tracks the text state (Tm, Tc, Tw, Tz, Ts, TL), the CTM and
// q/Q, and emits one span per shown string with its start and end x, its
// baseline y and its font size. Lines are then built in content-stream order,
// which for LaTeX and Word output (the bulk of the corpus) is reading order,
// two-column pages included (column one is drawn before column two).

// pdfMatrix is a PDF affine matrix [a b c d e f] as rows {a b} {c d} {e f}.
type pdfMatrix [6]float64

var pdfIdentity = pdfMatrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (apply m first, then n), as in the PDF spec.
func (m pdfMatrix) mul(n pdfMatrix) pdfMatrix {
	return pdfMatrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m pdfMatrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

// pdfSpan is one shown string: text, baseline start, end x and font size in
// device space.
type pdfSpan struct {
	s         string
	x, end, y float64
	yEnd      float64 // y at the end of the text (differs from y on rotated text)
	size      float64
	quadrant  int8  // text direction: 0 left-to-right, 1 upwards, 2 upside down, 3 downwards
	vertical  bool  // not in the page's main direction (figure labels); kept, on its own line
	rtl       int32 // if s holds right-to-left text, 1 + its index in the page's glyph table (pdfPageScan.rtl); else 0
}

// pdfFont is a font prepared once per resource scope: its decoder and its
// glyph widths, so the interpreter never touches the font dictionary again.
type pdfFont struct {
	f       *pdf.Font
	twoByte bool
	first   int
	widths  []float64
	cidW    map[int]float64
	dw      float64 // default width (glyph units)
	missing float64
	scale   float64      // glyph units → text space (1/1000, or Type3 FontMatrix)
	em      float64      // the em in text space per unit of font size (1, except Type3)
	table   *[256]string // code → text for simple fonts with an /Encoding dictionary
}

// decode returns the text of raw font codes.
func (pf *pdfFont) decode(raw string) string {
	if pf.table == nil {
		return pf.f.Encoder().Decode(raw)
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		b.WriteString(pf.table[raw[i]])
	}
	return b.String()
}

// pdfSimpleTable builds the code table of a simple font whose /Encoding is a
// dictionary. ledongthuc/pdf decodes such fonts through /Differences only
// and passes every other byte through as Latin-1, so WinAnsi quotes and
// dashes (0x91–0x97) became C1 controls and vanished ("you’d" → "youd").
// Here the base encoding fills the table and the library decodes each
// /Differences code (it knows the glyph names).
func pdfSimpleTable(f *pdf.Font, enc pdf.Value) *[256]string {
	var t [256]string
	base := charmap.Windows1252 // WinAnsi; also stands in for StandardEncoding
	if enc.Key("BaseEncoding").Name() == "MacRomanEncoding" {
		base = charmap.Macintosh
	}
	for c := 0; c < 256; c++ {
		t[c] = string(base.DecodeByte(byte(c)))
	}
	d := f.Encoder()
	diffs := enc.Key("Differences")
	code := -1
	for i := 0; i < diffs.Len() && i < 1024; i++ {
		x := diffs.Index(i)
		switch x.Kind() {
		case pdf.Integer:
			code = int(x.Int64())
		case pdf.Name:
			if code >= 0 && code < 256 {
				s := d.Decode(string([]byte{byte(code)}))
				if s != string(rune(code)) || code < 128 {
					t[code] = s
				}
			}
			code++
		}
	}
	return &t
}

// pdfFontKey identifies a font dictionary across the pages of a document
// without its object number (which the library does not expose): fonts are
// shared between pages, and preparing one (CMap, widths, encoding) is the
// costliest part of a page. Subset prefixes make BaseFont names unique in
// practice; the encoding and ToUnicode length separate the rest.
func pdfFontKey(v pdf.Value) string {
	return v.Key("BaseFont").Name() + "|" + v.Key("Subtype").Name() + "|" +
		v.Key("FirstChar").String() + "|" + v.Key("LastChar").String() + "|" +
		v.Key("Widths").Index(0).String() + "|" + strconv.Itoa(v.Key("Widths").Len()) + "|" +
		v.Key("FontMatrix").String() + "|" + v.Key("Encoding").String() + "|" +
		v.Key("ToUnicode").Key("Length").String() + "|" + v.Key("DescendantFonts").Index(0).Key("BaseFont").Name()
}

// pdfFontCache holds the fonts prepared for one document.
type pdfFontCache map[string]*pdfFont

func (c pdfFontCache) get(v pdf.Value) *pdfFont {
	if c == nil {
		return pdfNewFont(v)
	}
	k := pdfFontKey(v)
	f, ok := c[k]
	if !ok {
		f = pdfNewFont(v)
		c[k] = f
	}
	return f
}

func pdfNewFont(v pdf.Value) *pdfFont {
	f := &pdf.Font{V: v}
	pf := &pdfFont{f: f, scale: 0.001, dw: 1000, em: 1}
	if enc := v.Key("Encoding"); enc.Kind() == pdf.Dict && v.Key("Subtype").Name() != "Type0" {
		pf.table = pdfSimpleTable(f, enc)
	} else if enc.IsNull() && v.Key("ToUnicode").IsNull() && v.Key("Subtype").Name() == "Type1" {
		pf.table = pdfBuiltinTable(v)
	}
	if v.Key("Subtype").Name() == "Type0" {
		pf.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			pf.dw = dw.Float64()
		}
		pf.cidW = map[int]float64{}
		w := d.Key("W")
		for i := 0; i < w.Len() && len(pf.cidW) < 1<<16; {
			c := int(w.Index(i).Int64())
			next := w.Index(i + 1)
			if next.Kind() == pdf.Array {
				for j := 0; j < next.Len() && j < 1<<16; j++ {
					pf.cidW[c+j] = next.Index(j).Float64()
				}
				i += 2
				continue
			}
			last := int(next.Int64())
			wd := w.Index(i + 2).Float64()
			for c2 := c; c2 <= last && c2-c < 1<<16; c2++ {
				pf.cidW[c2] = wd
			}
			i += 3
		}
		return pf
	}
	if v.Key("Subtype").Name() == "Type3" {
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			pf.scale = math.Abs(m.Index(0).Float64())
		}
	}
	pf.first = int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for i := 0; i < ws.Len() && i < 1<<16; i++ {
		pf.widths = append(pf.widths, ws.Index(i).Float64())
	}
	pf.missing = v.Key("FontDescriptor").Key("MissingWidth").Float64()
	if v.Key("Subtype").Name() == "Type3" {
		// Type3 glyph space is arbitrary (dvips bitmap fonts use pixels):
		// take the em as twice the average glyph width.
		sum, n := 0.0, 0
		for _, w := range pf.widths {
			if w > 0 {
				sum += w
				n++
			}
		}
		if n > 0 {
			pf.em = 2 * sum / float64(n) * pf.scale
		}
	}
	if len(pf.widths) == 0 {
		// Standard 14 fonts carry no widths: 500 is a fair average, and a
		// space drawn as a glyph is still seen as a space.
		pf.missing = 500
		pf.scale = 0.001
	}
	return pf
}

// advance returns the width of raw (font codes) in glyph units and the
// number of single-byte spaces in it (for Tw).
func (pf *pdfFont) advance(raw string) (w float64, glyphs, spaces int) {
	if pf.twoByte {
		for i := 0; i+1 < len(raw); i += 2 {
			c := int(raw[i])<<8 | int(raw[i+1])
			if cw, ok := pf.cidW[c]; ok {
				w += cw
			} else {
				w += pf.dw
			}
			glyphs++
		}
		return w, glyphs, 0
	}
	for i := 0; i < len(raw); i++ {
		c := int(raw[i])
		if k := c - pf.first; k >= 0 && k < len(pf.widths) {
			w += pf.widths[k]
		} else {
			w += pf.missing
		}
		if c == ' ' {
			spaces++
		}
	}
	return w, len(raw), spaces
}

// pdfOrient turns span coordinates so that the page's main text direction
// (the one most glyphs follow) reads left to right, top to bottom: rotated
// pages (landscape scans, /Rotate, dvips output) then read like upright
// ones. Spans in other directions are marked vertical.
func pdfOrient(spans []pdfSpan) {
	var count [4]int
	for _, sp := range spans {
		count[sp.quadrant] += len(sp.s)
	}
	q := 0
	for i := range count {
		if count[i] > count[q] {
			q = i
		}
	}
	for i := range spans {
		sp := &spans[i]
		sp.vertical = int(sp.quadrant) != q
		if q == 0 {
			continue
		}
		// Rotate by -q×90° the start point; the end point lies along the
		// text direction, so its new x is the start's plus the advance.
		x0, y0, x1, y1 := sp.x, sp.y, sp.end, sp.yEnd
		switch q {
		case 1: // upwards: u = y, v = -x
			sp.x, sp.y, sp.end = y0, -x0, y1
		case 2:
			sp.x, sp.y, sp.end = -x0, -y0, -x1
		case 3: // downwards: u = -y, v = x
			sp.x, sp.y, sp.end = -y0, x0, -y1
		}
	}
}

// pdfLine is one line of text on a page.
type pdfLine struct {
	text      string
	x, end, y float64
	size      float64 // largest font size on the line
}

// pdfLines groups spans into lines in content-stream order and inserts
// spaces where the gap between two spans is wider than a fraction of the
// font size (pdftotext uses a similar rule). A line with right-to-left
// text is put in logical order (pdfLogical); such a line may also be drawn
// from right to left, a span ending where the line so far begins.
// table holds the glyphs of the spans with right-to-left text.
func pdfLines(spans []pdfSpan, table [][]string) []pdfLine {
	var lines []pdfLine
	var b strings.Builder
	var cur pdfLine
	var parts []pdfSpan // the spans of the open line, kept once it holds right-to-left text
	var runs []int      // where in parts each run drawn left to right starts
	rtl := false        // the open line holds right-to-left text
	open := false
	lastEnd := 0.0
	lineStart := 0 // index in spans of the open line's first span
	flush := func() {
		if open {
			if rtl {
				cur.text = strings.TrimSpace(pdfLogical(parts, runs, table))
			} else {
				cur.text = strings.TrimSpace(b.String())
			}
			if cur.text != "" {
				lines = append(lines, cur)
			}
		}
		b.Reset()
		parts, runs = parts[:0], runs[:0]
		open, rtl = false, false
	}
	for i, sp := range spans {
		if sp.s == "" {
			continue
		}
		size := sp.size
		if size <= 0 {
			size = 1
		}
		if open {
			tol := 0.5 * math.Max(size, cur.size)
			onLine := !sp.vertical && math.Abs(sp.y-cur.y) <= tol
			sameLine := onLine && sp.x >= lastEnd-1.5*size
			leftward := onLine && !sameLine && (rtl || sp.rtl != 0) && sp.end <= cur.x+1.5*size && sp.end >= cur.x-1.5*size
			if sameLine || leftward {
				if sp.rtl != 0 && !rtl {
					rtl = true
					runs = append(runs, 0)
					for _, p := range spans[lineStart:i] {
						if p.s != "" {
							parts = append(parts, p)
						}
					}
				}
				if rtl {
					if leftward {
						runs = append(runs, len(parts))
					}
					parts = append(parts, sp)
				}
				gap := sp.x - lastEnd
				prev := b.String()
				if gap > 0.15*size && !strings.HasSuffix(prev, " ") && !strings.HasPrefix(sp.s, " ") {
					b.WriteByte(' ')
				}
				b.WriteString(sp.s)
				if sp.end > lastEnd {
					lastEnd = sp.end
				}
				if sp.end > cur.end {
					cur.end = sp.end
				}
				if sp.x < cur.x {
					cur.x = sp.x
				}
				if sp.size > cur.size {
					cur.size = sp.size
				}
				continue
			}
			flush()
		}
		cur = pdfLine{x: sp.x, end: sp.end, y: sp.y, size: size}
		b.WriteString(sp.s)
		lastEnd = sp.end
		open = true
		lineStart = i
		if sp.rtl != 0 {
			rtl = true
			runs = append(runs, 0)
			parts = append(parts, sp)
		}
	}
	flush()
	return lines
}

// pdfJoinLines joins lines into page text: one line per "\n", with a blank
// line where the vertical gap is larger than usual (a paragraph or block
// break) or where the text moves up (next column, float, footnote).
func pdfJoinLines(lines []pdfLine) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev := lines[i-1]
			gap := prev.y - l.y
			if gap > 1.8*math.Max(prev.size, l.size) || gap < -prev.size {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// pdfCountLetters counts letters in s.
func pdfCountLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
