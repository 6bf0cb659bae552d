package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/peermap/peermap/web"
)

// FuzzAPISaveCodes posts arbitrary bodies to POST /api/codes: the server
// never fails (no 5xx, no panic), and whatever it stores is in the
// vocabulary under a valid coder name.
func FuzzAPISaveCodes(f *testing.F) {
	fx := newFixture(f)
	h := fx.handler(f, func(o *web.Options) { o.Logger = nil }) // zaptest cannot log from inside a fuzz target
	pid := fx.ps[0].ID.Short()
	for _, s := range []string{
		`{"passage":"` + pid + `","coder":"ana","codes":["role.navigation"],"labels":["peer navigator"],"memo":"m"}`,
		`{"passage":"` + pid + `","coder":"ana","codes":[]}`,
		`{"passage":"` + pid + `","coder":"consensus","codes":["role.navigation"]}`,
		`{"passage":"` + pid + `","coder":"a\u0000b"}`,
		`{"passage":"` + pid + `","coder":"ana","memo":"x"}`,
		`{"passage":"../../etc","coder":"ana"}`,
		`[1,2]`, `{`, ``, `{"passage":1}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := http.NewRequest(http.MethodPost, "/api/codes", strings.NewReader(body))
		if err != nil {
			return
		}
		req.Host = "example.com"
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST /api/codes %q = %d: %s", body, rec.Code, rec.Body)
		}
		anns, err := fx.store.HumanCodes("")
		if err != nil {
			t.Fatal(err)
		}
		known := map[string]bool{}
		for _, c := range vocab().Codes {
			known[c.ID] = true
		}
		for _, l := range vocab().Labels {
			known[l.Label] = true
		}
		for _, a := range anns {
			if !known[a.Code+a.Label] || a.Annotator == "human:consensus" || strings.ContainsFunc(a.Annotator, func(r rune) bool { return r < ' ' }) {
				t.Fatalf("after %q the store holds %+v", body, a)
			}
		}
	})
}

// FuzzSignInNext signs in with an arbitrary next parameter: the redirect
// always stays on this site.
func FuzzSignInNext(f *testing.F) {
	fx := newFixture(f)
	h := fx.handler(f, func(o *web.Options) { o.Logger = nil }) // zaptest cannot log from inside a fuzz target
	for _, s := range []string{"/queue", "//evil.example/", "/\\evil.example", "http://evil.example", "/%2F%2Fevil", "\r\nLocation: x", "javascript:alert(1)", "/a?b=c#d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		form := url.Values{"name": {"ana"}, "next": {next}}
		req, err := http.NewRequest(http.MethodPost, "/signin", strings.NewReader(form.Encode()))
		if err != nil {
			return
		}
		req.Host = "example.com"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in with next %q = %d", next, rec.Code)
		}
		loc := rec.Header().Get("Location")
		u, err := url.Parse(loc)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Fatalf("sign in with next %q redirects to %q", next, loc)
		}
	})
}
