package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/text"
)

// PDF extraction, in outline (details in the other files of this package):
//
//  1. pdfRepair cuts junk before "%PDF-" (first KiB), rewrites PDF 2.0 and
//     other headers ledongthuc/pdf refuses to "%PDF-1.7", and drops junk
//     after the last "%%EOF".
//  2. ledongthuc/pdf opens the file; each page is interpreted on its own
//     (layout.go, interp.go) under recover, so a bad page costs that page only.
//  3. Each page's text is measured (quality.go). Poor pages (garbage
//     characters, lost spaces, glyphs that decode to nothing, or a page that
//     panicked) are replaced by pdftotext's text for that page when
//     pdftotext is installed and does better. If ledongthuc cannot open the
//     file at all, pdftotext does the whole file.
//  4. Text is normalised (NFKC, ligatures), running headers/footers and page
//     numbers are dropped, end-of-line hyphenation is joined (clean.go),
//     and pages are joined with "\n\n" and recorded as byte ranges.
//  5. Expected conditions are Skips, not errors: no text layer, encrypted,
//     not a PDF, timeout, extractor crash.
//
// Tricky files met in ../shared/corpus/pdf:
//   - pysample_009_GeoTopo (117 pages, pdflatex, math): many fonts per page;
//     fonts are prepared once per page and per form, never per Tf operator.
//   - pysample_015_arabic-habibi (1 page, 16 letters): little text but no
//     image, so it is text, not "needs OCR". Its ToUnicode map gives a
//     whole Arabic cluster to one glyph, in logical order; right-to-left
//     lines are reordered glyph by glyph (bidi.go), which keeps a cluster
//     whole. Most producers map one glyph to one letter and draw them in
//     visual order: those lines are reversed back into logical order.
//   - grobid_two_pages_image-only: page 1 is a scanned image, page 2 has a
//     real text layer (an abstract); the document is extracted, with a
//     warning for page 1.
//   - ocrmypdf_multipage_scanned-6pages: six scans; page 4 carries ~100
//     characters of OCR debris. A page that draws an image and has fewer than
//     pdfMinPageLetters letters counts as an image page; a document of image
//     and empty pages is SkipNoText.
//   - grobid_ZFN-A-054-0304-0272_scanned-bad-ocr: scans with an invisible
//     (Tr 3) OCR layer of ~2,000 letters a page: kept as text.
//   - ocrmypdf_invalid_header-plus-eof (44 bytes, header and %%EOF only):
//     SkipInvalid, "not a valid PDF: missing final startxref".

// pdfMinPageLetters is the number of letters under which a page that draws an
// image is taken as a scan (OCR debris, a caption at most).
const pdfMinPageLetters = 200

// pdfSkip returns the Result of a PDF without text.
func pdfSkip(skip corpus.Skip, detail string) *Result {
	return &Result{Skip: skip, SkipDetail: detail}
}

// Extract turns the bytes of the PDF name into a Result. Expected
// conditions (no text layer, encrypted, broken, timeout, crash) are
// returned as a Result with Skip set and a nil error; an error means ctx
// ended or no worker could be started, and names the file. With opts.Pool
// or opts.Worker the work is done in a child process (worker.go, pool.go);
// otherwise in-process, under recover and opts.Timeout.
func Extract(ctx context.Context, name string, data []byte, opts Options) (*Result, error) {
	if opts.Pool != nil {
		return opts.Pool.extract(ctx, name, data, opts)
	}
	if opts.Worker != nil {
		return pdfRunWorker(ctx, name, data, opts)
	}
	doc, _, err := pdfExtractGuarded(ctx, name, data, opts)
	return doc, err
}

// pdfStopGrace is how long a timed-out in-process extraction is given to
// notice its context and stop (it takes milliseconds; the rest is slack for
// a busy machine). It is shorter than the 2 s a worker's parent adds to the
// time limit before it kills the worker.
const pdfStopGrace = time.Second

