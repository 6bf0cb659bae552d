package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/web"
)

const serveHelp = `
Usage: peermap serve [-addr HOST:PORT] [-allow-host NAME]... [-coder NAME] [-read-only]
       peermap serve -add-coder NAME

Serves the web UI of a workspace: search passages with facets (labels,
codes, language, kind, year), read each passage in context with its
citation, evidence and annotations, read the report, and code passages as
a team: a queue of passages to code with the machine's suggestions to
accept or reject (keyboard shortcuts), a memo per passage, agreement
between each pair of coders (Cohen's kappa and Krippendorff's alpha per
dimension, as 'eval -coders') with their disagreements to adjudicate
(stored as coder "consensus"), and a JSON API (/api/search,
/api/passages/ID, /api/queue, /api/codes, /api/agreement). Hand codes are
stored as human codes, apart from the machine's. Quotes in the HTML report
link here. Stop it with Ctrl-C.

It listens on 127.0.0.1 by default, where a coder signs in by picking a
name. Any other -addr (0.0.0.0, a LAN address) needs coder accounts:
-add-coder NAME creates one (or gives it a new token, revoking the old)
and prints its token once; the workspace keeps only a hash (coders.json).
With accounts, every page and API call needs a coder signed in with a
token (API: "Authorization: Bearer TOKEN"). The server answers only
requests whose Host names its address or a name given with -allow-host
(a reverse proxy's name, say); it has no TLS of its own: across a network,
put it behind a TLS proxy or reach it through an SSH tunnel.

Examples:
  peermap serve
  peermap serve -addr 127.0.0.1:9000 -coder ana
  peermap serve -add-coder ana
  peermap serve -addr 0.0.0.0:8080 -allow-host peermap.lab.example
`

var _ web.Searcher = (*pipeline.LiveIndex)(nil)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", serveHelp)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	coder := fs.String("coder", "", "default coder `name` for hand coding (no accounts, no sign-in)")
	readOnly := fs.Bool("read-only", false, "no hand coding (the store is opened read-only)")
	addCoder := fs.String("add-coder", "", "create the account of coder `NAME` (or renew its token), print its token and exit")
	var allow multiFlag
	fs.Var(&allow, "allow-host", "also answer requests for host `NAME` (repeatable; NAME or NAME:PORT)")
	rest, err := e.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("peermap serve -addr 127.0.0.1:9000", "unexpected arguments %q", rest)
	}
	if *addCoder != "" {
		token, err := pipeline.AddCoder(e.dir, *addCoder, e.now())
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "coder %s: token below, shown this once (only its hash is kept); sign in with it, or send it as \"Authorization: Bearer TOKEN\"\n", *addCoder)
		fmt.Fprintln(e.stdout, token)
		return nil
	}
	// The store is held only while a request reads or writes it, so ingest,
	// annotate and code import can run beside the server, one writer at a
	// time; the index is the server's while it runs.
	ws, err := e.openShared(*readOnly)
	if err != nil {
		return err
	}
	defer ws.Close()
	if !*readOnly {
		if sum, err := ws.Index(ctx); err != nil {
			e.log.Warn("index not brought up to date", zap.Error(err))
		} else if sum.Documents+sum.Removed > 0 {
			printIndexSummary(e.stderr, sum)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("peermap serve -addr 127.0.0.1:9000", "listen on %s: %v", *addr, err)
	}
	defer ln.Close()
	opts := web.Options{Workspace: ws, Addr: ln.Addr().String(), AllowHosts: allow, Coder: *coder, ReadOnly: *readOnly, Logger: e.log}
	if ix, err := ws.LiveIndex(); err == nil {
		defer ix.Close()
		opts.Search = ix
	} else {
		e.log.Warn("search disabled", zap.Error(err))
	}
	h, err := web.New(opts)
	if errors.Is(err, web.ErrNoCoders) {
		return usagef("peermap serve -add-coder ana", "-addr %s: %v", *addr, err)
	}
	if err != nil {
		return err
	}
	srv := web.NewServer(h, e.log)
	fmt.Fprintf(e.stderr, "serving %s on http://%s/ (Ctrl-C to stop)\n", e.dir, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(shut)
		if errors.Is(err, context.DeadlineExceeded) {
			// A browser's idle or preconnected socket: not worth waiting for.
			e.log.Warn("connections still open after 5s: closing them")
			return srv.Close()
		}
		return err
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
