package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

const (
	defaultHits = 20  // hits per page when n is not given
	maxHits     = 200 // n is capped here
)

// filterParams are the query-string parameters that filter a search, in
// the order they are shown. Each may repeat, except year.
var filterParams = []string{"label", "family", "code", "dim", "lang", "kind", "year"}

// facetOrder is the order facets are shown in; others follow sorted by name.
var facetOrder = []string{"label", "family", "code", "dim", "kind", "lang", "year"}

// parseSearch builds a query from the request's query string: q (in
// corpus.ParseQuery syntax, inline filters allowed) plus the filter
// parameters, n hits per page and a 1-based page.
func parseSearch(v url.Values) (corpus.Query, int, error) {
	q, err := corpus.ParseQuery(v.Get("q"))
	if err != nil {
		return corpus.Query{}, 0, err
	}
	low := func(name string) []string {
		var out []string
		for _, s := range v[name] {
			if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	q.Labels = append(q.Labels, low("label")...)
	q.Families = append(q.Families, low("family")...)
	q.Codes = append(q.Codes, low("code")...)
	q.Dims = append(q.Dims, low("dim")...)
	q.Langs = append(q.Langs, low("lang")...)
	for _, k := range low("kind") {
		if !corpus.Kind(k).Valid() {
			return corpus.Query{}, 0, fmt.Errorf("kind %q: want article, grey or record", k)
		}
		q.Kinds = append(q.Kinds, corpus.Kind(k))
	}
	if y := strings.TrimSpace(v.Get("year")); y != "" {
		if q.YearFrom, q.YearTo, err = corpus.ParseYears(y); err != nil {
			return corpus.Query{}, 0, err
		}
	}
	n := defaultHits
	if s := v.Get("n"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			return corpus.Query{}, 0, fmt.Errorf("n %q: want a positive number", s)
		}
		n = min(n, maxHits)
	}
	pg := 1
	if s := v.Get("page"); s != "" {
		if pg, err = strconv.Atoi(s); err != nil || pg < 1 || pg > 100000 {
			return corpus.Query{}, 0, fmt.Errorf("page %q: want a positive number", s)
		}
	}
	q.Limit, q.Offset = n, (pg-1)*n
	return q, pg, nil
}

// empty reports whether q neither has text nor filters: nothing to search.
func empty(q corpus.Query) bool {
	return strings.TrimSpace(q.Text) == "" && len(q.Labels) == 0 && len(q.Families) == 0 &&
		len(q.Codes) == 0 && len(q.Dims) == 0 && len(q.Langs) == 0 && len(q.Kinds) == 0 &&
		len(q.Docs) == 0 && q.YearFrom == 0 && q.YearTo == 0
}

// searchBody is what the search template receives.
type searchBody struct {
	Q        string
	Err      string
	Disabled bool
	Active   []link // filters from the query string, each linking to the search without it
	Hidden   []param
	Results  *corpus.Results
	Facets   []facet
	From, To int
	Prev     string
	Next     string
}

type param struct{ Name, Value string }

type link struct {
	Text string
	URL  string
}

type facet struct {
	Name    string
	Buckets []bucket // the first facetShown values
	More    []bucket // the rest, folded
}

// facetShown is how many values of a facet are shown before folding.
const facetShown = 12

type bucket struct {
	Value  string
	Count  int
	URL    string // adds the filter; "" when it cannot be added or is active
	Active bool
}

func (s *server) handleSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	body := searchBody{Q: v.Get("q"), Disabled: s.opts.Search == nil}
	for _, name := range filterParams {
		for _, val := range v[name] {
			if val == "" {
				continue
			}
			body.Hidden = append(body.Hidden, param{name, val})
			body.Active = append(body.Active, link{Text: name + ": " + val, URL: without(v, name, val)})
		}
	}
	if n := v.Get("n"); n != "" {
		body.Hidden = append(body.Hidden, param{"n", n})
	}
	title := "Search"
	q, pg, err := parseSearch(v)
	switch {
	case err != nil:
		body.Err = err.Error()
		s.render(w, r, http.StatusBadRequest, "search", title, body.Q, body)
		return
	case empty(q):
		s.render(w, r, http.StatusOK, "search", title, body.Q, body)
		return
	case s.opts.Search == nil:
		s.render(w, r, http.StatusServiceUnavailable, "search", title, body.Q, body)
		return
	}
	title = "Search: " + q.String()
	q.Facets = true
	res, err := s.opts.Search.Search(r.Context(), q)
	if err != nil {
		code, why := searchError(err)
		s.log.Warn("search", zap.String("query", q.String()), zap.Error(err))
		body.Err = why
		s.render(w, r, code, "search", title, body.Q, body)
		return
	}
	if res == nil {
		res = &corpus.Results{}
	}
	body.Results = res
	body.Facets = facets(v, res.Facets)
	if len(res.Hits) > 0 {
		body.From, body.To = q.Offset+1, q.Offset+len(res.Hits)
	}
	if pg > 1 {
		body.Prev = withPage(v, pg-1)
	}
	if uint64(q.Offset+len(res.Hits)) < res.Total && len(res.Hits) > 0 {
		body.Next = withPage(v, pg+1)
	}
	s.render(w, r, http.StatusOK, "search", title, body.Q, body)
}

