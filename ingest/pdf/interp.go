package pdf

import (
	"context"
	"fmt"
	"math"

	"github.com/ledongthuc/pdf"
)

// The content-stream interpreter: pdf.Interpret tokenizes a stream and
// calls back once per operator; pdfInterp keeps the state the text needs
// and hands each operator to the method of its family:
//
//	graphics state  q Q cm                        graphicsState
//	text state      BT Tc Tw Tz TL Ts Tf          textState
//	text position   Td TD Tm T*                   textPosition
//	text showing    Tj ' " TJ                     showText (show, showRun)
//	XObjects        Do, inline images BI ID EI    xobject
//
// Other operators (paths, colour, shading, marked content) draw nothing
// the text needs and are ignored.

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
	rtl      [][]string // the glyphs of each span with right-to-left text (pdfSpan.rtl)
}

// pdfAbort is the panic value used to stop the interpreter (timeout, caps).
type pdfAbort struct{ err error }

const (
	pdfMaxSpans    = 400_000 // per page
	pdfMaxFormNest = 8
	pdfMaxOps      = 20_000_000 // per page, forms included (a form drawn from itself)
	pdfCheckEvery  = 0xfff      // ctx (and the operator cap) are checked every 4096 operators or loop steps
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

// pdfInterp is the state of one content stream being interpreted: a page,
// or a form XObject drawn from it (forms get their own pdfInterp and share
// sc and the operator count).
type pdfInterp struct {
	sc    *pdfPageScan
	res   pdf.Value // the stream's resources
	depth int       // form nesting
	ops   *int      // operators run on the page, forms included
	work  int       // TJ elements and glyphs shown one by one (see tick)

	fonts   map[string]*pdfFont // by resource name
	g       pdfTextState
	stack   []pdfTextState // saved by q, restored by Q
	tm, tlm pdfMatrix      // text matrix and text line matrix
	args    []pdf.Value    // the operands of the current operator
}

// pdfInterpret interprets strm (with resources res, drawn under ctm) into sc.
func pdfInterpret(ctx context.Context, sc *pdfPageScan, strm, res pdf.Value, ctm pdfMatrix, depth int, ops *int) {
	in := &pdfInterp{
		sc: sc, res: res, depth: depth, ops: ops,
		fonts: map[string]*pdfFont{},
		g:     pdfTextState{ctm: ctm, th: 1},
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) { in.step(ctx, stk, op) })
}

// step runs one operator: it counts it (checking ctx and the cap every
// pdfCheckEvery+1 operators), takes its operands off the stack and
// dispatches by family.
func (in *pdfInterp) step(ctx context.Context, stk *pdf.Stack, op string) {
	*in.ops++
	if *in.ops&pdfCheckEvery == 0 {
		if err := ctx.Err(); err != nil {
			panic(pdfAbort{err})
		}
		if *in.ops > pdfMaxOps {
			panic(pdfAbort{fmt.Errorf("more than %d operators on the page", pdfMaxOps)})
		}
	}
	n := stk.Len()
	if cap(in.args) < n {
		in.args = make([]pdf.Value, n)
	}
	in.args = in.args[:n]
	for i := n - 1; i >= 0; i-- {
		in.args[i] = stk.Pop()
	}
	switch op {
	case "q", "Q", "cm":
		in.graphicsState(op)
	case "BT", "Tc", "Tw", "Tz", "TL", "Ts", "Tf":
		in.textState(op)
	case "Td", "TD", "Tm", "T*":
		in.textPosition(op)
	case "Tj", "'", "\"", "TJ":
		in.showText(ctx, op)
	case "BI", "ID", "EI", "Do":
		in.xobject(ctx, op)
	}
}

// tick counts one step of a loop inside an operator (a TJ element, a glyph
// shown on its own), so that a single operator with millions of them still
// sees ctx end.
func (in *pdfInterp) tick(ctx context.Context) {
	in.work++
	if in.work&pdfCheckEvery == 0 {
		if err := ctx.Err(); err != nil {
			panic(pdfAbort{err})
		}
	}
}

// num returns operand i as a number (0 if it is missing or not a number).
func (in *pdfInterp) num(i int) float64 {
	if i < len(in.args) {
		return in.args[i].Float64()
	}
	return 0
}

// matrix returns the six operands as a matrix.
func (in *pdfInterp) matrix() pdfMatrix {
	return pdfMatrix{in.num(0), in.num(1), in.num(2), in.num(3), in.num(4), in.num(5)}
}

// graphicsState runs q, Q and cm.
func (in *pdfInterp) graphicsState(op string) {
	switch op {
	case "q":
		if len(in.stack) < 1024 {
			in.stack = append(in.stack, in.g)
		}
	case "Q":
		if k := len(in.stack) - 1; k >= 0 {
			in.g = in.stack[k]
			in.stack = in.stack[:k]
		}
	case "cm":
		if len(in.args) == 6 {
			in.g.ctm = in.matrix().mul(in.g.ctm)
		}
	}
}

