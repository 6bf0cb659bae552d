package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/web"
)

// request is one request of a test: method, target, body, headers
// ("Host" sets the Host).
type request struct {
	method, target, body string
	hdr                  map[string]string
}

func do(t *testing.T, h http.Handler, rq request) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	req := httptest.NewRequest(rq.method, rq.target, body)
	if rq.method == http.MethodPost && rq.body != "" {
		if strings.HasPrefix(rq.body, "{") {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	for k, v := range rq.hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// routes returns a request for every route of the server, state-changing
// ones with a body that would store codes.
func routes(fx *fixture) []request {
	pid := fx.ps[0].ID.Short()
	form := url.Values{"coder": {"mallory"}, "code": {"role.navigation"}}.Encode()
	return []request{
		{method: "GET", target: "/?q=peer"},
		{method: "GET", target: "/signin"},
		{method: "POST", target: "/signin", body: url.Values{"name": {"mallory"}}.Encode()},
		{method: "POST", target: "/signout"},
		{method: "GET", target: "/queue"},
		{method: "GET", target: "/queue/next"},
		{method: "GET", target: "/passage/" + pid},
		{method: "GET", target: "/passage/" + url.PathEscape(pid)},
		{method: "POST", target: "/passage/" + pid + "/codes", body: form},
		{method: "POST", target: "/passage/" + url.PathEscape(pid) + "/codes", body: form},
		{method: "GET", target: "/doc/" + fx.art.ID.Short()},
		{method: "GET", target: "/report"},
		{method: "GET", target: "/agreement?a=alice&b=bob"},
		{method: "GET", target: "/adjudicate/" + pid + "?a=alice&b=bob"},
		{method: "POST", target: "/adjudicate/" + pid, body: url.Values{"by": {"mallory"}, "code": {"role.navigation"}}.Encode()},
		{method: "GET", target: "/api/search?q=peer"},
		{method: "GET", target: "/api/passages/" + pid},
		{method: "GET", target: "/api/queue?coder=mallory"},
		{method: "GET", target: "/api/codes"},
		{method: "POST", target: "/api/codes", body: `{"passage":"` + pid + `","coder":"mallory","codes":["role.navigation"]}`},
		{method: "GET", target: "/api/agreement?a=alice&b=bob"},
		{method: "GET", target: "/static/code.js"},
		{method: "GET", target: "/healthz"},
		{method: "GET", target: "/no/such/page"},
	}
}

func noCodes(t *testing.T, fx *fixture) {
	t.Helper()
	if got, err := fx.store.Coded(""); err != nil || len(got) != 0 {
		t.Errorf("codes stored: %v, %v; want none", got, err)
	}
}

// TestForeignHost sends every route with the Host of another site (DNS
// rebinding: evil.example resolving to 127.0.0.1), with that site's Origin.
func TestForeignHost(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	for _, host := range []string{"evil.example:8080", "evil.example", "127.0.0.1:9999", "localhost.evil.example:8080", ""} {
		for _, rq := range routes(fx) {
			rq.hdr = map[string]string{"Host": host, "Origin": "http://" + host, "Sec-Fetch-Site": "same-origin"}
			rec := do(t, h, rq)
			if rec.Code != http.StatusMisdirectedRequest {
				t.Errorf("%s %s with Host %q = %d, want 421", rq.method, rq.target, host, rec.Code)
			}
			if b := rec.Body.String(); strings.Contains(b, "Peer navigators") || strings.Contains(b, "peer navigator") {
				t.Errorf("%s %s with Host %q: the refusal shows corpus text", rq.method, rq.target, host)
			}
		}
	}
	noCodes(t, fx)
	// The names of the server's own address pass.
	for _, host := range []string{"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LOCALHOST:8080", "example.com"} {
		if rec := do(t, h, request{method: "GET", target: "/healthz", hdr: map[string]string{"Host": host}}); rec.Code != http.StatusOK {
			t.Errorf("GET /healthz with Host %q = %d, want 200", host, rec.Code)
		}
	}
}

// TestCrossOrigin sends every state-changing route from another origin, as
// a browser would on another site's page.
func TestCrossOrigin(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	for _, hdr := range []map[string]string{
		{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
		{"Origin": "http://evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "null"},
	} {
		for _, rq := range routes(fx) {
			if rq.method != http.MethodPost {
				continue
			}
			rq.hdr = hdr
			if rec := do(t, h, rq); rec.Code != http.StatusForbidden {
				t.Errorf("POST %s with %v = %d, want 403", rq.target, hdr, rec.Code)
			}
		}
	}
	noCodes(t, fx)
}

// TestNonLoopbackNeedsCoders: a server reachable from other machines does
// not start without coder accounts, and with them asks for a token.
func TestNonLoopbackNeedsCoders(t *testing.T) {
	fx := newFixture(t)
	for _, addr := range []string{"0.0.0.0:8080", "[::]:8080", "192.0.2.7:8080", ":8080"} {
		_, err := web.New(web.Options{Workspace: fx.ws, Addr: addr})
		if !errors.Is(err, web.ErrNoCoders) {
			t.Errorf("New(Addr %s) without accounts = %v, want ErrNoCoders", addr, err)
		}
	}
	for _, addr := range []string{"", "127.0.0.1", "127.0.0.1:0"} {
		if _, err := web.New(web.Options{Workspace: fx.ws, Addr: addr}); err == nil {
			t.Errorf("New(Addr %q) = nil error, want one (no port)", addr)
		}
	}
	if _, err := pipeline.AddCoder(fx.ws.Dir(), "ana", time.Now()); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{Workspace: fx.ws, Addr: "192.0.2.7:8080", Vocab: vocab()})
	if err != nil {
		t.Fatalf("New(Addr 192.0.2.7:8080) with an account: %v", err)
	}
	rec := do(t, h, request{method: "GET", target: "/", hdr: map[string]string{"Host": "192.0.2.7:8080"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/signin") {
		t.Errorf("GET / without signing in = %d to %q, want 303 to /signin", rec.Code, rec.Header().Get("Location"))
	}
}

// signIn posts the sign-in form and returns the session cookie.
func signIn(t *testing.T, h http.Handler, form url.Values) *http.Cookie {
	t.Helper()
	rec := do(t, h, request{method: "POST", target: "/signin", body: form.Encode(), hdr: map[string]string{"Origin": "http://example.com"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in with %v = %d, want 303\n%s", form, rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "peermap_session" {
			return c
		}
	}
	t.Fatal("sign-in set no session cookie")
	return nil
}

func TestAccounts(t *testing.T) {
	fx := newFixture(t)
	ana, err := pipeline.AddCoder(fx.ws.Dir(), "ana", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h := fx.handler(t, nil) // loopback, but with an account: tokens needed
	pid := fx.ps[0].ID.Short()
	save := `{"passage":"` + pid + `","codes":["role.navigation"]}`
	tests := []struct {
		name string
		rq   request
		code int
	}{
		{"page without session", request{method: "GET", target: "/passage/" + pid}, http.StatusSeeOther},
		{"API without token", request{method: "GET", target: "/api/search?q=x"}, http.StatusUnauthorized},
		{"write without token", request{method: "POST", target: "/api/codes", body: save}, http.StatusUnauthorized},
		{"wrong token", request{method: "POST", target: "/api/codes", body: save, hdr: map[string]string{"Authorization": "Bearer " + ana + "x"}}, http.StatusUnauthorized},
		{"wrong token on a page", request{method: "GET", target: "/", hdr: map[string]string{"Authorization": "Bearer nope"}}, http.StatusUnauthorized},
		{"not a bearer", request{method: "GET", target: "/api/codes", hdr: map[string]string{"Authorization": "Basic " + ana}}, http.StatusUnauthorized},
		{"form without session", request{method: "POST", target: "/passage/" + pid + "/codes", body: "coder=ana&code=role.navigation"}, http.StatusSeeOther},
		{"wrong token at sign-in", request{method: "POST", target: "/signin", body: "token=" + url.QueryEscape(ana[:20])}, http.StatusUnauthorized},
		{"name without token at sign-in", request{method: "POST", target: "/signin", body: "name=ana"}, http.StatusUnauthorized},
		{"someone else's codes", request{method: "POST", target: "/api/codes", body: `{"passage":"` + pid + `","coder":"bob","codes":["role.navigation"]}`, hdr: map[string]string{"Authorization": "Bearer " + ana}}, http.StatusForbidden},
		{"healthz is open", request{method: "GET", target: "/healthz"}, http.StatusOK},
		{"sign-in page is open", request{method: "GET", target: "/signin"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, tt.rq)
			if rec.Code != tt.code {
				t.Errorf("%s %s = %d, want %d\n%s", tt.rq.method, tt.rq.target, rec.Code, tt.code, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "Peer navigators accompany") {
				t.Error("the refusal shows corpus text")
			}
		})
	}
	noCodes(t, fx)

	// With the token: the API writes as ana.
	rec := do(t, h, request{method: "POST", target: "/api/codes", body: save, hdr: map[string]string{"Authorization": "Bearer " + ana}})
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /api/codes with ana's token = %d\n%s", rec.Code, rec.Body)
	}
	if got, _ := fx.store.HumanCodes("ana"); len(got) != 1 {
		t.Errorf("HumanCodes(ana) = %v, want one", got)
	}
	// Sign-in gives a strict session cookie that opens the pages.
	ck := signIn(t, h, url.Values{"token": {ana}, "next": {"/passage/" + pid}})
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/", ck)
	}
	rec = do(t, h, request{method: "GET", target: "/passage/" + pid, hdr: map[string]string{"Cookie": ck.String()}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Coding as <strong>ana</strong>") {
		t.Errorf("passage page with ana's session = %d, want 200 coding as ana", rec.Code)
	}
	// A new token for ana ends the sessions of the old one.
	if _, err := pipeline.AddCoder(fx.ws.Dir(), "ana", time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	rec = do(t, h, request{method: "GET", target: "/queue", hdr: map[string]string{"Cookie": ck.String()}})
	if rec.Code != http.StatusSeeOther {
		t.Errorf("GET /queue with a session of a revoked token = %d, want 303 to sign in", rec.Code)
	}
	// Sign-in redirects only to this site.
	for _, next := range []string{"//evil.example/", "http://evil.example/", "/\\evil.example"} {
		rec := do(t, h, request{method: "POST", target: "/signin", body: url.Values{"token": {ana}, "next": {next}}.Encode()})
		if rec.Code == http.StatusSeeOther && !strings.HasPrefix(rec.Header().Get("Location"), "/") || strings.HasPrefix(rec.Header().Get("Location"), "//") {
			t.Errorf("sign in with next=%q redirects to %q", next, rec.Header().Get("Location"))
		}
	}
}

// TestSessionIdle: a session ends after 12 hours unused.
func TestSessionIdle(t *testing.T) {
	fx := newFixture(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h := fx.handler(t, func(o *web.Options) { o.Now = func() time.Time { return now } })
	ck := signIn(t, h, url.Values{"name": {"ana"}})
	whoami := func() int {
		rec := do(t, h, request{method: "GET", target: "/api/queue", hdr: map[string]string{"Cookie": ck.String()}})
		return rec.Code
	}
	if code := whoami(); code != http.StatusOK {
		t.Fatalf("GET /api/queue signed in = %d", code)
	}
	now = now.Add(11 * time.Hour)
	if code := whoami(); code != http.StatusOK {
		t.Errorf("after 11 h = %d, want 200", code)
	}
	now = now.Add(13 * time.Hour)
	if code := whoami(); code != http.StatusBadRequest { // no coder: the API asks for one
		t.Errorf("after 13 h idle = %d, want 400 (signed out)", code)
	}
}

// TestXSS puts script in a document title, a passage, a memo, a coder name
// and a query, and checks that every page shows it as text.
func TestXSS(t *testing.T) {
	fx := newFixture(t)
	const x = `"><script>alert(1)</script><img src=x onerror=alert(2)>`
	doc := &corpus.Document{ID: corpus.NewDocID([]byte("xss")), Path: "x.txt", Format: "text", Kind: corpus.KindGrey, Title: "Title " + x, Authors: []string{"Evil, " + x}, Year: 2021, Text: "Peer navigators " + x}
	ps := []corpus.Passage{{ID: corpus.NewPassageID(doc.ID, 0), Doc: doc.ID, Start: 0, End: len(doc.Text), Text: doc.Text}}
	if err := fx.store.PutDocument(doc, ps); err != nil {
		t.Fatal(err)
	}
	if err := fx.store.PutAnnotations(doc.ID, "rules@v1+test", "v1+test", []corpus.Annotation{{Passage: ps[0].ID, Type: corpus.AnnCode, Code: "role.navigation", Annotator: "rules@v1+test", Spans: []corpus.Span{{Start: 0, End: 15}}}}); err != nil {
		t.Fatal(err)
	}
	fx.search.res.Hits = append(fx.search.res.Hits, corpus.Hit{Passage: ps[0].ID, Doc: doc.ID, Text: doc.Text, Title: doc.Title, Authors: doc.Authors, Fragments: []string{"Peer <mark>navigators</mark> " + x}})
	h := fx.handler(t, nil)
	pid := ps[0].ID.Short()
	for coder, memo := range map[string]string{"ana": "memo " + x, "bob": ""} {
		body := url.Values{"coder": {coder}, "code": {"role.navigation"}, "memo": {memo}}
		if coder == "bob" {
			body["code"] = []string{"role.education"}
		}
		if rec := do(t, h, request{method: "POST", target: "/passage/" + pid + "/codes", body: body.Encode()}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST codes of %s = %d\n%s", coder, rec.Code, rec.Body)
		}
	}
	ck := signIn(t, h, url.Values{"name": {"carol"}})
	for _, target := range []string{
		"/?q=" + url.QueryEscape(x),
		"/?q=peer&label=" + url.QueryEscape(x),
		"/doc/" + doc.ID.Short(),
		"/passage/" + pid + "?coder=ana",
		"/queue",
		"/agreement?a=ana&b=bob",
		"/adjudicate/" + pid + "?a=ana&b=bob",
		"/signin?next=" + url.QueryEscape(x),
		"/no/" + url.PathEscape(x),
	} {
		rec := do(t, h, request{method: "GET", target: target, hdr: map[string]string{"Cookie": ck.String()}})
		b := rec.Body.String()
		for _, bad := range []string{"<script>alert", "<img src=x"} {
			if strings.Contains(b, bad) {
				t.Errorf("GET %s (%d): the page holds %q unescaped", target, rec.Code, bad)
			}
		}
	}
	// The payload is there as text where it belongs.
	rec := do(t, h, request{method: "GET", target: "/passage/" + pid + "?coder=ana"})
	if !strings.Contains(rec.Body.String(), "memo &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the passage page does not show ana's memo as text")
	}
	// JSON is served as JSON, never sniffed as HTML.
	rec = do(t, h, request{method: "GET", target: "/api/passages/" + pid})
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("API content type %q, nosniff %q", ct, rec.Header().Get("X-Content-Type-Options"))
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

// brokenSearch fails with an error whose text must not reach clients.
type brokenSearch struct{}

const secret = "/home/ana/private/index: bolt: database not open"

func (brokenSearch) Search(context.Context, corpus.Query) (*corpus.Results, error) {
	return nil, errors.New(secret)
}

// TestNoInternalErrorText closes the store under a running handler: every
// page and API call fails, and none shows the error's text.
func TestNoInternalErrorText(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, func(o *web.Options) { o.Search = brokenSearch{} })
	ck := signIn(t, h, url.Values{"name": {"ana"}})
	if err := fx.store.Close(); err != nil {
		t.Fatal(err)
	}
	fails := 0
	for _, rq := range routes(fx) {
		rq.hdr = map[string]string{"Cookie": ck.String()}
		rec := do(t, h, rq)
		b := rec.Body.String()
		if rec.Code >= 500 {
			fails++
		}
		for _, leak := range []string{"database not open", "bolt", "/home/ana", "corpus.db", secret} {
			if strings.Contains(b, leak) {
				t.Errorf("%s %s = %d: the response holds %q", rq.method, rq.target, rec.Code, leak)
			}
		}
	}
	// Passage routes answer 404: corpus.Store.FindPassage reports a store
	// error as ErrNotFound.
	if fails < 5 {
		t.Errorf("%d routes failed with the store closed, want at least 5", fails)
	}
}

// TestCodingByAPI goes through the queue with the JSON API as a script
// would: queue, passage, save with a memo, progress, export.
func TestCodingByAPI(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	get := func(target string, v any) {
		t.Helper()
		rec := do(t, h, request{method: "GET", target: target})
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", target, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
	}
	type queue struct {
		Coder, Order string
		Coded, Total int
		Items        []struct {
			Passage   corpus.PassageID
			Citation  string
			Suggested []string
			Coders    []string
		}
	}
	var q queue
	get("/api/queue?coder=ana&n=5", &q)
	// The machine suggests codes for passages 0 and 2 (the negated label of 1 is no suggestion).
	if q.Coder != "ana" || q.Order != "suggested" || q.Coded != 0 || q.Total != 2 || len(q.Items) != 2 ||
		q.Items[0].Passage != fx.ps[0].ID || !slices.Equal(q.Items[0].Suggested, []string{"role.navigation"}) {
		t.Fatalf("queue = %+v", q)
	}
	if want := "Smith & Doe (2020). Peer navigators in primary care, p. 1."; q.Items[0].Citation != want {
		t.Errorf("queue citation = %q, want %q", q.Items[0].Citation, want)
	}
	var p struct {
		ID        corpus.PassageID
		Citation  string
		Suggested []string
		Mine      *struct{ Codes []string }
	}
	get("/api/passages/"+fx.ps[2].ID.Short(), &p)
	if p.ID != fx.ps[2].ID || !slices.Equal(p.Suggested, []string{"pathway.status", "setting.primary_care"}) || p.Mine != nil {
		t.Errorf("passage = %+v", p)
	}
	save := func(body string, code int) string {
		t.Helper()
		rec := do(t, h, request{method: "POST", target: "/api/codes", body: body})
		if rec.Code != code {
			t.Fatalf("POST /api/codes %s = %d, want %d\n%s", body, rec.Code, code, rec.Body)
		}
		return rec.Body.String()
	}
	save(`{"passage":"`+fx.ps[0].ID.Short()+`","coder":"ana","codes":["role.navigation","role.education"],"labels":["peer navigator"],"memo":"accompanying is navigation"}`, http.StatusOK)
	save(`{"passage":"`+string(fx.ps[2].ID)+`","coder":"ana","codes":[]}`, http.StatusOK) // nothing applies
	save(`{"passage":"`+fx.ps[1].ID.Short()+`","coder":"ana","codes":["role.astrology"]}`, http.StatusBadRequest)
	save(`{"passage":"ffffffffffff/0000","coder":"ana","codes":[]}`, http.StatusNotFound)
	save(`{"passage":"`+fx.ps[1].ID.Short()+`","coder":"ana","codes":[],"extra":1}`, http.StatusBadRequest)
	save(`{"passage":"`+fx.ps[1].ID.Short()+`","codes":[]}`, http.StatusBadRequest) // no coder
	if rec := do(t, h, request{method: "POST", target: "/api/codes", body: `{"passage":"x"}`, hdr: map[string]string{"Content-Type": "text/plain"}}); rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("POST /api/codes as text/plain = %d, want 415", rec.Code)
	}
	get("/api/queue?coder=ana", &q)
	if q.Coded != 2 || q.Total != 2 || len(q.Items) != 0 {
		t.Errorf("after coding both: %d of %d, %d left; want 2 of 2, none", q.Coded, q.Total, len(q.Items))
	}
	var codes struct {
		Codes []struct {
			Passage corpus.PassageID
			Coder   string
			Codes   []string
			Labels  []string
			Memo    string
		}
	}
	get("/api/codes?coder=ana", &codes)
	if len(codes.Codes) != 2 {
		t.Fatalf("/api/codes = %+v, want two rows (one empty)", codes)
	}
	c0, c2 := codes.Codes[0], codes.Codes[1]
	if c0.Passage != fx.ps[0].ID || !slices.Equal(c0.Codes, []string{"role.education", "role.navigation"}) || !slices.Equal(c0.Labels, []string{"peer navigator"}) || c0.Memo != "accompanying is navigation" {
		t.Errorf("row 0 = %+v", c0)
	}
	if c2.Passage != fx.ps[2].ID || len(c2.Codes) != 0 {
		t.Errorf("row 1 = %+v, want passage 2 with no code", c2)
	}
	// The memo is the Note of the first code, where REFI-QDA export finds it.
	anns, err := fx.store.HumanCodes("ana")
	if err != nil {
		t.Fatal(err)
	}
	if anns[0].Note != "accompanying is navigation" || anns[1].Note != "" {
		t.Errorf("notes = %q, %q; want the memo on the first code only", anns[0].Note, anns[1].Note)
	}
	// Another coder's queue starts with ana's passages.
	get("/api/queue?coder=bob", &q)
	if len(q.Items) != 2 || !slices.Equal(q.Items[0].Coders, []string{"ana"}) {
		t.Errorf("bob's queue = %+v, want ana's two passages", q.Items)
	}
}

// TestQueuePages walks the pages: sign in, queue, next, save and next.
func TestQueuePages(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	if rec := do(t, h, request{method: "GET", target: "/queue"}); rec.Code != http.StatusSeeOther {
		t.Errorf("GET /queue signed out = %d, want 303 to sign in", rec.Code)
	}
	ck := signIn(t, h, url.Values{"name": {"ana"}})
	cookie := map[string]string{"Cookie": ck.String()}
	rec := do(t, h, request{method: "GET", target: "/queue", hdr: cookie})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /queue = %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), "Coded <strong>0</strong> of <strong>2</strong>", fx.ps[0].ID.Short(), fx.ps[2].ID.Short(), "role.navigation")
	rec = do(t, h, request{method: "GET", target: "/queue/next", hdr: cookie})
	if loc := rec.Header().Get("Location"); loc != "/passage/"+fx.ps[0].ID.Short()+"#coding" {
		t.Fatalf("/queue/next to %q, want the first passage", loc)
	}
	rec = do(t, h, request{method: "GET", target: "/passage/" + fx.ps[0].ID.Short(), hdr: cookie})
	mustContain(t, rec.Body.String(), "ana: coded <strong>0</strong> of <strong>2</strong>", `data-suggested data-key="1"`, `<script src="/static/code.js"`)
	mustNotContain(t, rec.Body.String(), `name="coder"`) // signed in: no name field
	form := url.Values{"code": {"role.navigation"}, "then": {"next"}}
	rec = do(t, h, request{method: "POST", target: "/passage/" + fx.ps[0].ID.Short() + "/codes", body: form.Encode(), hdr: cookie})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/queue/next" {
		t.Fatalf("save and next = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = do(t, h, request{method: "GET", target: "/queue/next", hdr: cookie})
	if loc := rec.Header().Get("Location"); loc != "/passage/"+fx.ps[2].ID.Short()+"#coding" {
		t.Errorf("next after saving = %q, want passage 2", loc)
	}
	// Signed in as ana, the form cannot write as bob.
	form = url.Values{"coder": {"bob"}, "code": {"role.navigation"}}
	if rec := do(t, h, request{method: "POST", target: "/passage/" + fx.ps[2].ID.Short() + "/codes", body: form.Encode(), hdr: cookie}); rec.Code != http.StatusForbidden {
		t.Errorf("ana posting as bob = %d, want 403", rec.Code)
	}
	if got, _ := fx.store.HumanCodes("bob"); len(got) != 0 {
		t.Errorf("bob's codes = %v, want none", got)
	}
	rec = do(t, h, request{method: "GET", target: "/static/code.js"})
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("GET /static/code.js = %d %q", rec.Code, ct)
	}
}

// TestAgreementAndAdjudication codes the fixture by two coders, reads the
// agreement page and its JSON, and adjudicates a disagreement.
func TestAgreementAndAdjudication(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	for _, c := range []struct {
		coder string
		n     int
		codes []string
	}{
		{"ana", 0, []string{"role.navigation"}}, {"bob", 0, []string{"role.navigation"}},
		{"ana", 1, []string{"role.education"}}, {"bob", 1, nil},
		{"ana", 2, []string{"pathway.status", "setting.primary_care"}}, {"bob", 2, []string{"pathway.status"}},
	} {
		body := url.Values{"coder": {c.coder}, "code": c.codes}
		if rec := do(t, h, request{method: "POST", target: "/passage/" + fx.ps[c.n].ID.Short() + "/codes", body: body.Encode()}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST = %d\n%s", rec.Code, rec.Body)
		}
	}
	want, err := fx.ws.CoderAgreement(context.Background(), "ana", "bob")
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, h, request{method: "GET", target: "/agreement?a=ana&b=bob"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /agreement = %d", rec.Code)
	}
	b := rec.Body.String()
	if len(want.Dimensions) != 3 {
		t.Fatalf("dimensions %+v, want role, pathway, setting", want.Dimensions)
	}
	for _, d := range want.Dimensions {
		f3 := func(f float64) string { return strings.Replace(fmt.Sprintf("%.3f", f), "-0.000", "0.000", 1) }
		row := fmt.Sprintf(`<tr data-dim="%s"><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td class="kappa">%s</td><td class="alpha">%s</td></tr>`, d.Name, d.Name, d.Both, d.OnlyA, d.OnlyB, f3(d.Kappa), f3(d.Alpha))
		mustContain(t, b, row)
	}
	// role: 3 passages × 2 codes used (navigation, education); ana gave
	// education on passage 1, bob did not: kappa over 6 units.
	if r := want.Dimensions[0]; r.Name != "role" || r.Both != 1 || r.OnlyA != 1 || r.OnlyB != 0 {
		t.Errorf("role agreement = %+v, want both 1, only ana 1", r)
	}
	mustContain(t, b, "Disagreements (2)", `href="/adjudicate/`+fx.ps[1].ID.Short()+`?a=ana&amp;b=bob"`, `href="/adjudicate/`+fx.ps[2].ID.Short()+`?a=ana&amp;b=bob"`, "ana: setting.primary_care")
	var api pipeline.CoderAgreement
	rec = do(t, h, request{method: "GET", target: "/api/agreement?a=ana&b=bob"})
	if err := json.Unmarshal(rec.Body.Bytes(), &api); err != nil || api.N != 3 || len(api.Disagreements) != 2 || api.Kappa != want.Kappa {
		t.Errorf("/api/agreement = %+v, %v", api, err)
	}
	// The adjudication form starts from what both gave.
	rec = do(t, h, request{method: "GET", target: "/adjudicate/" + fx.ps[2].ID.Short() + "?a=ana&b=bob"})
	if !ticked(t, rec.Body.String(), "code=pathway.status") || ticked(t, rec.Body.String(), "code=setting.primary_care") {
		t.Error("adjudication form: want pathway.status (both) ticked, setting.primary_care (ana only) not")
	}
	form := url.Values{"by": {"carol"}, "a": {"ana"}, "b": {"bob"}, "code": {"pathway.status", "setting.primary_care"}, "memo": {"the clinic is primary care"}}
	rec = do(t, h, request{method: "POST", target: "/adjudicate/" + fx.ps[2].ID.Short(), body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/agreement?a=ana&b=bob#adjudicated" {
		t.Fatalf("POST adjudication = %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	cons, err := fx.store.HumanCodes(pipeline.Consensus)
	if err != nil {
		t.Fatal(err)
	}
	if len(cons) != 2 || cons[0].Passage != fx.ps[2].ID || cons[0].Note != "the clinic is primary care" {
		t.Errorf("consensus codes = %+v", cons)
	}
	rec = do(t, h, request{method: "GET", target: "/agreement?a=ana&b=bob"})
	mustContain(t, rec.Body.String(), `adjudicated</span> · <a class="adjudicate" href="/adjudicate/`+fx.ps[2].ID.Short())
	// Adjudication needs someone to have done it.
	form.Del("by")
	if rec := do(t, h, request{method: "POST", target: "/adjudicate/" + fx.ps[2].ID.Short(), body: form.Encode()}); rec.Code != http.StatusBadRequest {
		t.Errorf("adjudication by no one = %d, want 400", rec.Code)
	}
	if rec := do(t, h, request{method: "GET", target: "/agreement?a=ana&b=zed"}); rec.Code != http.StatusBadRequest {
		t.Errorf("agreement with an unknown coder = %d, want 400", rec.Code)
	}
}

// BenchmarkSaveCodes measures POST /api/codes (decode, check against the
// vocabulary, store) against its baseline, the store write alone.
func BenchmarkSaveCodes(b *testing.B) {
	fx := newFixture(b)
	h := fx.handler(b, func(o *web.Options) { o.Logger = nil })
	pid := fx.ps[0].ID
	anns := []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation", Confidence: 1}, {Type: corpus.AnnLabel, Label: "peer navigator", Family: "peer navigator", Confidence: 1}}
	b.Run("baseline-store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := fx.store.PutHumanCodes("ana", pid, anns); err != nil {
				b.Fatal(err)
			}
		}
	})
	body := `{"passage":"` + pid.Short() + `","coder":"ana","codes":["role.navigation"],"labels":["peer navigator"],"memo":"m"}`
	b.Run("api", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/api/codes", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("POST /api/codes = %d", rec.Code)
			}
		}
	})
}