// pdfExtractGuarded runs pdfExtract on its own goroutine under recover and
// opts.timeout(). When the time is up (or ctx ends) the extraction is told
// to stop through its context, which the interpreter checks every few
// thousand operators or glyphs and the library's reads check at every
// block of the file (pdfCtxReader), and pdfExtractGuarded waits for it to
// stop: pdfStopGrace at most. running reports an extraction
// that did not stop in that time and is still using this process.
func pdfExtractGuarded(ctx context.Context, name string, data []byte, opts Options) (doc *Result, running bool, err error) {
	tctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	type result struct {
		doc *Result
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{doc: pdfSkip(corpus.SkipFailed, fmt.Sprintf("pdf parser panicked: %v", p))}
				if err := tctx.Err(); err != nil {
					res = result{err: err} // a read cut by pdfCtxReader
				}
			}
			ch <- res
		}()
		res.doc, res.err = pdfExtract(tctx, name, data, opts)
	}()
	var res result
	select {
	case res = <-ch:
	case <-tctx.Done():
		grace := time.NewTimer(pdfStopGrace)
		defer grace.Stop()
		select {
		case res = <-ch:
		case <-grace.C:
			running = true
			opts.logger().Warn("extraction did not stop at its time limit", zap.String(corpus.LogKeyDoc, name),
				zap.Duration("timeout", opts.timeout()))
		}
	}
	switch {
	case running:
	case res.err == nil:
		return res.doc, false, nil // complete: pdfExtract checks ctx after its last read
	case tctx.Err() == nil:
		return nil, false, fmt.Errorf("extract %s: %w", name, res.err)
	}
	if err := ctx.Err(); err != nil {
		return nil, running, fmt.Errorf("extract %s: %w", name, err)
	}
	return pdfSkip(corpus.SkipTimeout, fmt.Sprintf("timed out after %s", opts.timeout())), running, nil
}

// pdfCtxReader is the file as the library reads it: once ctx ends, every
// read fails, so that the library's own loops (a content stream's tokens, a
// cross-reference table) end at their next read, which the interpreter's
// checks cannot reach.
type pdfCtxReader struct {
	ctx context.Context
	r   *bytes.Reader
}

func (c pdfCtxReader) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// pdfRepair returns data with the fixes ledongthuc/pdf needs to open it, a
// list of warnings describing them, and "" — or a reason the bytes are not a
// PDF at all. data is never modified; a copy is made when bytes change.
func pdfRepair(data []byte) (fixed []byte, warnings []string, invalid string) {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	i := bytes.Index(head, []byte("%PDF-"))
	if i < 0 {
		return nil, nil, "no %PDF- header in the first KiB"
	}
	if i > 0 {
		warnings = append(warnings, fmt.Sprintf("removed %d bytes before the %%PDF header", i))
		data = data[i:]
	}
	if j := bytes.LastIndex(data, []byte("%%EOF")); j >= 0 {
		end := j + len("%%EOF")
		if rest := bytes.TrimSpace(data[end:]); len(rest) > 0 {
			warnings = append(warnings, fmt.Sprintf("removed %d bytes after %%%%EOF", len(data)-end))
			data = data[:end]
		}
	}
	if len(data) < 10 {
		return nil, warnings, "file too short"
	}
	if !bytes.Contains(data, []byte("obj")) {
		return nil, warnings, "no objects after the header"
	}
	// ledongthuc/pdf accepts only "%PDF-1.[0-7]" followed by a line end.
	okVersion := data[5] == '1' && data[6] == '.' && data[7] >= '0' && data[7] <= '7'
	okEOL := data[8] == '\r' || data[8] == '\n'
	if !okVersion || !okEOL {
		c := make([]byte, len(data))
		copy(c, data)
		if !okVersion {
			warnings = append(warnings, fmt.Sprintf("header %q read as %%PDF-1.7", strings.TrimSpace(string(data[:8]))))
			copy(c, "%PDF-1.7")
		}
		c[8] = '\n'
		data = c
	}
	return data, warnings, ""
}

