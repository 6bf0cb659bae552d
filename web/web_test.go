package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/golden"
	"github.com/peermap/peermap/internal/text"
	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/web"
)

// fixture is a small corpus: an article with three passages (one holding
// a <script> tag) and machine annotations, and a skipped grey document.
type fixture struct {
	ws      *pipeline.Workspace
	store   *corpus.Store
	art     *corpus.Document
	skipped *corpus.Document
	ps      []corpus.Passage
	search  *fakeSearch
}

const (
	p0 = "Peer navigators accompany patients to appointments and link them to social services."
	p1 = "No peer navigator was involved in the control arm. <script>alert('x')</script> & more."
	p2 = "Navigators were paid staff of the clinic, trained for twelve weeks — « intégrés »."
)

func vocab() corpus.Vocabulary {
	return corpus.Vocabulary{
		Version: "v1+test",
		Codes: []corpus.CodeInfo{
			{ID: "role.navigation", Dimension: "role", Name: "navigation", Question: "What do they do?", Definition: "linking people to services"},
			{ID: "role.education", Dimension: "role", Name: "education", Question: "What do they do?"},
			{ID: "pathway.status", Dimension: "pathway", Name: "status", Question: "How do they come to and hold the role?"},
			{ID: "setting.primary_care", Dimension: "setting", Name: "primary care", Question: "Where do they practise?"},
		},
		Families: []string{"peer navigator", "community health worker"},
		Labels: []corpus.LabelInfo{
			{Label: "peer navigator", Family: "peer navigator"},
			{Label: "patient navigator", Family: "peer navigator"},
			{Label: "community health worker", Family: "community health worker"},
		},
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	added := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	// Rules alone: the queue tests check the fallback order (no model).
	ws, _, err := pipeline.Init(pipeline.Options{Dir: t.TempDir(), Now: func() time.Time { return added }, Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	st := ws.Store()

	text := p0 + "\n\n" + p1 + "\n\n" + p2
	art := &corpus.Document{
		ID:      corpus.NewDocID([]byte("article bytes")),
		Path:    "pdf/smith2020.pdf",
		Format:  "pdf",
		Kind:    corpus.KindArticle,
		Lang:    "en",
		Title:   "Peer navigators in primary care",
		Authors: []string{"Smith, Jane", "Doe, John"},
		Year:    2020,
		Venue:   "Health Expectations",
		DOI:     "10.1111/hex.0000",
		Pages:   []corpus.Page{{N: 1, Start: 0, End: len(p0) + 2}, {N: 2, Start: len(p0) + 2, End: len(text)}},
		Size:    1234,
		Added:   added,
		Text:    text,
	}
	var ps []corpus.Passage
	off := 0
	for i, s := range []string{p0, p1, p2} {
		ps = append(ps, corpus.Passage{ID: corpus.NewPassageID(art.ID, i), Doc: art.ID, N: i, Section: "Results", Page: art.PageAt(off), Start: off, End: off + len(s), Text: s})
		off += len(s) + 2
	}
	if err := st.PutDocument(art, ps); err != nil {
		t.Fatal(err)
	}
	span := func(text, sub string) corpus.Span {
		i := strings.Index(text, sub)
		if i < 0 {
			t.Fatalf("%q not in %q", sub, text)
		}
		return corpus.Span{Start: i, End: i + len(sub)}
	}
	const ann = "rules@v1+test"
	anns := []corpus.Annotation{
		{Passage: ps[0].ID, Type: corpus.AnnLabel, Label: "peer navigator", Family: "peer navigator", Spans: []corpus.Span{span(p0, "Peer navigators")}, Rule: "label.peer_navigator", Annotator: ann, Confidence: 0.9},
		{Passage: ps[0].ID, Type: corpus.AnnCode, Code: "role.navigation", Spans: []corpus.Span{span(p0, "accompany patients to appointments"), span(p0, "link them to social services")}, Rule: "role.navigation.accompany", Annotator: ann, Confidence: 0.8, Links: []string{"peer navigator"}, LinkScope: "sentence"},
		{Passage: ps[1].ID, Type: corpus.AnnLabel, Label: "peer navigator", Family: "peer navigator", Negated: true, Spans: []corpus.Span{span(p1, "peer navigator")}, Rule: "label.peer_navigator", Annotator: ann, Confidence: 0.9},
		// A span ending inside "é" (bytes of a two-byte rune) must be widened, not cut.
		{Passage: ps[2].ID, Type: corpus.AnnCode, Code: "pathway.status", Spans: []corpus.Span{span(p2, "paid staff")}, Rule: "pathway.status.paid", Annotator: ann, Confidence: 0.7},
		{Passage: ps[2].ID, Type: corpus.AnnCode, Code: "setting.primary_care", Spans: []corpus.Span{{Start: strings.Index(p2, "«"), End: strings.Index(p2, "é") + 1}}, Rule: "setting.bad_offsets", Annotator: ann, Confidence: 0.5},
	}
	if err := st.PutAnnotations(art.ID, ann, "v1+test", anns); err != nil {
		t.Fatal(err)
	}
	skipped := &corpus.Document{
		ID:         corpus.NewDocID([]byte("scanned bytes")),
		Path:       "pdf/scan.pdf",
		Format:     "pdf",
		Kind:       corpus.KindGrey,
		Lang:       "fr",
		Title:      "Rapport <b>annuel</b>",
		Skip:       corpus.SkipNoText,
		SkipDetail: "no text layer on 12 pages (needs OCR)",
		Added:      added,
	}
	if err := st.PutDocument(skipped, nil); err != nil {
		t.Fatal(err)
	}
	fs := &fakeSearch{res: &corpus.Results{
		Total: 3,
		Hits: []corpus.Hit{
			{Passage: ps[0].ID, Doc: art.ID, Score: 2.5, Text: p0, Fragments: []string{"Peer <mark>navigators</mark> accompany patients"},
				Title: art.Title, Authors: art.Authors, Year: 2020, Path: art.Path, Page: 1, Section: "Results", Kind: corpus.KindArticle, Lang: "en",
				Labels: []string{"peer navigator"}, Codes: []string{"role.navigation"}},
			{Passage: ps[1].ID, Doc: art.ID, Score: 1.5, Text: p1, Fragments: []string{"No peer <mark>navigator</mark> was involved. &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"}, // as bleve escapes
				Title: art.Title, Authors: art.Authors, Year: 2020, Path: art.Path, Page: 2, Section: "Results", Kind: corpus.KindArticle, Lang: "en"},
			{Passage: ps[1].ID, Doc: art.ID, Score: 0.5, Text: p1, Title: art.Title, Kind: corpus.KindArticle}, // no fragments: the raw text is shown
		},
		Facets: map[string][]corpus.Bucket{
			"code":  {{Value: "role.navigation", Count: 1}},
			"label": {{Value: "peer navigator", Count: 2}},
			"kind":  {{Value: "article", Count: 2}},
			"year":  {{Value: "2020", Count: 2}},
		},
	}}
	return &fixture{ws: ws, store: st, art: art, skipped: skipped, ps: ps, search: fs}
}

// fakeSearch returns fixed results and records the last query.
type fakeSearch struct {
	res  *corpus.Results
	err  error
	last corpus.Query
}

func (f *fakeSearch) Search(ctx context.Context, q corpus.Query) (*corpus.Results, error) {
	f.last = q
	if f.err != nil {
		return nil, f.err
	}
	return f.res, nil
}

func (fx *fixture) handler(t testing.TB, mod func(*web.Options)) http.Handler {
	t.Helper()
	// httptest.NewRequest asks for Host example.com.
	opts := web.Options{Workspace: fx.ws, Addr: "127.0.0.1:8080", AllowHosts: []string{"example.com"}, Search: fx.search, Vocab: vocab(), Logger: zaptest.NewLogger(t)}
	if mod != nil {
		mod(&opts)
	}
	h, err := web.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(t testing.TB, h http.Handler, target string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Code, rec.Body.String()
}

func mustContain(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// ticked reports whether the checkbox "field=value" of a coding form in
// body is ticked; it fails the test if there is no such box.
func ticked(t *testing.T, body, box string) bool {
	t.Helper()
	field, value, _ := strings.Cut(box, "=")
	re := regexp.MustCompile(`<input type="checkbox" name="` + regexp.QuoteMeta(field) + `" value="` + regexp.QuoteMeta(template.HTMLEscapeString(value)) + `"[^>]*>`)
	tags := re.FindAllString(body, -1)
	if len(tags) != 1 {
		t.Fatalf("%d checkboxes %s in the page, want 1", len(tags), box)
	}
	return strings.HasSuffix(tags[0], " checked>")
}

func mustNotContain(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("page holds %q", s)
		}
	}
}

func TestNewNeedsStore(t *testing.T) {
	if _, err := web.New(web.Options{}); err == nil {
		t.Error("New(Options{}) = nil error, want one (no store)")
	}
}

func TestSearchPage(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	code, body := get(t, h, "/?q="+url.QueryEscape(`navigation label:"peer navigator"`)+"&kind=article&year=2010..2024&n=5&page=1")
	if code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200\n%s", code, body)
	}
	want := corpus.Query{Text: "navigation", Labels: []string{"peer navigator"}, Kinds: []corpus.Kind{corpus.KindArticle},
		YearFrom: 2010, YearTo: 2024, Limit: 5, Facets: true}
	if diff := cmp.Diff(want, fx.search.last); diff != "" {
		t.Errorf("query passed to Search (-want +got):\n%s", diff)
	}
	mustContain(t, body,
		// The citation of 'peermap search' (text.CiteAt).
		"Smith &amp; Doe (2020). Peer navigators in primary care, p. 1. [",
		"Smith &amp; Doe (2020). Peer navigators in primary care, p. 2. [",
		"Peer navigators in primary care, ¶ 2. [",
		"Results",
		`href="`+"/passage/"+fx.art.ID.Short()+`/0000"`, fx.ps[1].ID.Short(),
		"Peer <mark>navigators</mark> accompany patients", // highlight kept
		"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", // fragment escaped
		"Passages 1–3 of 3",
		"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more.", // raw text escaped
		"kind: article ×",                                             // active filter chip
	)
	mustNotContain(t, body, "<script>", "alert('x')", "&amp;lt;", "&amp;#39;") // escaped once, not twice
	// The facet link adds code= and keeps the rest; the active kind bucket is not a link.
	mustContain(t, body, `href="/?code=role.navigation&amp;kind=article&amp;n=5&amp;q=navigation&#43;label%3A%22peer&#43;navigator%22&amp;year=2010..2024"`)
	mustContain(t, body, `<strong>article</strong>`)
	// A new search from the box keeps the filters of the query string.
	mustContain(t, body, `<input type="hidden" name="kind" value="article">`, `<input type="hidden" name="year" value="2010..2024">`, `<input type="hidden" name="n" value="5">`)
}

func TestSearchPageStates(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name   string
		mod    func(*web.Options)
		target string
		code   int
		want   string
	}{
		{"empty query shows help", nil, "/", http.StatusOK, "Search the corpus"},
		{"bad kind", nil, "/?kind=poster", http.StatusBadRequest, "kind &#34;poster&#34;"},
		{"bad year", nil, "/?q=year:20x0", http.StatusBadRequest, "year"},
		{"bad n", nil, "/?q=x&n=-1", http.StatusBadRequest, "want a positive number"},
		{"bad page", nil, "/?q=x&page=0", http.StatusBadRequest, "want a positive number"},
		{"search disabled", func(o *web.Options) { o.Search = nil }, "/?q=peer", http.StatusServiceUnavailable, "Search is disabled"},
		{"bad query", func(o *web.Options) {
			o.Search = &fakeSearch{err: fmt.Errorf("search: %w: syntax error in query", pipeline.ErrQuery)}
		}, "/?q=%2B%2B", http.StatusBadRequest, "The query could not be read: syntax error in query"},
		{"search error", func(o *web.Options) { o.Search = &fakeSearch{err: errors.New("open /secret/index: boom")} }, "/?q=x", http.StatusInternalServerError, "The search failed on the server"},
		{"no hits", func(o *web.Options) { o.Search = &fakeSearch{res: &corpus.Results{}} }, "/?q=zzz", http.StatusOK, "No passage matches."},
		{"nil results", func(o *web.Options) { o.Search = &fakeSearch{} }, "/?q=zzz", http.StatusOK, "No passage matches."},
		{"long facet folded", func(o *web.Options) { o.Search = &fakeSearch{res: manyYears(15)} }, "/?q=zzz", http.StatusOK, "<summary>3 more</summary>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, fx.handler(t, tt.mod), tt.target)
			if code != tt.code {
				t.Errorf("GET %s = %d, want %d", tt.target, code, tt.code)
			}
			mustContain(t, body, tt.want)
		})
	}
}

