package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/text"
)

// sniffLen is how many leading bytes Sniff is given.
const sniffLen = 8192

// File reads the file at path and returns its Document and passages.
// Expected conditions (unsupported format, too large, empty, invalid, no
// text) are recorded as Document.Skip with a SkipDetail, not returned as
// errors; an error means an unexpected failure and names path.
//
// The format is sniffed from the first bytes before anything else is read:
// a file that is not read here (unsupported, a reference export) or is
// over its format's limit (Options.MaxBytes, MaxText) is only hashed,
// a buffer at a time, never held whole. A path that is not a regular file
// (a named pipe, a device) is an error, and is never opened.
func File(ctx context.Context, path string, opts Options) (*corpus.Document, []corpus.Passage, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	switch {
	case st.IsDir():
		return nil, nil, fmt.Errorf("ingest %s: is a directory", path)
	case !st.Mode().IsRegular():
		return nil, nil, fmt.Errorf("ingest %s: not a regular file (%s)", path, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	head = head[:n]
	if s, detail, format := preflight(head, path, st.Size(), opts); s != corpus.NotSkipped {
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
		}
		doc := &corpus.Document{
			ID: corpus.DocID(hex.EncodeToString(h.Sum(nil))), Path: path, Size: st.Size(), Added: opts.now(), Format: format,
		}
		skip(doc, s, detail)
		return doc, nil, nil
	}
	data, err := readSized(f, st.Size(), opts.maxBytes()+1)
	if err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	return ingest(ctx, path, data, "", opts)
}

// readSized reads at most limit bytes of f, whose size was size, into a
// buffer of that size, so that reading does not grow (and copy) a buffer
// to twice the file's size on the way; a file that grew since is read on.
func readSized(f io.Reader, size, limit int64) ([]byte, error) {
	data := make([]byte, min(size, limit)+1)
	n, err := io.ReadFull(f, data)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return data[:n], nil
	case err != nil:
		return nil, err
	}
	rest, err := io.ReadAll(io.LimitReader(f, limit-int64(n)))
	return append(data, rest...), err
}

// preflight decides from the first bytes and the size whether a source is
// skipped without being read further, and why; format is its sniffed
// format. ingest makes the same decisions for content in memory.
func preflight(head []byte, name string, size int64, opts Options) (s corpus.Skip, detail, format string) {
	if size == 0 {
		return corpus.NotSkipped, "", ""
	}
	format = Sniff(head, name)
	switch {
	case size > opts.maxBytes():
		return corpus.SkipTooLarge, fmt.Sprintf("too large: %d bytes, limit %d", size, opts.maxBytes()), format
	case format == "":
		return corpus.SkipUnsupported, "unsupported format: " + describe(head, name), format
	case isExport(format):
		return corpus.SkipUnsupported, "reference export: " + format + " (read by ingest/refs)", format
	case size > opts.limit(format):
		return corpus.SkipTooLarge, fmt.Sprintf("too large for %s: %d bytes, limit %d", format, size, opts.limit(format)), format
	}
	return corpus.NotSkipped, "", format
}

// isExport reports whether a sniffed format is a reference export.
func isExport(format string) bool {
	switch format {
	case FormatPDF, FormatHTML, FormatJATS, FormatTEI, FormatDOCX, FormatText, FormatMarkdown, "":
		return false
	}
	return true
}

// Bytes is File for content already in memory: name is the path or URL
// recorded with the document and helps sniffing by its extension.
func Bytes(ctx context.Context, name string, data []byte, opts Options) (*corpus.Document, []corpus.Passage, error) {
	return ingest(ctx, name, data, "", opts)
}