// textState runs BT and the text state operators Tc, Tw, Tz, TL, Ts, Tf.
func (in *pdfInterp) textState(op string) {
	switch op {
	case "BT":
		in.tm, in.tlm = pdfIdentity, pdfIdentity
	case "Tc":
		in.g.tc = in.num(0)
	case "Tw":
		in.g.tw = in.num(0)
	case "Tz":
		in.g.th = in.num(0) / 100
	case "TL":
		in.g.tl = in.num(0)
	case "Ts":
		in.g.rise = in.num(0)
	case "Tf":
		if len(in.args) == 2 {
			name := in.args[0].Name()
			f, ok := in.fonts[name]
			if !ok {
				fv := in.res.Key("Font").Key(name)
				if !fv.IsNull() {
					f = in.sc.fonts.get(fv)
				}
				in.fonts[name] = f
			}
			in.g.font = f
			in.g.tfs = in.num(1)
		}
	}
}

// textPosition runs the text positioning operators Td, TD, Tm and T*.
func (in *pdfInterp) textPosition(op string) {
	switch op {
	case "Td", "TD":
		if len(in.args) == 2 {
			if op == "TD" {
				in.g.tl = -in.num(1)
			}
			in.tlm = pdfMatrix{1, 0, 0, 1, in.num(0), in.num(1)}.mul(in.tlm)
			in.tm = in.tlm
		}
	case "Tm":
		if len(in.args) == 6 {
			in.tlm = in.matrix()
			in.tm = in.tlm
		}
	case "T*":
		in.nextLine()
	}
}

// nextLine moves to the start of the next line (T*, ' and ").
func (in *pdfInterp) nextLine() {
	in.tlm = pdfMatrix{1, 0, 0, 1, 0, -in.g.tl}.mul(in.tlm)
	in.tm = in.tlm
}

// showText runs the text showing operators Tj, ', " and TJ.
func (in *pdfInterp) showText(ctx context.Context, op string) {
	n := len(in.args)
	switch op {
	case "Tj":
		if n >= 1 {
			in.show(ctx, in.args[n-1].RawString())
		}
	case "'", "\"":
		if op == "\"" && n == 3 {
			in.g.tw, in.g.tc = in.num(0), in.num(1)
		}
		in.nextLine()
		if n >= 1 {
			in.show(ctx, in.args[n-1].RawString())
		}
	case "TJ":
		if n >= 1 {
			v := in.args[n-1]
			for i := 0; i < v.Len(); i++ {
				in.tick(ctx)
				e := v.Index(i)
				if e.Kind() == pdf.String {
					in.show(ctx, e.RawString())
					continue
				}
				tx := -e.Float64() / 1000 * in.g.tfs * in.g.th
				in.tm = pdfMatrix{1, 0, 0, 1, tx, 0}.mul(in.tm)
			}
		}
	}
}

// show shows a string of font codes. It splits the string into glyphs when
// the character spacing is wide enough to be a word space: cermine_test2
// draws "reactions to" as [(r)436(e)427 ... (st)429.9(o)], the Tc inside
// "st" being the space.
func (in *pdfInterp) show(ctx context.Context, raw string) {
	f := in.g.font
	step := 1
	if f != nil && f.twoByte {
		step = 2
	}
	if f == nil || len(raw) <= step || math.Abs(in.g.tc) <= 0.1*math.Abs(in.g.tfs*f.em) {
		in.showRun(raw)
		return
	}
	for i := 0; i+step <= len(raw); i += step {
		in.tick(ctx)
		in.showRun(raw[i : i+step])
	}
}

// showRun emits raw as one span and advances the text matrix past it.
func (in *pdfInterp) showRun(raw string) {
	g := &in.g
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
	trm := in.tm.mul(g.ctm)
	x0, y0 := trm.apply(0, g.rise)
	x1, y1 := trm.apply(vis, g.rise)
	size := math.Hypot(trm[2], trm[3]) * g.tfs * f.em
	sc := in.sc
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
		if g.font != nil && pdfHasRTL(s) {
			sc.rtl = append(sc.rtl, f.glyphs(raw)) // right-to-left text: pdfLogical reorders by glyph
			sp.rtl = int32(len(sc.rtl))
		}
		sc.spans = append(sc.spans, sp)
	} else {
		sc.truncate = true
	}
	in.tm = pdfMatrix{1, 0, 0, 1, tx, 0}.mul(in.tm)
}

// xobject runs Do (image and form XObjects) and notes inline images
// (BI, ID, EI).
func (in *pdfInterp) xobject(ctx context.Context, op string) {
	if op != "Do" {
		in.sc.images = true
		return
	}
	if len(in.args) < 1 {
		return
	}
	xo := in.res.Key("XObject").Key(in.args[0].Name())
	switch xo.Key("Subtype").Name() {
	case "Image":
		in.sc.images = true
	case "Form":
		if in.depth >= pdfMaxFormNest {
			return
		}
		m := pdfIdentity
		if mv := xo.Key("Matrix"); mv.Len() == 6 {
			m = pdfMatrix{mv.Index(0).Float64(), mv.Index(1).Float64(), mv.Index(2).Float64(),
				mv.Index(3).Float64(), mv.Index(4).Float64(), mv.Index(5).Float64()}
		}
		fres := xo.Key("Resources")
		if fres.IsNull() {
			fres = in.res
		}
		pdfInterpret(ctx, in.sc, xo, fres, m.mul(in.g.ctm), in.depth+1, in.ops)
	}
}