// pdfPage is one page on its way to the document.
type pdfPage struct {
	text      string // normalised text
	extractor string
	images    bool
	glyphs    int
	failed    string // panic or error while interpreting the page
	lines     []pdfLine
}

// pdfExtract does the work of Extract in the calling goroutine. It may
// panic; pdfExtractGuarded recovers.
func pdfExtract(ctx context.Context, name string, data []byte, opts Options) (*Result, error) {
	log := opts.logger()
	if len(data) == 0 {
		return pdfSkip(corpus.SkipInvalid, "not a valid PDF: empty file"), nil
	}
	fixed, warnings, invalid := pdfRepair(data)
	if invalid != "" {
		return pdfSkip(corpus.SkipInvalid, "not a valid PDF: "+invalid), nil
	}
	encrypted := bytes.Contains(fixed, []byte("/Encrypt"))
	bin := pdfToTextBin(opts)

	var pages []pdfPage
	var info pdf.Value
	r, err := pdf.NewReader(pdfCtxReader{ctx, bytes.NewReader(fixed)}, int64(len(fixed)))
	if err == nil {
		func() {
			// Resolving an object can panic on a malformed file; that is
			// the library's error signal.
			defer func() {
				if p := recover(); p != nil {
					info = pdf.Value{}
					warnings = append(warnings, fmt.Sprintf("info dictionary unreadable: %v", p))
				}
			}()
			info = r.Trailer().Key("Info")
			info.Key("Title") // resolve now, under this recover
		}()
	}
	if err == nil {
		pages, err = pdfReadPages(ctx, r)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// ledongthuc could not open the file or find its pages: pdftotext
		// rebuilds broken cross-reference tables and knows more ciphers.
		// The library's messages were written as format strings ("missing %%EOF").
		why := strings.ReplaceAll(err.Error(), "%%", "%")
		if errors.Is(err, pdf.ErrInvalidPassword) {
			encrypted = true
		}
		if bin == "" {
			if encrypted {
				return pdfSkip(corpus.SkipEncrypted, "encrypted"), nil
			}
			return pdfSkip(corpus.SkipInvalid, "not a valid PDF: "+why), nil
		}
		texts, terr := pdfToTextPages(ctx, bin, fixed, 0, 0)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case terr != nil && encrypted:
			return pdfSkip(corpus.SkipEncrypted, "encrypted"), nil
		case terr != nil:
			return pdfSkip(corpus.SkipInvalid, "not a valid PDF: "+why), nil
		}
		warnings = append(warnings, "ledongthuc/pdf: "+why+"; text from pdftotext")
		pages = make([]pdfPage, len(texts))
		for i, t := range texts {
			pages[i] = pdfPage{text: text.Normalize(t), extractor: ExtractorPdftotext}
		}
		if len(pages) == 0 {
			return pdfSkip(corpus.SkipInvalid, "not a valid PDF: "+why), nil
		}
	} else {
		warnings = append(warnings, pdfFallback(ctx, bin, fixed, pages, log, name)...)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}

	// No text layer: every page is empty or a scan with at most debris.
	textPages, imagePages := 0, 0
	for i, p := range pages {
		letters := pdfCountLetters(p.text)
		switch {
		case p.images && letters < pdfMinPageLetters:
			// A scan, or a figure page with a caption: its few letters
			// are kept, but they do not make the document a text PDF.
			imagePages++
			if letters == 0 {
				warnings = append(warnings, fmt.Sprintf("page %d: no text layer (needs OCR)", i+1))
			}
		case letters > 0:
			textPages++
		}
	}
	if textPages == 0 {
		if imagePages > 0 {
			return pdfSkip(corpus.SkipNoText, "no text layer (needs OCR)"), nil
		}
		return pdfSkip(corpus.SkipNoText, "no text on any page"), nil
	}
	if imagePages > 0 && imagePages*2 >= len(pages) {
		warnings = append(warnings, fmt.Sprintf("%d of %d pages are scans without text", imagePages, len(pages)))
	}

	doc := pdfAssemble(pages)
	doc.Warnings = append(warnings, doc.Warnings...)
	pdfMetadata(doc, info, pages)
	if err := ctx.Err(); err != nil {
		return nil, err // the info dictionary may have been read cut short
	}
	log.Debug("extracted pdf", zap.String(corpus.LogKeyDoc, name), zap.Int("pages", len(pages)),
		zap.String("extractor", doc.Extractor), zap.Int("warnings", len(doc.Warnings)))
	return doc, nil
}