// handleAPISearch serves corpus.Results as JSON; errors are JSON too:
// {"error": "..."}.
func (s *server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	q, _, err := parseSearch(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	if s.opts.Search == nil {
		apiError(w, http.StatusServiceUnavailable, "search is disabled: no index (run peermap index)")
		return
	}
	q.Facets = r.URL.Query().Get("facets") != "0"
	res, err := s.opts.Search.Search(r.Context(), q)
	if err != nil {
		code, why := searchError(err)
		s.log.Warn("search", zap.String("query", q.String()), zap.Error(err))
		apiError(w, code, why)
		return
	}
	if res == nil {
		res = &corpus.Results{}
	}
	if res.Hits == nil {
		res.Hits = []corpus.Hit{}
	}
	writeJSON(w, http.StatusOK, res)
}

// searchError returns the status and the sentence for the client of a
// failed search: a query that cannot be read says why (it is about what the
// user typed), anything else says only that the search failed.
func searchError(err error) (int, string) {
	if errors.Is(err, pipeline.ErrQuery) {
		msg := err.Error()
		if i := strings.LastIndex(msg, pipeline.ErrQuery.Error()+": "); i >= 0 {
			msg = msg[i+len(pipeline.ErrQuery.Error())+2:]
		}
		return http.StatusBadRequest, "The query could not be read: " + msg
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, "The search was stopped before it finished."
	}
	return http.StatusInternalServerError, "The search failed on the server; the details are in its log."
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, `{"error": "internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(append(data, '\n'))
}

// facets arranges the result facets for display: known facets first in
// facetOrder, the rest by name; each bucket links to the search with its
// value added as a filter (page reset).
func facets(v url.Values, fs map[string][]corpus.Bucket) []facet {
	names := make([]string, 0, len(fs))
	for name := range fs {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		ia, ib := slices.Index(facetOrder, a), slices.Index(facetOrder, b)
		if ia < 0 {
			ia = len(facetOrder)
		}
		if ib < 0 {
			ib = len(facetOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	var out []facet
	for _, name := range names {
		if len(fs[name]) == 0 {
			continue
		}
		f := facet{Name: name}
		filter := slices.Contains(filterParams, name)
		for _, b := range fs[name] {
			fb := bucket{Value: b.Value, Count: b.Count}
			switch {
			case !filter || b.Value == "":
			case slices.Contains(v[name], b.Value) || (name == "year" && v.Get("year") == b.Value):
				fb.Active = true
			default:
				fb.URL = with(v, name, b.Value)
			}
			if len(f.Buckets) < facetShown {
				f.Buckets = append(f.Buckets, fb)
			} else {
				f.More = append(f.More, fb)
			}
		}
		out = append(out, f)
	}
	return out
}

// with returns the search URL with name=value added (year replaces) and the
// page reset.
func with(v url.Values, name, value string) string {
	c := clone(v)
	c.Del("page")
	if name == "year" {
		c.Set(name, value)
	} else {
		c.Add(name, value)
	}
	return "/?" + c.Encode()
}

// without returns the search URL without the filter name=value, page reset.
func without(v url.Values, name, value string) string {
	c := clone(v)
	c.Del("page")
	vals := slices.DeleteFunc(slices.Clone(c[name]), func(s string) bool { return s == value })
	if len(vals) == 0 {
		c.Del(name)
	} else {
		c[name] = vals
	}
	return "/?" + c.Encode()
}

func withPage(v url.Values, pg int) string {
	c := clone(v)
	c.Set("page", strconv.Itoa(pg))
	return "/?" + c.Encode()
}

func clone(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	return c
}
