package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/pipeline"
)

// Sessions.
const (
	sessionCookie = "peermap_session"
	sessionIdle   = 12 * time.Hour // a session unused this long ends
)

// sessions maps session IDs (random, 256 bits, in an HttpOnly SameSite=Strict
// cookie) to coders. They live in memory: a restart signs everyone out.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
}

type session struct {
	coder string
	token string // the account token it was opened with; "" without accounts
	last  time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, now: now}
}

// open starts a session for coder and returns its ID.
func (ss *sessions) open(coder, token string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(raw)
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, v := range ss.m {
		if now.Sub(v.last) > sessionIdle {
			delete(ss.m, k)
		}
	}
	ss.m[id] = &session{coder: coder, token: token, last: now}
	return id, nil
}

// get returns the live session id, refreshing its idle clock.
func (ss *sessions) get(id string) (session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	v, ok := ss.m[id]
	if !ok {
		return session{}, false
	}
	now := ss.now()
	if now.Sub(v.last) > sessionIdle {
		delete(ss.m, id)
		return session{}, false
	}
	v.last = now
	return *v, true
}

func (ss *sessions) close(id string) {
	ss.mu.Lock()
	delete(ss.m, id)
	ss.mu.Unlock()
}

// accountCache reads the workspace's coder accounts again when the file
// changes, so 'peermap serve -add-coder' works while a server runs.
type accountCache struct {
	dir   string
	mu    sync.Mutex
	stamp string
	a     pipeline.Accounts
}

func (c *accountCache) get() (pipeline.Accounts, error) {
	stamp := "none"
	if fi, err := os.Stat(filepath.Join(c.dir, pipeline.CodersFile)); err == nil {
		stamp = fmt.Sprint(fi.ModTime().UnixNano(), fi.Size())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if stamp == c.stamp {
		return c.a, nil
	}
	a, err := pipeline.ReadAccounts(c.dir)
	if err != nil {
		return pipeline.Accounts{}, err
	}
	c.stamp, c.a = stamp, a
	return a, nil
}

type coderKey struct{}

// signedIn returns the coder identify found for r, "" for none.
func signedIn(r *http.Request) string {
	c, _ := r.Context().Value(coderKey{}).(string)
	return c
}

// identify finds who is asking: an "Authorization: Bearer TOKEN" header
// (checked against the accounts on every request) or a session cookie
// (whose account token must still be valid: a new token for a coder ends
// the sessions of the old one). A request with a wrong bearer token gets
// 401 and ok false; a stale cookie is only ignored.
func (s *server) identify(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	coder := ""
	if h := r.Header.Get("Authorization"); h != "" {
		token, isBearer := strings.CutPrefix(h, "Bearer ")
		acc, err := s.accounts.get()
		if err != nil {
			s.log.Error("read coder accounts", zap.Error(err))
		}
		name, ok := acc.Coder(strings.TrimSpace(token))
		if !isBearer || !ok || err != nil {
			s.log.Warn("refused a request with a wrong token", zap.String("url", r.URL.String()))
			w.Header().Set("WWW-Authenticate", `Bearer realm="peermap", error="invalid_token"`)
			apiError(w, http.StatusUnauthorized, "this token is not valid")
			return r, false
		}
		coder = name
	} else if ck, err := r.Cookie(sessionCookie); err == nil {
		if ses, ok := s.sessions.get(ck.Value); ok {
			coder = ses.coder
			if s.auth {
				acc, err := s.accounts.get()
				if name, ok := acc.Coder(ses.token); err != nil || !ok || name != ses.coder {
					s.sessions.close(ck.Value)
					coder = ""
				}
			}
		}
	}
	if coder == "" {
		return r, true
	}
	return r.WithContext(context.WithValue(r.Context(), coderKey{}, coder)), true
}

// signInBody is what the sign-in template receives.
type signInBody struct {
	Auth  bool
	Next  string
	Name  string
	Error string
	Names []string // coders who coded already, to pick from (no accounts)
}

func (s *server) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	b := signInBody{Auth: s.auth, Next: localPath(r.URL.Query().Get("next"))}
	if !s.auth {
		names, _, err := s.ws.Coders()
		if err != nil {
			s.fail(w, r, "list coders", err)
			return
		}
		for _, n := range names {
			if n != pipeline.Consensus {
				b.Names = append(b.Names, n)
			}
		}
	}
	s.render(w, r, http.StatusOK, "signin", "Sign in", "", b)
}

// handleSignIn opens a session: with accounts for the coder of the token
// posted, else for the name posted.
func (s *server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.message(w, r, http.StatusBadRequest, "Bad form", "The sign-in form could not be read.")
		return
	}
	b := signInBody{Auth: s.auth, Next: localPath(r.PostForm.Get("next"))}
	var coder, token string
	if s.auth {
		token = strings.TrimSpace(r.PostForm.Get("token"))
		acc, err := s.accounts.get()
		if err != nil {
			s.fail(w, r, "read coder accounts", err)
			return
		}
		name, ok := acc.Coder(token)
		if !ok {
			s.log.Warn("sign-in with a wrong token", zap.String("remote", r.RemoteAddr))
			b.Error = "This token is not valid. Ask whoever runs the server for yours ('peermap serve -add-coder NAME' prints it)."
			s.render(w, r, http.StatusUnauthorized, "signin", "Sign in", "", b)
			return
		}
		coder = name
	} else {
		coder = strings.TrimSpace(r.PostForm.Get("name"))
		if err := pipeline.CheckCoder(coder); err != nil {
			b.Name, b.Error = coder, capital(err.Error())+"."
			s.render(w, r, http.StatusBadRequest, "signin", "Sign in", "", b)
			return
		}
	}
	id, err := s.sessions.open(coder, token)
	if err != nil {
		s.fail(w, r, "open a session", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil, MaxAge: int(sessionIdle / time.Second)})
	s.log.Info("signed in", zap.String("coder", coder))
	next := b.Next
	if next == "/" {
		next = "/queue"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.close(ck.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// capital returns s with its first letter upper-case.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