// manyYears returns results with no hits and a year facet of n values.
func manyYears(n int) *corpus.Results {
	res := &corpus.Results{Facets: map[string][]corpus.Bucket{}}
	for i := range n {
		res.Facets["year"] = append(res.Facets["year"], corpus.Bucket{Value: strconv.Itoa(2000 + i), Count: n - i})
	}
	return res
}

func TestPassagePage(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	for _, target := range []string{
		"/passage/" + fx.art.ID.Short() + "/0000",
		"/passage/" + string(fx.ps[0].ID),                 // full ID, slash as typed
		"/passage/" + url.PathEscape(string(fx.ps[0].ID)), // full ID, slash escaped
		"/passage/" + url.PathEscape(fx.ps[0].ID.Short()), // short ID, slash escaped
	} {
		t.Run(target, func(t *testing.T) {
			code, body := get(t, h, target)
			if code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", target, code)
			}
			mustContain(t, body,
				`<mark class="ev" title="peer navigator">Peer navigators</mark>`,
				`<mark class="ev" title="role.navigation">accompany patients to appointments</mark>`,
				"label.peer_navigator", "role.navigation.accompany", "0.80", "peer navigator (sentence)",
				"Smith &amp; Doe (2020). Peer navigators in primary care, p. 1. ["+fx.ps[0].ID.Short()+"]", "doi:10.1111/hex.0000",
				string(fx.ps[0].ID),
				`href="/passage/`+fx.art.ID.Short()+`/0001"`, // next
				`action="/passage/`+fx.art.ID.Short()+`/0000/codes"`,
				`name="code" value="role.navigation"`, `name="label" value="patient navigator"`,
			)
			mustNotContain(t, body, "← passage") // the first passage has no previous
		})
	}
	t.Run("escaped and negated", func(t *testing.T) {
		code, body := get(t, h, "/passage/"+fx.art.ID.Short()+"/0001")
		if code != http.StatusOK {
			t.Fatalf("code = %d", code)
		}
		mustContain(t, body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more.",
			`<mark class="ev neg" title="not peer navigator">peer navigator</mark>`, "negated", "← passage 0", "passage 2 →")
		mustNotContain(t, body, "<script>")
	})
	t.Run("offsets inside a rune are widened", func(t *testing.T) {
		_, body := get(t, h, "/passage/"+fx.art.ID.Short()+"/0002")
		mustContain(t, body, `title="setting.primary_care">« inté</mark>`)
	})
	t.Run("read-only has no form", func(t *testing.T) {
		_, body := get(t, fx.handler(t, func(o *web.Options) { o.ReadOnly = true }), "/passage/"+fx.art.ID.Short()+"/0000")
		mustNotContain(t, body, "<form class=\"coding\"")
		mustContain(t, body, "read-only")
	})
}

