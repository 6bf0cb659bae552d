package web

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

// Limits of the server (NewServer) and of request bodies (guard).
const (
	maxBody        = 1 << 20  // any request body
	maxForm        = 64 << 10 // a coding, adjudication or sign-in form
	maxJSON        = 64 << 10 // a JSON body of /api/codes
	maxHeaderBytes = 32 << 10
)

// NewServer returns the http.Server 'peermap serve' runs h with: header,
// read, write and idle timeouts, a cap on header size, and the server's own
// errors (bad TLS, panics in handlers) logged through log.
func NewServer(h http.Handler, log *zap.Logger) *http.Server {
	if log == nil {
		log = zap.NewNop()
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // the report of a large corpus takes a while to build
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          zap.NewStdLog(log.Named("http")),
	}
}

// hosts is the Host allow-list: lower-case host:port values.
type hosts map[string]bool

// newHosts returns the allow-list for a server listening on addr, and
// whether addr is a loopback address. With a loopback address every
// loopback name is allowed; with an unspecified one ("", 0.0.0.0, ::),
// every address of this machine's interfaces and every loopback name.
// A name of allow without a port is allowed with addr's port and without
// one (a reverse proxy on the default port).
func newHosts(addr string, allow []string) (hosts, bool, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return nil, false, fmt.Errorf("web: address %q: want host:port with the port the server listens on", addr)
	}
	hs := hosts{}
	add := func(h string) {
		h = strings.ToLower(strings.Trim(h, "[]"))
		hs[net.JoinHostPort(h, port)] = true
		if port == "80" {
			hs[hostOnly(h)] = true // browsers leave the default port out
		}
	}
	loopbacks := []string{"localhost", "127.0.0.1", "::1"}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	switch {
	case loopback:
		for _, h := range loopbacks {
			add(h)
		}
	case host == "" || (ip != nil && ip.IsUnspecified()):
		for _, h := range loopbacks {
			add(h)
		}
		ifs, err := net.InterfaceAddrs()
		if err != nil {
			return nil, false, fmt.Errorf("web: list this machine's addresses: %w", err)
		}
		for _, a := range ifs {
			if n, ok := a.(*net.IPNet); ok {
				add(n.IP.String())
			}
		}
	default:
		add(host)
	}
	for _, h := range allow {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(h); err == nil {
			hs[strings.ToLower(h)] = true
		} else {
			add(h)
			hs[hostOnly(strings.ToLower(strings.Trim(h, "[]")))] = true // through a proxy on the default port
		}
	}
	return hs, loopback, nil
}

// hostOnly writes an IPv6 address in brackets, as a Host header does.
func hostOnly(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

func (hs hosts) allowed(host string) bool { return hs[strings.ToLower(host)] }

// guard wraps the routes in what every request goes through, in order:
//  1. the Host allow-list: 421 Misdirected Request for any other Host;
//  2. security headers: no external resources and no script but ours, no
//     framing, no MIME sniffing, a Referer only to this origin;
//  3. http.CrossOriginProtection: a state-changing request (POST) from
//     another origin, as the browser tells by Sec-Fetch-Site or Origin,
//     is refused (403); requests without either header (curl, scripts)
//     pass, since no browser sends them on another site's behalf;
//  4. a cap on the request body (maxBody; handlers cap lower);
//  5. who is asking: a session cookie or an "Authorization: Bearer TOKEN"
//     header; a wrong token is 401 whatever the route;
//  6. with coder accounts, every route but /signin, /healthz and
//     /static/ needs a signed-in coder: pages redirect to /signin, the API
//     answers 401.
func (s *server) guard(mux http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("refused a cross-origin request", zap.String("method", r.Method), zap.String("url", r.URL.String()),
			zap.String("origin", r.Header.Get("Origin")), zap.String("sec_fetch_site", r.Header.Get("Sec-Fetch-Site")))
		if isAPI(r) {
			apiError(w, http.StatusForbidden, "cross-origin request refused")
			return
		}
		s.message(w, r, http.StatusForbidden, "Forbidden", "This request came from another site, so it was refused. Use this site's own forms.")
	}))
	inner := cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		r, ok := s.identify(w, r)
		if !ok {
			return
		}
		if s.auth && signedIn(r) == "" && !public(r.URL.Path) {
			if isAPI(r) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="peermap"`)
				apiError(w, http.StatusUnauthorized, "sign in first: send Authorization: Bearer TOKEN")
				return
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(localPath(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allowed(r.Host) {
			s.log.Warn("refused a request for another host", zap.String("host", r.Host), zap.String("url", r.URL.String()))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusMisdirectedRequest)
			io.WriteString(w, "misdirected request: this server does not answer for that host name\n")
			return
		}
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		// The report (report.HTML) is self-contained too: inline CSS and SVG, no scripts.
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		inner.ServeHTTP(w, r)
	})
}

// public reports whether path is served without signing in.
func public(path string) bool {
	return path == "/signin" || path == "/healthz" || strings.HasPrefix(path, "/static/")
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// localPath returns p if it is a path on this site, else "/": sign-in
// redirects only there, never to another site ("//evil.example" is not local).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

// tooLarge reports whether err comes from a body over its limit.
func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
