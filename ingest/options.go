package ingest

import (
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// Options control extraction. The zero value is ready to use.
type Options struct {
	Kind        corpus.Kind      // force this kind on every document; "" infers it from metadata
	MaxBytes    int64            // larger inputs are skipped as SkipTooLarge; 0 means 256 MiB
	MaxText     int64            // larger HTML, XML and plain-text inputs are skipped as SkipTooLarge; 0 means 64 MiB
	Timeout     time.Duration    // per-file extraction limit; 0 means 60 s
	MemoryLimit int64            // PDF extraction worker memory limit in bytes; 0 means 2 GiB (pdf.Options)
	Worker      []string         // argv that starts a PDF extraction worker per PDF (peermap extract-worker); nil extracts in-process
	Pool        *WorkerPool      // long-running PDF extraction workers; when set it is used instead of Worker
	PDFToText   string           // pdftotext binary; "" looks it up in PATH; "-" never uses it
	HTTP        *http.Client     // for URL ingest; nil means a client with the limits below
	FetchDir    string           // where fetched URL bytes are kept; "" keeps them nowhere
	MaxRedirect int              // for URL ingest; 0 means 5
	Logger      *zap.Logger      // nil means no logging
	Now         func() time.Time // nil means time.Now
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return 256 << 20
}

// limit returns the size limit of inputs of format: HTML, JATS, TEI, text
// and Markdown are parsed whole into trees and strings several times their
// size, so they get MaxText (at most MaxBytes); PDF and DOCX get MaxBytes.
func (o Options) limit(format string) int64 {
	switch format {
	case FormatHTML, FormatJATS, FormatTEI, FormatText, FormatMarkdown:
		t := o.MaxText
		if t <= 0 {
			t = 64 << 20
		}
		return min(t, o.maxBytes())
	}
	return o.maxBytes()
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return 60 * time.Second
}

func (o Options) logger() *zap.Logger {
	if o.Logger != nil {
		return o.Logger.Named("ingest")
	}
	return zap.NewNop()
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