func TestPassagePageGolden(t *testing.T) {
	fx := newFixture(t)
	codes := []corpus.Annotation{{Type: corpus.AnnCode, Code: "role.navigation"}, {Type: corpus.AnnCode, Code: "role.retired"}}
	if err := fx.store.PutHumanCodes("alice", fx.ps[0].ID, codes); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, fx.handler(t, func(o *web.Options) { o.Coder = "alice" }), "/passage/"+fx.art.ID.Short()+"/0000")
	golden.Check(t, filepath.Join("testdata", "passage.golden.html"), []byte(body))
}

func TestNotFound(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	for _, target := range []string{
		"/passage/ffffffffffff/0000",
		"/passage/" + fx.art.ID.Short() + "/0099",
		"/passage/" + fx.art.ID.Short() + "/x",
		"/passage/abc",
		"/doc/ffffffffffff",
		"/doc/ab",
		"/nothing/here",
	} {
		t.Run(target, func(t *testing.T) {
			if code, body := get(t, h, target); code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404\n%s", target, code, body)
			}
		})
	}
}

// post sends the coding form of passage pid with the given headers.
func post(t *testing.T, h http.Handler, pid corpus.PassageID, form url.Values, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/passage/"+pid.Short()+"/codes", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPostCodes(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	before, err := fx.store.Annotations(fx.art.ID)
	if err != nil {
		t.Fatal(err)
	}
	pid := fx.ps[0].ID
	form := url.Values{"coder": {"alice"}, "code": {"role.navigation", "setting.primary_care"}, "label": {"peer navigator"}}
	rec := post(t, h, pid, form, map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST codes = %d, want 303\n%s", rec.Code, rec.Body)
	}
	if loc, want := rec.Header().Get("Location"), "/passage/"+pid.Short()+"?coder=alice&saved=1#coding"; loc != want {
		t.Errorf("Location = %q, want %q", loc, want)
	}
	got, err := fx.store.HumanCodes("alice")
	if err != nil {
		t.Fatal(err)
	}
	want := []corpus.Annotation{
		{Passage: pid, Type: corpus.AnnCode, Code: "role.navigation", Annotator: "human:alice", Confidence: 1},
		{Passage: pid, Type: corpus.AnnCode, Code: "setting.primary_care", Annotator: "human:alice", Confidence: 1},
		{Passage: pid, Type: corpus.AnnLabel, Label: "peer navigator", Family: "peer navigator", Annotator: "human:alice", Confidence: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HumanCodes(alice) (-want +got):\n%s", diff)
	}
	after, err := fx.store.Annotations(fx.art.ID)
	if err != nil {
		t.Fatal(err)
	}
	machine := slices.DeleteFunc(after, corpus.Annotation.Human)
	if diff := cmp.Diff(before, machine); diff != "" {
		t.Errorf("machine annotations changed (-before +after):\n%s", diff)
	}

	// The page shows alice's codes, checked for her.
	_, body := get(t, h, "/passage/"+pid.Short()+"?coder=alice&saved=1")
	mustContain(t, body, "Saved.", "human:alice", `value="alice"`)
	for box, want := range map[string]bool{"code=role.navigation": true, "label=peer navigator": true, "code=role.education": false, "code=setting.primary_care": true} {
		if got := ticked(t, body, box); got != want {
			t.Errorf("box %s ticked = %v, want %v", box, got, want)
		}
	}

	// A second post by alice replaces hers; a request with no Origin and
	// no Sec-Fetch-Site comes from no browser (curl, a script), so it
	// cannot be a forgery and passes.
	rec = post(t, h, pid, url.Values{"coder": {"alice"}, "code": {"role.education"}}, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("second POST = %d, want 303\n%s", rec.Code, rec.Body)
	}
	got, _ = fx.store.HumanCodes("alice")
	if len(got) != 1 || got[0].Code != "role.education" {
		t.Errorf("after second post HumanCodes(alice) = %+v, want only role.education", got)
	}
	// The default coder applies when the form leaves it empty.
	h2 := fx.handler(t, func(o *web.Options) { o.Coder = "bob" })
	if rec := post(t, h2, pid, url.Values{"code": {"role.navigation"}}, map[string]string{"Origin": "http://example.com"}); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST with default coder = %d\n%s", rec.Code, rec.Body)
	}
	if got, _ := fx.store.HumanCodes("bob"); len(got) != 1 {
		t.Errorf("HumanCodes(bob) = %+v, want one code", got)
	}
}

