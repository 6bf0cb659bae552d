package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/index"
	"github.com/peermap/peermap/report"
	"github.com/peermap/peermap/web"
)

const serveHelp = `
Usage: peermap serve [-addr HOST:PORT] [-coder NAME] [-read-only]

Serves a local web UI: search passages with facets (labels, codes,
language, kind, year), read each passage in context with its citation,
evidence and annotations, read the report, and code passages by hand (the
codes are stored as human codes, apart from the machine's). Quotes in the
HTML report link here. It listens on localhost only by default; stop it
with Ctrl-C.

Examples:
  peermap serve
  peermap serve -addr 127.0.0.1:9000 -coder ana
`

var _ web.Searcher = (*index.Index)(nil)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", serveHelp)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	coder := fs.String("coder", "", "default coder `name` for hand coding")
	readOnly := fs.Bool("read-only", false, "no hand coding (the store is opened read-only)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(*readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	opts := web.Options{Store: s, Vocab: cb.Vocabulary(), Coder: *coder, ReadOnly: *readOnly, Logger: e.log}
	if ix, err := index.Open(e.indexPath(), e.searchOptions()); err == nil {
		defer ix.Close()
		opts.Search = ix
	} else {
		e.log.Warn("search disabled", zap.Error(err))
	}
	opts.Report = func(ctx context.Context, w io.Writer) error {
		in, err := e.reportInput(ctx, s, cb)
		if err != nil {
			return err
		}
		r, err := report.Build(ctx, in, report.Options{Logger: e.log})
		if err != nil {
			return err
		}
		return report.HTML(w, r)
	}
	h, err := web.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("peermap serve -addr 127.0.0.1:9000", "listen on %s: %v", *addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stderr, "serving %s on http://%s/ (Ctrl-C to stop)\n", e.dir, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
