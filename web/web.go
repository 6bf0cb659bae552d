package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// A Searcher runs a query against the search index. index.Index satisfies
// it; the integrator checks that at compile time.
type Searcher interface {
	Search(ctx context.Context, q corpus.Query) (*corpus.Results, error)
}

// An Updater brings the index up to date for some documents after their
// hand codes changed. pipeline.LiveIndex is one; a Searcher that is also an
// Updater is told of every saved hand code (the updates of concurrent
// saves are coalesced: see reindexer).
type Updater interface {
	Update(ctx context.Context, docs []corpus.DocID) error
}

// Options configure the web UI. Workspace and Addr are required; every
// other zero value works.
type Options struct {
	Workspace *pipeline.Workspace // the workspace: its store (passages, documents, annotations; human codes), codebook and report
	// Addr is the address the server listens on (host:port, the port
	// resolved). Requests must name it in their Host header (with a
	// loopback address, any loopback name: localhost, 127.0.0.1, [::1];
	// with an unspecified one, any address of this machine), or a name of
	// AllowHosts; any other Host is refused (421), which defeats DNS
	// rebinding. A non-loopback Addr requires coder accounts.
	Addr       string
	AllowHosts []string          // more Host names (host, or host:port) clients may use, e.g. a reverse proxy's
	Search     Searcher          // nil: search disabled with a clear message
	Vocab      corpus.Vocabulary // codes and label families for facets and the coding form; zero: the workspace's codebook
	Coder      string            // default coder name for hand coding without sign-in ("" → ask in the form); open mode only
	ReadOnly   bool              // no coding
	Logger     *zap.Logger       // nil means no logging
	Now        func() time.Time  // nil means time.Now (session expiry)
}

// ErrNoCoders is returned by New for a non-loopback Addr when the
// workspace has no coder account: such a server would let anyone code.
var ErrNoCoders = errors.New("a server reachable from other machines needs coder accounts: add one with 'peermap serve -add-coder NAME'")

// The templates, the style sheet and the script, compiled into the binary.
//
//go:embed templates static
var files embed.FS

// server holds the parsed templates and the options; it is safe for
// concurrent use (the store is, sessions and the account cache lock, and
// nothing else is mutated after New).
type server struct {
	opts     Options
	ws       *pipeline.Workspace
	store    *corpus.Store
	log      *zap.Logger
	pages    map[string]*template.Template
	css      template.CSS
	vocab    vocab
	auth     bool // coders sign in with a token (else they pick a name)
	accounts *accountCache
	sessions *sessions
	hosts    hosts
	reindex  *reindexer // nil when Options.Search is no Updater
}

