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
// Updater is told of every saved hand code.
type Updater interface {
	Update(ctx context.Context, docs []corpus.DocID) error
}

// Options configure the web UI. Only Workspace is required; every other
// zero value works.
type Options struct {
	Workspace *pipeline.Workspace // the workspace: its store (passages, documents, annotations; human codes), codebook and report
	Search    Searcher            // nil: search disabled with a clear message
	Vocab     corpus.Vocabulary   // codes and label families for facets and the coding form; zero: the workspace's codebook
	Coder     string              // default coder name for hand coding ("" → ask in the form)
	ReadOnly  bool                // no coding
	Logger    *zap.Logger         // nil means no logging
}

// The templates and the style sheet, compiled into the binary.
//
//go:embed templates
var files embed.FS

// server holds the parsed templates and the options; it is safe for
// concurrent use (the store is, and nothing here is mutated after New).
type server struct {
	opts  Options
	store *corpus.Store
	log   *zap.Logger
	pages map[string]*template.Template
	css   template.CSS
	vocab vocab
}

// New returns the handler of the web UI. It fails if opts.Workspace is nil
// or an embedded template does not parse.
func New(opts Options) (http.Handler, error) {
	if opts.Workspace == nil {
		return nil, errors.New("web: no workspace")
	}
	if opts.Vocab.Version == "" {
		opts.Vocab = opts.Workspace.Codebook().Vocabulary()
	}
	s := &server{opts: opts, store: opts.Workspace.Store(), log: opts.Logger}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	css, err := files.ReadFile("templates/style.css")
	if err != nil {
		return nil, fmt.Errorf("web: read style sheet: %w", err)
	}
	s.css = template.CSS(css)
	s.pages = make(map[string]*template.Template)
	for _, name := range []string{"search", "passage", "doc", "message"} {
		t, err := template.New(name).Funcs(funcs()).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	s.vocab = newVocab(opts.Vocab)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleSearch)
	mux.HandleFunc("GET /api/search", s.handleAPISearch)
	// Passage IDs hold a slash ("<doc>/<nnnn>"): the two-segment routes take
	// it as typed, the one-segment routes take it escaped (%2F).
	mux.HandleFunc("GET /passage/{doc}/{n}", s.handlePassage)
	mux.HandleFunc("GET /passage/{id}", s.handlePassage)
	mux.HandleFunc("POST /passage/{doc}/{n}/codes", s.handleCodes)
	mux.HandleFunc("POST /passage/{id}/codes", s.handleCodes)
	mux.HandleFunc("GET /doc/{id}", s.handleDoc)
	mux.HandleFunc("GET /report", s.handleReport)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.message(w, r, http.StatusNotFound, "Not found", "There is no page at "+r.URL.Path+".")
	})
	return secure(mux), nil
}

// secure sets the headers every response carries: no external resources,
// no framing, no MIME sniffing, and a Referer only to this origin (which the
// CSRF check of the coding form can then rely on).
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		// The report (report.HTML) is self-contained too: inline CSS and SVG, no scripts.
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.ServeHTTP(w, r)
	})
}

// page is what the layout template receives.
type page struct {
	Title    string
	CSS      template.CSS
	Q        string  // the header search box
	Hidden   []param // filters the header search box keeps
	Search   bool    // search is enabled
	ReadOnly bool
	Body     any
}

// render executes the named page into a buffer and writes it with status
// code, so a template error never leaves half a page behind.
func (s *server) render(w http.ResponseWriter, r *http.Request, code int, name, title, q string, body any) {
	var buf bytes.Buffer
	p := page{Title: title, CSS: s.css, Q: q, Search: s.opts.Search != nil, ReadOnly: s.opts.ReadOnly, Body: body}
	if sb, ok := body.(searchBody); ok {
		p.Hidden = sb.Hidden
	}
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render page", zap.String("page", name), zap.String("url", r.URL.String()), zap.Error(err))
		http.Error(w, "internal error: could not render the page", http.StatusInternalServerError)
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

// fail logs an unexpected error and writes a 500 page.
func (s *server) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, zap.String("url", r.URL.String()), zap.Error(err))
	s.message(w, r, http.StatusInternalServerError, "Internal error", what+": "+err.Error())
}

// handleReport serves the HTML report written by Options.Report.
func (s *server) handleReport(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	var opts pipeline.ReportOptions
	opts.Logger = s.log // passage links are relative: passage/ID under /report
	if err := s.opts.Workspace.WriteReportTo(r.Context(), &buf, "html", opts); err != nil {
		s.fail(w, r, "write report", err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}