func TestPostRejected(t *testing.T) {
	fx := newFixture(t)
	same := map[string]string{"Origin": "http://example.com"}
	ok := url.Values{"coder": {"alice"}, "code": {"role.navigation"}}
	tests := []struct {
		name string
		mod  func(*web.Options)
		pid  corpus.PassageID
		form url.Values
		hdr  map[string]string
		code int
	}{
		{"foreign origin", nil, fx.ps[0].ID, ok, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"foreign origin same host other port", nil, fx.ps[0].ID, ok, map[string]string{"Origin": "http://example.com:8080"}, http.StatusForbidden},
		{"null origin", nil, fx.ps[0].ID, ok, map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"cross-site fetch", nil, fx.ps[0].ID, ok, map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"cross-site fetch without origin", nil, fx.ps[0].ID, ok, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site is not same-origin", nil, fx.ps[0].ID, ok, map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"foreign host", nil, fx.ps[0].ID, ok, map[string]string{"Host": "evil.example:8080", "Origin": "http://evil.example:8080"}, http.StatusMisdirectedRequest},
		{"consensus is not a coder", nil, fx.ps[0].ID, url.Values{"coder": {"consensus"}, "code": {"role.navigation"}}, same, http.StatusBadRequest},
		{"memo without code", nil, fx.ps[0].ID, url.Values{"coder": {"alice"}, "memo": {"unsure"}}, same, http.StatusBadRequest},
		{"memo too long", nil, fx.ps[0].ID, url.Values{"coder": {"alice"}, "code": {"role.navigation"}, "memo": {strings.Repeat("x", 4001)}}, same, http.StatusBadRequest},
		{"form too large", nil, fx.ps[0].ID, url.Values{"coder": {"alice"}, "code": {"role.navigation"}, "memo": {strings.Repeat("x", 70<<10)}}, same, http.StatusRequestEntityTooLarge},
		{"read-only", func(o *web.Options) { o.ReadOnly = true }, fx.ps[0].ID, ok, same, http.StatusForbidden},
		{"unknown code", nil, fx.ps[0].ID, url.Values{"coder": {"alice"}, "code": {"role.astrology"}}, same, http.StatusBadRequest},
		{"unknown label", nil, fx.ps[0].ID, url.Values{"coder": {"alice"}, "label": {"wizard"}}, same, http.StatusBadRequest},
		{"no coder", nil, fx.ps[0].ID, url.Values{"code": {"role.navigation"}}, same, http.StatusBadRequest},
		{"control character in coder", nil, fx.ps[0].ID, url.Values{"coder": {"al\x00ice"}}, same, http.StatusBadRequest},
		{"unknown passage", nil, corpus.NewPassageID(fx.art.ID, 42), ok, same, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(t, fx.handler(t, tt.mod), tt.pid, tt.form, tt.hdr)
			if rec.Code != tt.code {
				t.Errorf("POST = %d, want %d\n%s", rec.Code, tt.code, rec.Body)
			}
		})
	}
	if got, err := fx.store.HumanCodes(""); err != nil || len(got) != 0 {
		t.Errorf("HumanCodes after rejected posts = %+v, %v; want none", got, err)
	}
}

