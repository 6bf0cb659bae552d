package pdf

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// This file turns one PDF page into lines of text. It runs its own small
// content-stream interpreter on top of ledongthuc/pdf's tokenizer
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
	quadrant  int  // text direction: 0 left-to-right, 1 upwards, 2 upside down, 3 downwards
	vertical  bool // not in the page's main direction (figure labels); kept, on its own line
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

// pdfTextState is the part of the graphics state the text extractor needs.
type pdfTextState struct {
	ctm                       pdfMatrix
	tc, tw, th, tl, tfs, rise float64
	font                      *pdfFont
}

// pdfPageScan is the result of interpreting one page.
type pdfPageScan struct {
	spans    []pdfSpan
	images   bool // an image XObject or inline image is drawn
	glyphs   int  // glyphs shown, decoded or not
	truncate bool // the page hit the span or text cap
	fonts    pdfFontCache
}

// pdfAbort is the panic value used to stop the interpreter (timeout, caps).
type pdfAbort struct{ err error }

const (
	pdfMaxSpans    = 400_000 // per page
	pdfMaxFormNest = 8
	pdfMaxOps      = 20_000_000 // per page, forms included (a form drawn from itself)
)

// pdfScanPage interprets the content stream of page p into sc. It panics
// (with the library's own panics, or pdfAbort when ctx ends); the caller
// recovers.
// What was found before a panic stays in sc.
func pdfScanPage(ctx context.Context, sc *pdfPageScan, p pdf.Page) {
	if p.V.IsNull() {
		return
	}
	res := p.Resources()
	contents := p.V.Key("Contents")
	if contents.IsNull() {
		return
	}
	ops := 0
	pdfInterpret(ctx, sc, contents, res, pdfIdentity, 0, &ops)
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
		sp.vertical = sp.quadrant != q
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

func pdfInterpret(ctx context.Context, sc *pdfPageScan, strm, res pdf.Value, ctm pdfMatrix, depth int, ops *int) {
	fonts := map[string]*pdfFont{}
	g := pdfTextState{ctm: ctm, th: 1}
	var stack []pdfTextState
	var tm, tlm pdfMatrix
	var args []pdf.Value

	var show1 func(raw string)
	// show splits a string into glyphs when the character spacing is wide
	// enough to be a word space: cermine_test2 draws "reactions to" as
	// [(r)436(e)427 ... (st)429.9(o)], the Tc inside "st" being the space.
	show := func(raw string) {
		f := g.font
		step := 1
		if f != nil && f.twoByte {
			step = 2
		}
		if f == nil || len(raw) <= step || math.Abs(g.tc) <= 0.1*math.Abs(g.tfs*f.em) {
			show1(raw)
			return
		}
		for i := 0; i+step <= len(raw); i += step {
			show1(raw[i : i+step])
		}
	}
	show1 = func(raw string) {
		f := g.font
		if f == nil {
			f = &pdfFont{f: &pdf.Font{}, missing: 500, scale: 0.001, em: 1}
		}
		var s string
		if g.font != nil {
			s = f.decode(raw)
		} else {
			s = raw
		}
		w, glyphs, spaces := f.advance(raw)
		tx := (w*f.scale*g.tfs + float64(glyphs)*g.tc + float64(spaces)*g.tw) * g.th
		// The visible end leaves out the spacing after the last glyph:
		// some producers space words with Tc alone (cermine_test2 sets
		// Tc 0.43 and pulls every glyph back except at word ends).
		vis := tx
		if glyphs > 0 {
			vis -= g.tc * g.th
			if !f.twoByte && raw[len(raw)-1] == ' ' {
				vis -= g.tw * g.th
			}
		}
		trm := tm.mul(g.ctm)
		x0, y0 := trm.apply(0, g.rise)
		x1, y1 := trm.apply(vis, g.rise)
		size := math.Hypot(trm[2], trm[3]) * g.tfs * f.em
		sc.glyphs += glyphs
		if len(sc.spans) < pdfMaxSpans {
			sp := pdfSpan{s: s, x: x0, end: x1, y: y0, size: math.Abs(size)}
			// Direction of the text: from the text matrix, as a
			// zero-width string has no extent.
			switch dx, dy := trm[0], trm[1]; {
			case math.Abs(dx) >= math.Abs(dy) && dx >= 0:
				sp.quadrant = 0
			case math.Abs(dx) >= math.Abs(dy):
				sp.quadrant = 2
			case dy > 0:
				sp.quadrant = 1
			default:
				sp.quadrant = 3
			}
			sp.yEnd = y1
			sc.spans = append(sc.spans, sp)
		} else {
			sc.truncate = true
		}
		tm = pdfMatrix{1, 0, 0, 1, tx, 0}.mul(tm)
	}
	num := func(i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}

	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		*ops++
		if *ops&0xfff == 0 {
			if err := ctx.Err(); err != nil {
				panic(pdfAbort{err})
			}
			if *ops > pdfMaxOps {
				panic(pdfAbort{fmt.Errorf("more than %d operators on the page", pdfMaxOps)})
			}
		}
		n := stk.Len()
		if cap(args) < n {
			args = make([]pdf.Value, n)
		}
		args = args[:n]
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			if len(stack) < 1024 {
				stack = append(stack, g)
			}
		case "Q":
			if k := len(stack) - 1; k >= 0 {
				g = stack[k]
				stack = stack[:k]
			}
		case "cm":
			if n == 6 {
				g.ctm = pdfMatrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = pdfIdentity, pdfIdentity
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Tf":
			if n == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					fv := res.Key("Font").Key(name)
					if !fv.IsNull() {
						f = sc.fonts.get(fv)
					}
					fonts[name] = f
				}
				g.font = f
				g.tfs = num(1)
			}
		case "Td", "TD":
			if n == 2 {
				if op == "TD" {
					g.tl = -num(1)
				}
				tlm = pdfMatrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
				tm = tlm
			}
		case "Tm":
			if n == 6 {
				tlm = pdfMatrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = pdfMatrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
		case "Tj":
			if n >= 1 {
				show(args[n-1].RawString())
			}
		case "'", "\"":
			if op == "\"" && n == 3 {
				g.tw, g.tc = num(0), num(1)
			}
			tlm = pdfMatrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
			if n >= 1 {
				show(args[n-1].RawString())
			}
		case "TJ":
			if n >= 1 {
				v := args[n-1]
				for i := 0; i < v.Len(); i++ {
					e := v.Index(i)
					if e.Kind() == pdf.String {
						show(e.RawString())
						continue
					}
					tx := -e.Float64() / 1000 * g.tfs * g.th
					tm = pdfMatrix{1, 0, 0, 1, tx, 0}.mul(tm)
				}
			}
		case "BI", "ID", "EI":
			sc.images = true
		case "Do":
			if n < 1 {
				break
			}
			xo := res.Key("XObject").Key(args[0].Name())
			switch xo.Key("Subtype").Name() {
			case "Image":
				sc.images = true
			case "Form":
				if depth >= pdfMaxFormNest {
					break
				}
				m := pdfIdentity
				if mv := xo.Key("Matrix"); mv.Len() == 6 {
					m = pdfMatrix{mv.Index(0).Float64(), mv.Index(1).Float64(), mv.Index(2).Float64(),
						mv.Index(3).Float64(), mv.Index(4).Float64(), mv.Index(5).Float64()}
				}
				fres := xo.Key("Resources")
				if fres.IsNull() {
					fres = res
				}
				pdfInterpret(ctx, sc, xo, fres, m.mul(g.ctm), depth+1, ops)
			}
		}
	})
}

// pdfLine is one line of text on a page.
type pdfLine struct {
	text      string
	x, end, y float64
	size      float64 // largest font size on the line
}

// pdfLines groups spans into lines in content-stream order and inserts
// spaces where the gap between two spans is wider than a fraction of the
// font size (pdftotext uses a similar rule).
func pdfLines(spans []pdfSpan) []pdfLine {
	var lines []pdfLine
	var b strings.Builder
	var cur pdfLine
	open := false
	lastEnd := 0.0
	flush := func() {
		if open {
			cur.text = strings.TrimSpace(b.String())
			if cur.text != "" {
				lines = append(lines, cur)
			}
		}
		b.Reset()
		open = false
	}
	for _, sp := range spans {
		if sp.s == "" {
			continue
		}
		size := sp.size
		if size <= 0 {
			size = 1
		}
		if open {
			tol := 0.5 * math.Max(size, cur.size)
			sameLine := !sp.vertical && math.Abs(sp.y-cur.y) <= tol && sp.x >= lastEnd-1.5*size
			if sameLine {
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
