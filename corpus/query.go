package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// A Query is a full-text search with filters. Within one filter the values
// are alternatives (OR); different filters must all hold (AND).
type Query struct {
	Text     string   `json:"text,omitempty"`     // free text; bleve query-string syntax ("phrase", +must, -not)
	Labels   []string `json:"labels,omitempty"`   // canonical peer labels
	Families []string `json:"families,omitempty"` // label families
	Codes    []string `json:"codes,omitempty"`    // codes, e.g. role.navigation
	Dims     []string `json:"dims,omitempty"`     // dimensions with any code, e.g. role
	Langs    []string `json:"langs,omitempty"`    // ISO 639-1
	Kinds    []Kind   `json:"kinds,omitempty"`    // article, grey, record
	Docs     []DocID  `json:"docs,omitempty"`     // restrict to these documents
	YearFrom int      `json:"year_from,omitempty"`
	YearTo   int      `json:"year_to,omitempty"`
	Limit    int      `json:"limit,omitempty"`  // 0 means 10
	Offset   int      `json:"offset,omitempty"` //
	Facets   bool     `json:"facets,omitempty"` // also count hits by label, code, lang, kind, year
}

// ParseQuery parses a search string in which filters may be written inline,
// as field:value or field:"quoted value":
//
//	label:"peer navigator" code:role.navigation lang:fr kind:grey year:2010..2024 dim:role family:"mutual aid group"
//
// Everything else is kept, in order, as the free text.
func ParseQuery(s string) (Query, error) {
	var q Query
	var text []string
	for _, tok := range tokens(s) {
		field, val, ok := strings.Cut(tok, ":")
		if !ok || val == "" || !filterField(field) {
			text = append(text, tok)
			continue
		}
		val = unquote(val)
		switch field {
		case "label":
			q.Labels = append(q.Labels, strings.ToLower(val))
		case "family":
			q.Families = append(q.Families, strings.ToLower(val))
		case "code":
			q.Codes = append(q.Codes, strings.ToLower(val))
		case "dim":
			q.Dims = append(q.Dims, strings.ToLower(val))
		case "lang":
			q.Langs = append(q.Langs, strings.ToLower(val))
		case "kind":
			k := Kind(strings.ToLower(val))
			if !k.Valid() {
				return Query{}, fmt.Errorf("parse query: kind %q: want article, grey or record", val)
			}
			q.Kinds = append(q.Kinds, k)
		case "year":
			from, to, err := ParseYears(val)
			if err != nil {
				return Query{}, fmt.Errorf("parse query: %w", err)
			}
			q.YearFrom, q.YearTo = from, to
		}
	}
	q.Text = strings.Join(text, " ")
	return q, nil
}

func filterField(f string) bool {
	switch f {
	case "label", "family", "code", "dim", "lang", "kind", "year":
		return true
	}
	return false
}

// ParseYears parses "2010", "2010..2024", "2010.." or "..2024".
func ParseYears(s string) (from, to int, err error) {
	a, b, rng := strings.Cut(s, "..")
	if !rng {
		b = a
	}
	conv := func(x string) (int, error) {
		if x == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(x)
		if err != nil || n < 0 || n > 9999 {
			return 0, fmt.Errorf("year %q: want YYYY, YYYY..YYYY, YYYY.. or ..YYYY", s)
		}
		return n, nil
	}
	if from, err = conv(a); err != nil {
		return 0, 0, err
	}
	if to, err = conv(b); err != nil {
		return 0, 0, err
	}
	if from == 0 && to == 0 {
		return 0, 0, fmt.Errorf("year %q: want YYYY, YYYY..YYYY, YYYY.. or ..YYYY", s)
	}
	if to != 0 && from > to {
		return 0, 0, fmt.Errorf("year %q: start after end", s)
	}
	return from, to, nil
}

// tokens splits s on spaces outside double quotes; quotes are kept.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	inq := false
	for _, r := range s {
		switch {
		case r == '"':
			inq = !inq
			b.WriteRune(r)
		case (r == ' ' || r == '\t' || r == '\n') && !inq:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return strings.Trim(s, `"`)
}

// String returns q in ParseQuery's syntax.
func (q Query) String() string {
	var parts []string
	if q.Text != "" {
		parts = append(parts, q.Text)
	}
	add := func(field string, vals []string) {
		for _, v := range vals {
			if strings.ContainsAny(v, " \t") {
				v = `"` + v + `"`
			}
			parts = append(parts, field+":"+v)
		}
	}
	add("label", q.Labels)
	add("family", q.Families)
	add("code", q.Codes)
	add("dim", q.Dims)
	add("lang", q.Langs)
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	add("kind", kinds)
	if q.YearFrom != 0 || q.YearTo != 0 {
		y := ""
		if q.YearFrom != 0 {
			y = strconv.Itoa(q.YearFrom)
		}
		y += ".."
		if q.YearTo != 0 {
			y += strconv.Itoa(q.YearTo)
		}
		parts = append(parts, "year:"+y)
	}
	return strings.Join(parts, " ")
}

// A Hit is one passage that matched a query.
type Hit struct {
	Passage   PassageID `json:"passage"`
	Doc       DocID     `json:"doc"`
	Score     float64   `json:"score"`
	Text      string    `json:"text"`                // passage text
	Fragments []string  `json:"fragments,omitempty"` // highlighted fragments, matches in <mark>…</mark>
	Title     string    `json:"title,omitempty"`
	Authors   []string  `json:"authors,omitempty"`
	Year      int       `json:"year,omitempty"`
	Path      string    `json:"path,omitempty"`
	Page      int       `json:"page,omitempty"`
	Section   string    `json:"section,omitempty"`
	Kind      Kind      `json:"kind,omitempty"`
	Lang      string    `json:"lang,omitempty"`
	Labels    []string  `json:"labels,omitempty"`
	Codes     []string  `json:"codes,omitempty"`
	Group     string    `json:"group,omitempty"` // version group of the document
	Also      []DocID   `json:"also,omitempty"`  // other documents of the same work (linked record, versions)
}

// A Bucket is one facet value and its count.
type Bucket struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Results is what a search returns.
type Results struct {
	Total  uint64              `json:"total"`
	Hits   []Hit               `json:"hits"`
	Facets map[string][]Bucket `json:"facets,omitempty"` // by facet name: label, family, code, lang, kind, year
	// Suggest maps each word of a query that matched nothing and that the
	// index does not hold to close words it does hold ("did you mean").
	Suggest map[string][]string `json:"suggest,omitempty"`
}