func TestDocPage(t *testing.T) {
	fx := newFixture(t)
	h := fx.handler(t, nil)
	code, body := get(t, h, "/doc/"+fx.art.ID.Short())
	if code != http.StatusOK {
		t.Fatalf("GET /doc = %d", code)
	}
	mustContain(t, body, "Peer navigators in primary care", "Smith, Jane; Doe, John", "Passages (3)",
		"/passage/"+fx.art.ID.Short()+"/0002", "role.navigation", "&lt;script&gt;")
	mustNotContain(t, body, "<script>")

	code, body = get(t, h, "/doc/"+string(fx.skipped.ID))
	if code != http.StatusOK {
		t.Fatalf("GET /doc (skipped) = %d", code)
	}
	mustContain(t, body, "Skipped: no text layer on 12 pages (needs OCR)", "Rapport &lt;b&gt;annuel&lt;/b&gt;", "Passages (0)")
}

func TestAPISearch(t *testing.T) {
	fx := newFixture(t)
	rec := httptest.NewRecorder()
	fx.handler(t, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?q=navigator&code=role.navigation", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/search = %d\n%s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var got corpus.Results
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*fx.search.res, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if q := fx.search.last; q.Text != "navigator" || !slices.Equal(q.Codes, []string{"role.navigation"}) {
		t.Errorf("query = %+v", q)
	}

	tests := []struct {
		name   string
		mod    func(*web.Options)
		target string
		code   int
	}{
		{"disabled", func(o *web.Options) { o.Search = nil }, "/api/search?q=x", http.StatusServiceUnavailable},
		{"bad year", nil, "/api/search?year=abc", http.StatusBadRequest},
		{"bad query", func(o *web.Options) {
			o.Search = &fakeSearch{err: fmt.Errorf("search %q: %w: unexpected ')'", "x)", pipeline.ErrQuery)}
		}, "/api/search?q=x", http.StatusBadRequest},
		{"search error", func(o *web.Options) { o.Search = &fakeSearch{err: errors.New("open /secret/index: boom")} }, "/api/search?q=x", http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			fx.handler(t, tt.mod).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
			var e struct{ Error string }
			if rec.Code != tt.code || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error == "" {
				t.Errorf("GET %s = %d %s, want %d with a JSON error", tt.target, rec.Code, rec.Body, tt.code)
			}
			if strings.Contains(e.Error, "secret") || strings.Contains(e.Error, "boom") {
				t.Errorf("GET %s: the error %q shows the server's internal error", tt.target, e.Error)
			}
		})
	}
}