// New returns the handler of the web UI. It fails if opts.Workspace is
// nil, opts.Addr is not host:port, an embedded template does not parse, or
// with ErrNoCoders.
//
// Coders sign in with a token when the workspace has coder accounts or
// Addr is not a loopback address; otherwise (a loopback server with no
// account) a coder signs in by picking a name. The mode is fixed here:
// accounts added later take effect at the next start.
func New(opts Options) (http.Handler, error) {
	if opts.Workspace == nil {
		return nil, errors.New("web: no workspace")
	}
	if opts.Vocab.Version == "" {
		opts.Vocab = opts.Workspace.Codebook().Vocabulary()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &server{opts: opts, ws: opts.Workspace, store: opts.Workspace.Store(), log: opts.Logger}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	hs, loopback, err := newHosts(opts.Addr, opts.AllowHosts)
	if err != nil {
		return nil, err
	}
	s.hosts = hs
	s.accounts = &accountCache{dir: opts.Workspace.Dir()}
	acc, err := s.accounts.get()
	if err != nil {
		return nil, err
	}
	s.auth = !loopback || acc.Len() > 0
	if s.auth && acc.Len() == 0 {
		return nil, ErrNoCoders
	}
	s.sessions = newSessions(opts.Now)
	if u, ok := opts.Search.(Updater); ok {
		s.reindex = &reindexer{u: u}
	}
	css, err := files.ReadFile("templates/style.css")
	if err != nil {
		return nil, fmt.Errorf("web: read style sheet: %w", err)
	}
	s.css = template.CSS(css)
	s.pages = make(map[string]*template.Template)
	for _, name := range []string{"search", "passage", "doc", "message", "signin", "queue", "agreement", "adjudicate"} {
		t, err := template.New(name).Funcs(funcs()).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	s.vocab = newVocab(opts.Vocab)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleSearch)
	mux.HandleFunc("GET /signin", s.handleSignInPage)
	mux.HandleFunc("POST /signin", s.handleSignIn)
	mux.HandleFunc("POST /signout", s.handleSignOut)
	mux.HandleFunc("GET /queue", s.handleQueue)
	mux.HandleFunc("GET /queue/next", s.handleQueueNext)
	// Passage IDs hold a slash ("<doc>/<nnnn>"): the two-segment routes take
	// it as typed, the one-segment routes take it escaped (%2F).
	mux.HandleFunc("GET /passage/{doc}/{n}", s.handlePassage)
	mux.HandleFunc("GET /passage/{id}", s.handlePassage)
	mux.HandleFunc("POST /passage/{doc}/{n}/codes", s.handleCodes)
	mux.HandleFunc("POST /passage/{id}/codes", s.handleCodes)
	mux.HandleFunc("GET /doc/{id}", s.handleDoc)
	mux.HandleFunc("GET /report", s.handleReport)
	mux.HandleFunc("GET /agreement", s.handleAgreement)
	mux.HandleFunc("GET /adjudicate/{doc}/{n}", s.handleAdjudicatePage)
	mux.HandleFunc("GET /adjudicate/{id}", s.handleAdjudicatePage)
	mux.HandleFunc("POST /adjudicate/{doc}/{n}", s.handleAdjudicate)
	mux.HandleFunc("POST /adjudicate/{id}", s.handleAdjudicate)
	mux.HandleFunc("GET /api/search", s.handleAPISearch)
	mux.HandleFunc("GET /api/passages/{doc}/{n}", s.handleAPIPassage)
	mux.HandleFunc("GET /api/passages/{id}", s.handleAPIPassage)
	mux.HandleFunc("GET /api/queue", s.handleAPIQueue)
	mux.HandleFunc("GET /api/codes", s.handleAPICodes)
	mux.HandleFunc("POST /api/codes", s.handleAPISaveCodes)
	mux.HandleFunc("GET /api/agreement", s.handleAPIAgreement)
	mux.HandleFunc("GET /static/code.js", s.handleScript)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "no such API route or method")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.message(w, r, http.StatusNotFound, "Not found", "There is no page at this address.")
	})
	return s.guard(mux), nil
}

// page is what the layout template receives.
type page struct {
	Title    string
	CSS      template.CSS
	Q        string  // the header search box
	Hidden   []param // filters the header search box keeps
	Search   bool    // search is enabled
	ReadOnly bool
	Coder    string // the signed-in coder, "" for none
	Auth     bool   // coders sign in with a token
	Script   bool   // load the coding script
	Body     any
}

// render executes the named page into a buffer and writes it with status
// code, so a template error never leaves half a page behind.
func (s *server) render(w http.ResponseWriter, r *http.Request, code int, name, title, q string, body any) {
	var buf bytes.Buffer
	p := page{Title: title, CSS: s.css, Q: q, Search: s.opts.Search != nil, ReadOnly: s.opts.ReadOnly,
		Coder: signedIn(r), Auth: s.auth, Script: name == "passage" || name == "adjudicate", Body: body}
	if sb, ok := body.(searchBody); ok {
		p.Hidden = sb.Hidden
	}
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render page", zap.String("page", name), zap.String("url", r.URL.String()), zap.Error(err))
		http.Error(w, "internal error: the page could not be shown (details are in the server log)", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// msg is the body of the message page.
type msg struct {
	Heading string
	Text    string
	Back    string // a link back, "" for none
}

// message writes a page holding only a heading and a sentence, with status code.
func (s *server) message(w http.ResponseWriter, r *http.Request, code int, heading, text string) {
	s.render(w, r, code, "message", heading, "", msg{Heading: heading, Text: text, Back: "/"})
}

// fail logs an unexpected error and writes a 500 page that says nothing of
// it: error texts name files and internals, which are the log's business.
func (s *server) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, zap.String("url", r.URL.String()), zap.Error(err))
	s.message(w, r, http.StatusInternalServerError, "Internal error", "Something went wrong on the server ("+what+"); the details are in its log.")
}

// handleReport serves the HTML report written by Options.Report.
func (s *server) handleReport(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	var opts pipeline.ReportOptions
	opts.Logger = s.log // passage links are relative: passage/ID under /report
	if err := s.ws.WriteReportTo(r.Context(), &buf, "html", opts); err != nil {
		s.fail(w, r, "write report", err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// handleScript serves the coding page's keyboard script.
func (s *server) handleScript(w http.ResponseWriter, r *http.Request) {
	js, err := files.ReadFile("static/code.js")
	if err != nil {
		s.fail(w, r, "read script", err)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(js)
}