// ingest does the work of File, Bytes and URL; contentType is the HTTP
// Content-Type of fetched bytes, "" otherwise.
func ingest(ctx context.Context, name string, data []byte, contentType string, opts Options) (doc *corpus.Document, ps []corpus.Passage, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", name, err)
	}
	log := opts.logger()
	doc = &corpus.Document{
		ID:    corpus.NewDocID(data),
		Path:  name,
		Size:  int64(len(data)),
		Added: opts.now(),
	}
	if len(data) == 0 {
		skip(doc, corpus.SkipEmpty, "empty file")
		return doc, nil, nil
	}
	s, detail, format := preflight(data[:min(len(data), sniffLen)], name, int64(len(data)), opts)
	doc.Format = format
	if s != corpus.NotSkipped {
		skip(doc, s, detail)
		return doc, nil, nil
	}
	switch doc.Format {
	case FormatPDF:
		pd, err := extractPDF(ctx, name, data, opts)
		if err != nil {
			return nil, nil, err
		}
		pd.ID, pd.Path, pd.Size, pd.Added, pd.Format = doc.ID, doc.Path, doc.Size, doc.Added, FormatPDF
		doc = pd
	case FormatHTML, FormatJATS, FormatTEI, FormatDOCX, FormatText, FormatMarkdown:
		if err := extractGuarded(ctx, doc, data, contentType, opts); err != nil {
			return nil, nil, err
		}
	}
	if doc.Skip == corpus.NotSkipped && strings.TrimSpace(doc.Text) == "" {
		skip(doc, corpus.SkipNoText, "no text found in "+doc.Format)
	}
	if !utf8.ValidString(doc.Text) {
		doc.Text = strings.ToValidUTF8(doc.Text, "\uFFFD") // same length is not guaranteed: drop structure
		doc.Sections, doc.Pages = nil, nil
		doc.Warnings = append(doc.Warnings, "invalid UTF-8 repaired")
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", name, err)
	}
	finish(doc, opts)
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("ingest %s: %w", name, err)
	}
	if doc.Skip == corpus.NotSkipped {
		ps = Split(doc, SplitOptions{})
	}
	log.Debug("extracted", zap.String(corpus.LogKeyPath, name), zap.String("format", doc.Format),
		zap.Int("chars", len(doc.Text)), zap.Int(corpus.LogKeyCount, len(ps)), zap.String(corpus.LogKeyReason, doc.SkipReason()))
	return doc, ps, nil
}

// extract runs the extractor of doc.Format over data, turning a parser
// panic into an error that names the document. Extractors check ctx
// between their stages and in their loops over the input, and return early
// once it ends; what they leave in doc is then not to be used.
func extract(ctx context.Context, doc *corpus.Document, data []byte, contentType string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("extract %s: %s parser panicked: %v", doc.Path, doc.Format, p)
		}
	}()
	switch doc.Format {
	case FormatHTML:
		extractHTML(ctx, doc, data, contentType)
	case FormatJATS:
		extractJATS(ctx, doc, data)
	case FormatTEI:
		extractTEI(ctx, doc, data)
	case FormatDOCX:
		extractDOCX(ctx, doc, data)
	case FormatText, FormatMarkdown:
		extractText(ctx, doc, data)
	}
	return nil
}

// stopGrace is how long a timed-out extraction is given to notice its
// context and stop (milliseconds in practice; the rest is slack for a busy
// machine).
const stopGrace = time.Second

// extractGuarded runs extract on its own goroutine under opts.timeout(): a
// pathological input is recorded as SkipTimeout rather than stopping the
// run. When the time is up (or ctx ends) the extraction is cancelled and
// extractGuarded waits for it to stop, stopGrace at most, so that it does
// not keep a core busy after its document is recorded.
func extractGuarded(ctx context.Context, doc *corpus.Document, data []byte, contentType string, opts Options) error {
	tctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	work := *doc
	ch := make(chan error, 1)
	go func() { ch <- extract(tctx, &work, data, contentType) }()
	select {
	case err := <-ch:
		if tctx.Err() == nil {
			*doc = work
			return err
		}
		// Done as the time ran out: it may have stopped early.
	case <-tctx.Done():
		grace := time.NewTimer(stopGrace)
		defer grace.Stop()
		select {
		case <-ch:
		case <-grace.C:
			opts.logger().Warn("extraction did not stop at its time limit", zap.String(corpus.LogKeyPath, doc.Path),
				zap.String("format", doc.Format), zap.Duration("timeout", opts.timeout()))
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("extract %s: %w", doc.Path, err)
	}
	skip(doc, corpus.SkipTimeout, fmt.Sprintf("%s extraction timed out after %s", doc.Format, opts.timeout()))
	return nil
}

// ctxReader reads from r until ctx ends, then fails: a parser that reads
// its input as it goes (html.Parse) stops at its next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// skip records why doc has no passages.
func skip(doc *corpus.Document, s corpus.Skip, detail string) {
	doc.Skip, doc.SkipDetail = s, detail
}

// describe names what unsupported content looks like, for a skip detail.
func describe(data []byte, name string) string {
	ct := http.DetectContentType(data[:min(len(data), 512)])
	if ext := strings.ToLower(filepath.Ext(name)); ext != "" {
		return ext + " (" + ct + ")"
	}
	return ct
}

// finish fills what every format shares: language, kind, valid fields.
func finish(doc *corpus.Document, opts Options) {
	if doc.Lang == "" || doc.Skip == corpus.NotSkipped {
		doc.Lang = detectLang(doc.Text, doc.Lang)
	}
	doc.Kind = inferKind(doc, opts.Kind)
	doc.DOI = text.DOI(doc.DOI)
	doc.Title = collapse(doc.Title)
	if junkTitle(doc.Title) {
		doc.Title = "" // the citation falls back to the file name
	}
	doc.Abstract = collapse(doc.Abstract)
	doc.Venue = collapse(doc.Venue)
	doc.Authors = cleanAuthors(doc.Authors)
}