func TestReportAndHealth(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name   string
		target string
		code   int
		want   string
	}{
		// The report is built from the workspace.
		{"report", "/report", http.StatusOK, "<h1>Peer labels and the roles they hide</h1>"},
		{"healthz", "/healthz", http.StatusOK, "ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, fx.handler(t, nil), tt.target)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("GET %s = %d %q, want %d holding %q", tt.target, code, text.Shorten(body, 300), tt.code, tt.want)
			}
		})
	}
}

// TestRealPassages renders the passage page of every passage of the gold
// development set (real text from the shared corpus: accents, symbols,
// quotes), with its gold labels as evidence spans.
func TestRealPassages(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "gold", "dev.jsonl")
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("no gold file at %s (the shared data is not here)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type gold struct {
		ID     string   `json:"id"`
		Text   string   `json:"text"`
		Doc    string   `json:"doc"`
		Labels []string `json:"labels"`
	}
	byDoc := make(map[string][]gold)
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var g gold
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		if _, ok := byDoc[g.Doc]; !ok {
			order = append(order, g.Doc)
		}
		byDoc[g.Doc] = append(byDoc[g.Doc], g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	ws, _, err := pipeline.Init(pipeline.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	st := ws.Store()
	var ids []corpus.PassageID
	want := make(map[corpus.PassageID]string)
	marks := 0
	for _, name := range order {
		gs := byDoc[name]
		d := &corpus.Document{ID: corpus.NewDocID([]byte(name)), Path: name, Format: "text", Kind: corpus.KindArticle, Title: name}
		var ps []corpus.Passage
		var anns []corpus.Annotation
		for i, g := range gs {
			p := corpus.Passage{ID: corpus.NewPassageID(d.ID, i), Doc: d.ID, N: i, Start: len(d.Text), End: len(d.Text) + len(g.Text), Text: g.Text}
			d.Text += g.Text + "\n\n"
			ps = append(ps, p)
			ids = append(ids, p.ID)
			want[p.ID] = escape(t, g.Text)
			for _, l := range g.Labels {
				if j := strings.Index(g.Text, l); j >= 0 {
					anns = append(anns, corpus.Annotation{Passage: p.ID, Type: corpus.AnnLabel, Label: l, Family: l, Spans: []corpus.Span{{Start: j, End: j + len(l)}}, Annotator: "rules@gold"})
					marks++
				}
			}
		}
		if err := st.PutDocument(d, ps); err != nil {
			t.Fatal(err)
		}
		if err := st.PutAnnotations(d.ID, "rules@gold", "gold", anns); err != nil {
			t.Fatal(err)
		}
	}
	if len(ids) == 0 {
		t.Fatalf("%s holds no passages", path)
	}
	h, err := web.New(web.Options{Workspace: ws, Addr: "127.0.0.1:8080", AllowHosts: []string{"example.com"}, Vocab: vocab()})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, id := range ids {
		code, body := get(t, h, "/passage/"+id.Short())
		if code != http.StatusOK {
			t.Fatalf("GET passage %s = %d", id.Short(), code)
		}
		seen += strings.Count(body, `<mark class="ev"`)
		if !strings.Contains(body, "<blockquote class=\"passage\">") {
			t.Errorf("passage %s: no passage text block", id.Short())
		}
		// Evidence marks cut the text; compare with them removed.
		if w := want[id]; !strings.Contains(stripMarks(body), w) {
			t.Errorf("passage %s: page lacks its escaped text %q", id.Short(), w)
		}
	}
	if seen < marks {
		t.Errorf("%d evidence marks rendered, want at least %d", seen, marks)
	}
	t.Logf("%d real passages rendered, %d evidence marks", len(ids), seen)
}

// escape returns s escaped as html/template escapes text.
func escape(t *testing.T, s string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse("{{.}}")).Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// stripMarks removes <mark ...> and </mark> tags, so a passage's text can be
// found whole in a page.
func stripMarks(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<mark")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		s = s[i+j+1:]
	}
	return strings.ReplaceAll(b.String(), "</mark>", "")
}

