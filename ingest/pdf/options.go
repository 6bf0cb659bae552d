package pdf

import (
	"time"

	"go.uber.org/zap"
)

// Options control extraction. The zero value is ready to use.
type Options struct {
	Timeout     time.Duration // per-file extraction limit; 0 means 60 s
	MemoryLimit int64         // worker memory limit in bytes; 0 means 2 GiB
	Worker      []string      // argv that starts a worker process per file (peermap extract-worker); nil extracts in-process
	Pool        *Pool         // long-running worker processes; when set it is used instead of Worker
	PDFToText   string        // pdftotext binary; "" looks it up in PATH; "-" never uses it
	Logger      *zap.Logger   // nil means no logging
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return 60 * time.Second
}

func (o Options) memoryLimit() int64 {
	if o.MemoryLimit > 0 {
		return o.MemoryLimit
	}
	return 2 << 30
}

func (o Options) logger() *zap.Logger {
	if o.Logger != nil {
		return o.Logger.Named("pdf")
	}
	return zap.NewNop()
}