// pdfMaxPages bounds the page-tree walk (a hostile tree can claim anything).
const pdfMaxPages = 20000

// pdfPageList walks the page tree once and returns the page dictionaries in
// order. (Reader.Page(i) walks from the root for every i and trusts /Count.)
func pdfPageList(r *pdf.Reader) []pdf.Value {
	var out []pdf.Value
	visits := 0 // a Kids array that points back up would otherwise loop
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		visits++
		if depth > 64 || len(out) >= pdfMaxPages || visits > 4*pdfMaxPages {
			return
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || (kids.IsNull() && !v.Key("Contents").IsNull()) {
			out = append(out, v)
			return
		}
		for i := 0; i < kids.Len() && len(out) < pdfMaxPages; i++ {
			walk(kids.Index(i), depth+1)
		}
	}
	walk(r.Trailer().Key("Root").Key("Pages"), 0)
	return out
}

// pdfReadPages extracts every page with ledongthuc/pdf, each under its own
// recover. It fails only if the document has no page tree.
func pdfReadPages(ctx context.Context, r *pdf.Reader) (pages []pdfPage, err error) {
	var list []pdf.Value
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("page tree: %v", p)
			}
		}()
		list = pdfPageList(r)
	}()
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errors.New("no pages")
	}
	pages = make([]pdfPage, len(list))
	fonts := pdfFontCache{}
	for i, v := range list {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pages[i] = pdfReadPage(ctx, pdf.Page{V: v}, fonts)
	}
	return pages, nil
}

// pdfReadPage extracts one page; a panic in the library becomes page.failed.
func pdfReadPage(ctx context.Context, p pdf.Page, fonts pdfFontCache) (page pdfPage) {
	page.extractor = ExtractorLib
	sc := &pdfPageScan{fonts: fonts}
	func() {
		defer func() {
			if x := recover(); x != nil {
				if a, ok := x.(pdfAbort); ok {
					page.failed = a.err.Error()
				} else {
					page.failed = fmt.Sprint(x)
				}
			}
		}()
		pdfScanPage(ctx, sc, p)
	}()
	if ctx.Err() != nil {
		return page // cut short: the caller stops here
	}
	pdfOrient(sc.spans)
	page.images = sc.images
	page.glyphs = sc.glyphs
	if sc.truncate && page.failed == "" {
		page.failed = fmt.Sprintf("more than %d text runs", pdfMaxSpans)
	}
	page.lines = pdfLines(sc.spans, sc.rtl)
	page.text = text.Normalize(text.FixAccents(pdfJoinLines(page.lines)))
	return page
}