func BenchmarkPassagePage(b *testing.B) {
	fx := newFixture(b)
	h := fx.handler(b, func(o *web.Options) { o.Coder = "alice"; o.Logger = nil })
	target := "/passage/" + fx.art.ID.Short() + "/0001"
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", target, rec.Code)
		}
	}
}

// TestServerRoundTrip codes a passage through a real HTTP server, as a
// browser would: the form's POST carries the server's own Origin, the 303
// is followed, and the page then shows the saved codes.
func TestServerRoundTrip(t *testing.T) {
	fx := newFixture(t)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = fx.handler(t, func(o *web.Options) { o.Addr = srv.Listener.Addr().String() })
	srv.Start()
	defer srv.Close()
	pid := fx.ps[2].ID
	form := url.Values{"coder": {"carol"}, "code": {"pathway.status"}, "label": {"community health worker"}}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/passage/"+pid.Short()+"/codes", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Request.Method != http.MethodGet {
		t.Fatalf("POST then redirect = %d (%s %s), want 200 from a GET", resp.StatusCode, resp.Request.Method, resp.Request.URL)
	}
	mustContain(t, string(body), "Saved.", "human:carol")
	if !ticked(t, string(body), "code=pathway.status") || !ticked(t, string(body), "label=community health worker") {
		t.Error("the page after saving does not show carol's codes ticked")
	}
	if got, _ := fx.store.HumanCodes("carol"); len(got) != 2 {
		t.Errorf("HumanCodes(carol) = %+v, want 2", got)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("response lacks header %s", h)
		}
	}
}

// TestCodeReindexes saves a hand code through the web UI and finds it by a
// search on that code: the server re-indexes the passage's document through
// pipeline (LiveIndex.Update), the same path 'peermap index' takes.
func TestCodeReindexes(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	if _, err := fx.ws.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	live, err := fx.ws.LiveIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	h := fx.handler(t, func(o *web.Options) { o.Search = live })
	byCode := corpus.Query{Codes: []string{"role.education"}, Limit: 10}
	if res, err := live.Search(ctx, byCode); err != nil || res.Total != 0 {
		t.Fatalf("before coding: Search(role.education) = %+v, %v, want no hit", res, err)
	}
	pid := fx.ps[2].ID
	rec := post(t, h, pid, url.Values{"coder": {"alice"}, "code": {"role.education"}}, map[string]string{"Origin": "http://example.com"})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST = %d, want 303\n%s", rec.Code, rec.Body)
	}
	res, err := live.Search(ctx, byCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Passage != pid {
		t.Errorf("after coding: Search(role.education) = %+v, want passage %s", res.Hits, pid)
	}
	chk, err := fx.ws.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range chk.Problems {
		if strings.Contains(p, "changed") {
			t.Errorf("check after a web code: %s", p)
		}
	}
}