// pdfFallback replaces poor pages with pdftotext's text where that is
// better. pdftotext runs once per document, and only if a page needs it.
func pdfFallback(ctx context.Context, bin string, data []byte, pages []pdfPage, log *zap.Logger, name string) []string {
	var warnings []string
	var poor []int
	why := map[int]string{}
	for i, p := range pages {
		reason := p.failed
		if reason == "" {
			q := pdfMeasure(p.text)
			reason = q.poor()
			if reason == "no text" && p.glyphs == 0 {
				reason = "" // a blank page or a scan: nothing to recover
			}
		}
		if reason != "" {
			poor = append(poor, i)
			why[i] = reason
		}
	}
	if len(poor) == 0 {
		return nil
	}
	if bin == "" {
		for _, i := range poor {
			warnings = append(warnings, fmt.Sprintf("page %d: poor text (%s); pdftotext not installed", i+1, why[i]))
		}
		return warnings
	}
	// One pdftotext run per run of poor pages (gaps of up to 3 good pages
	// are bridged): on GeoTopo (117 pages, 12 poor) this costs a third of
	// the CPU of one whole-file run.
	var ranges [][2]int
	for _, i := range poor {
		n := i + 1
		if k := len(ranges) - 1; k >= 0 && n-ranges[k][1] <= 4 {
			ranges[k][1] = n
			continue
		}
		ranges = append(ranges, [2]int{n, n})
	}
	texts := make([]string, len(pages))
	if _, err := pdfToTextRanges(ctx, bin, data, ranges, texts); err != nil {
		return append(warnings, fmt.Sprintf("pdftotext fallback failed: %v", err))
	}
	for _, i := range poor {
		alt := text.Normalize(texts[i])
		if pdfMeasure(alt).score() > pdfMeasure(pages[i].text).score() || pages[i].failed != "" {
			pages[i].text = alt
			pages[i].extractor = ExtractorPdftotext
			pages[i].lines = nil
			warnings = append(warnings, fmt.Sprintf("page %d: %s; text from pdftotext", i+1, why[i]))
		} else {
			warnings = append(warnings, fmt.Sprintf("page %d: %s; pdftotext did no better", i+1, why[i]))
		}
	}
	log.Debug("pdftotext fallback", zap.String(corpus.LogKeyDoc, name), zap.Int("pages", len(poor)))
	return warnings
}

// pdfAssemble cleans the pages and joins them into a Result.
func pdfAssemble(pages []pdfPage) *Result {
	lines := make([][]string, len(pages))
	for i, p := range pages {
		lines[i] = strings.Split(p.text, "\n")
	}
	pdfRemoveFurniture(lines)
	texts := make([]string, len(lines))
	dropped := 0
	for i, ls := range lines {
		t := pdfTidyLines(ls)
		if n := strings.Count(t, "\uFFFD"); n > 0 {
			// Glyphs no table maps: a "?" helps no reader or search.
			dropped += n
			t = strings.ReplaceAll(t, "\uFFFD", "")
		}
		texts[i] = strings.TrimSpace(text.Dehyphenate(t))
	}
	pdfJoinAcrossPages(texts)
	doc := &Result{}
	var b strings.Builder
	used := map[string]int{}
	for i, t := range texts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		start := b.Len()
		b.WriteString(t)
		doc.Pages = append(doc.Pages, corpus.Page{N: i + 1, Start: start, End: b.Len(), Extractor: pages[i].extractor})
		if t != "" {
			used[pages[i].extractor]++
		}
	}
	doc.Text = b.String()
	if dropped > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d glyphs without a Unicode mapping dropped", dropped))
	}
	doc.Extractor = ExtractorLib
	if used[ExtractorPdftotext] > used[ExtractorLib] {
		doc.Extractor = ExtractorPdftotext
	}
	return doc
}

// pdfJoinAcrossPages joins a word hyphenated over a page break: the rest of
// the word moves from the top of the next page to the end of this one.
func pdfJoinAcrossPages(texts []string) {
	for i := 0; i+1 < len(texts); i++ {
		t, next := texts[i], texts[i+1]
		if !strings.HasSuffix(t, "-") || next == "" {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(t[:len(t)-1])
		after, _ := utf8.DecodeRuneInString(next)
		if !unicode.IsLower(before) || !unicode.IsLower(after) {
			continue
		}
		j := strings.IndexAny(next, " \n")
		if j < 0 {
			j = len(next)
		}
		texts[i] = t[:len(t)-1] + next[:j]
		texts[i+1] = strings.TrimSpace(next[j:])
	}
}

// pdfTidyLines joins lines with "\n", trimming each, collapsing runs of
// spaces, and turning any run of blank lines into one blank line.
func pdfTidyLines(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			if blank {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l)
		blank = false
	}
	return b.String()
}
