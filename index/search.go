package index

import (
	"cmp"
	"context"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/peermap/peermap/corpus"
)

// A facet is one facet of corpus.Results.Facets and the field it counts.
type facet struct{ name, field string }

// facets returns the facets Search computes when asked.
func facets() []facet {
	return []facet{
		{"label", fieldLabels},
		{"family", fieldFamilies},
		{"code", fieldCodes},
		{"lang", fieldLang},
		{"kind", fieldKind},
		{"year", fieldYearKey},
	}
}

// facetSize is the most values a facet reports.
const facetSize = 1000

// hitFields returns the stored fields a hit is built from.
func hitFields() []string {
	return []string{
		fieldTextEn, fieldDoc, fieldGroup, fieldLabels, fieldCodes, fieldKind, fieldLang,
		fieldYear, fieldTitle, fieldPath, fieldPage, fieldSection, fieldAuthors,
	}
}

// Search returns the passages matching q, best first; passages with equal
// scores come in passage ID order. q.Text uses bleve's query-string syntax
// ("a phrase", +must, -not, word~1, prefix*) over the passage text, matched
// with both English and French analysis; an empty Text matches every
// passage. A malformed Text gives an error wrapping ErrQuery.
func (ix *Index) Search(ctx context.Context, q corpus.Query) (*corpus.Results, error) {
	if ix.bld != nil {
		return nil, fmt.Errorf("search %q in index %s: %w", q.String(), ix.name(), errBuilding)
	}
	bq, err := toBleve(q)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.String(), err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	req := bleve.NewSearchRequestOptions(bq, limit, max(q.Offset, 0), false)
	req.SortBy([]string{"-_score", "_id"})
	req.Fields = hitFields()
	if strings.TrimSpace(q.Text) == "" {
		req.Score = "none" // nothing to rank by: passage ID order
	} else {
		req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		req.Highlight.AddField(fieldTextEn)
		req.Highlight.AddField(fieldTextFr)
	}
	if q.Facets {
		for _, f := range facets() {
			req.AddFacet(f.name, bleve.NewFacetRequest(f.field, facetSize))
		}
	}
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q in index %s: %w", q.String(), ix.name(), err)
	}
	out := &corpus.Results{Total: res.Total, Hits: make([]corpus.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHit(h))
	}
	if q.Facets {
		out.Facets = make(map[string][]corpus.Bucket)
		for _, f := range facets() {
			out.Facets[f.name] = buckets(res.Facets[f.name])
		}
	}
	return out, nil
}

// toBleve translates q into a bleve query: the parsed text, AND each filter.
func toBleve(q corpus.Query) (query.Query, error) {
	var parts []query.Query
	if strings.TrimSpace(q.Text) != "" {
		tq, err := parseText(q.Text)
		if err != nil {
			return nil, err
		}
		parts = append(parts, tq)
	}
	anyOf := func(field string, vals []string, lower bool) {
		if len(vals) == 0 {
			return
		}
		qs := make([]query.Query, len(vals))
		for i, v := range vals {
			if lower {
				v = strings.ToLower(v)
			}
			tq := termQuery(field, v)
			tq.SetBoost(0) // filters select, they do not score
			qs[i] = tq
		}
		parts = append(parts, bleve.NewDisjunctionQuery(qs...))
	}
	anyOf(fieldLabels, q.Labels, true)
	anyOf(fieldFamilies, q.Families, true)
	anyOf(fieldCodes, q.Codes, true)
	anyOf(fieldDims, q.Dims, true)
	anyOf(fieldLang, q.Langs, true)
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	anyOf(fieldKind, kinds, true)
	docs := make([]string, len(q.Docs))
	for i, d := range q.Docs {
		docs[i] = string(d)
	}
	anyOf(fieldDoc, docs, false)
	if q.YearFrom != 0 || q.YearTo != 0 {
		var from, to *float64
		if q.YearFrom != 0 {
			f := float64(q.YearFrom)
			from = &f
		}
		if q.YearTo != 0 {
			t := float64(q.YearTo)
			to = &t
		}
		yes := true
		rq := bleve.NewNumericRangeInclusiveQuery(from, to, &yes, &yes)
		rq.SetField(fieldYear)
		rq.SetBoost(0)
		parts = append(parts, rq)
	}
	switch len(parts) {
	case 0:
		return bleve.NewMatchAllQuery(), nil
	case 1:
		return parts[0], nil
	}
	return bleve.NewConjunctionQuery(parts...), nil
}

// parseText parses the free text of a query. Words are AND'ed, as in
// PubMed or Scholar: "peer navigator community" needs all three. "a OR b"
// takes either (OR binds the words on each side of it); "-word" or "NOT
// word" excludes; "+word" is the same as "word". Each clause is otherwise
// bleve query-string syntax: "a phrase", field:value, prefix*, word~1,
// /regexp/. Clauses that name no field (or the field "text") search both
// text_en and text_fr.
func parseText(s string) (q query.Query, err error) {
	defer func() { // the generated parser is not ours; never let it take the process down
		if p := recover(); p != nil {
			q, err = nil, fmt.Errorf("%w: parser panicked: %v", ErrQuery, p)
		}
	}()
	var must, not []query.Query
	var ors []bool // ors[i]: must[i] is a disjunction built from OR
	pendingOr, negate := false, false
	for _, tok := range clauses(s) {
		switch tok {
		case "OR":
			if len(must) == 0 || pendingOr {
				return nil, fmt.Errorf("%w: OR needs a word on each side", ErrQuery)
			}
			pendingOr = true
			continue
		case "AND", "&&":
			continue
		case "NOT":
			negate = true
			continue
		}
		neg := negate
		negate = false
		if len(tok) > 1 && tok[0] == '-' {
			neg, tok = true, tok[1:]
		} else if len(tok) > 1 && tok[0] == '+' {
			tok = tok[1:]
		}
		c, err := query.NewQueryStringQuery(tok).Parse()
		if err != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrQuery, tok, err)
		}
		c = retarget(c)
		if err := validate(c); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrQuery, err)
		}
		switch {
		case neg:
			if pendingOr {
				return nil, fmt.Errorf("%w: OR before an excluded word", ErrQuery)
			}
			not = append(not, c)
		case pendingOr:
			last := len(must) - 1
			if ors[last] {
				d := must[last].(*query.DisjunctionQuery)
				d.AddQuery(c)
			} else {
				must[last] = bleve.NewDisjunctionQuery(must[last], c)
				ors[last] = true
			}
			pendingOr = false
		default:
			must = append(must, c)
			ors = append(ors, false)
		}
	}
	if pendingOr || negate {
		return nil, fmt.Errorf("%w: the query ends with OR or NOT", ErrQuery)
	}
	if len(must) == 0 && len(not) == 0 {
		return bleve.NewMatchAllQuery(), nil
	}
	if len(not) == 0 {
		if len(must) == 1 {
			return must[0], nil
		}
		return bleve.NewConjunctionQuery(must...), nil
	}
	b := bleve.NewBooleanQuery()
	if len(must) == 0 {
		must = []query.Query{bleve.NewMatchAllQuery()}
	}
	b.AddMust(must...)
	b.AddMustNot(not...)
	return b, nil
}

// clauses splits the free text of a query on white space outside double
// quotes and /regexps/; the quotes and slashes stay with their clause.
func clauses(s string) []string {
	var out []string
	var b strings.Builder
	var in rune // the quote or slash we are inside, 0 if none
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case in != 0:
			b.WriteRune(r)
			if r == in {
				in = 0
			}
		case r == '"' || (r == '/' && (b.Len() == 0 || b.String() == "-" || b.String() == "+" || strings.HasSuffix(b.String(), ":"))):
			in = r
			b.WriteRune(r)
		case unicode.IsSpace(r):
			flush()
		default:
			b.WriteRune(r)
		}
	}
	flush()
	// "diabetes: a trial" reads as a field and its value in query-string
	// syntax: keep such a pair together.
	for i := 0; i+1 < len(out); i++ {
		if strings.HasSuffix(out[i], ":") && !strings.HasPrefix(out[i], `"`) {
			out[i] += " " + out[i+1]
			out = append(out[:i+1], out[i+2:]...)
		}
	}
	return out
}

// validate reports what bleve would only find out while searching: bad
// regular expressions and fuzziness above 2, anywhere in q.
func validate(q query.Query) error {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []query.Query{t.Must, t.Should, t.MustNot} {
			if c != nil {
				if err := validate(c); err != nil {
					return err
				}
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range t.Conjuncts {
			if err := validate(c); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, c := range t.Disjuncts {
			if err := validate(c); err != nil {
				return err
			}
		}
	case *query.RegexpQuery:
		re, err := syntax.Parse(t.Regexp, syntax.Perl)
		if err != nil {
			return fmt.Errorf("regular expression /%s/: %v", t.Regexp, err)
		}
		if zeroWidth(re) {
			return fmt.Errorf("regular expression /%s/: ^, $ and \\b are not supported (a term is matched whole)", t.Regexp)
		}
	case *query.FuzzyQuery:
		if t.Fuzziness > 2 {
			return fmt.Errorf("%s~%d: fuzziness above 2", t.Term, t.Fuzziness)
		}
	case *query.MatchQuery:
		if t.Fuzziness > 2 {
			return fmt.Errorf("%s~%d: fuzziness above 2", t.Match, t.Fuzziness)
		}
	case *query.MatchPhraseQuery:
		if t.Fuzziness > 2 {
			return fmt.Errorf("%q~%d: fuzziness above 2", t.MatchPhrase, t.Fuzziness)
		}
	}
	if v, ok := q.(query.ValidatableQuery); ok {
		return v.Validate()
	}
	return nil
}

// zeroWidth reports whether re holds an assertion that matches no
// character (^, $, \b, \B), which the index's automaton refuses.
func zeroWidth(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return false
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range re.Sub {
		if zeroWidth(sub) {
			return true
		}
	}
	return false
}

// retarget rewrites q in place (compound queries keep their settings) and
// returns it, or the leaf's replacement.
func retarget(q query.Query) query.Query {
	switch t := q.(type) {
	case *query.BooleanQuery:
		if t.Must != nil {
			t.Must = retarget(t.Must)
		}
		if t.Should != nil {
			t.Should = retarget(t.Should)
		}
		if t.MustNot != nil {
			t.MustNot = retarget(t.MustNot)
		}
		return t
	case *query.ConjunctionQuery:
		for i, c := range t.Conjuncts {
			t.Conjuncts[i] = retarget(c)
		}
		return t
	case *query.DisjunctionQuery:
		for i, c := range t.Disjuncts {
			t.Disjuncts[i] = retarget(c)
		}
		return t
	}
	f, ok := q.(query.FieldableQuery)
	if !ok {
		return q
	}
	switch field, known := indexField(f.Field()); {
	case field == "text":
	case known:
		if p, ok := q.(*query.MatchPhraseQuery); ok && field != fieldTextEn && field != fieldTextFr {
			// Keyword fields hold one term and no positions: a quoted
			// value is that term, not a phrase.
			m := bleve.NewMatchQuery(p.MatchPhrase)
			m.SetField(field)
			m.SetBoost(p.Boost())
			return m
		}
		f.SetField(field)
		return q
	default:
		// "diabetes: a trial" is not a search of a field named diabetes:
		// an unknown field name is searched as a word of the text.
		if m, ok := q.(*query.MatchQuery); ok {
			m.Match = field + " " + m.Match
		}
	}
	en, fr := twin(q)
	if en == nil {
		return q
	}
	en.SetField(fieldTextEn)
	fr.SetField(fieldTextFr)
	return bleve.NewDisjunctionQuery(en, fr)
}

// indexField returns the index field a query-string field name stands for
// ("label" and "labels" both mean labels), "text" for the passage text,
// and whether the name is known at all.
func indexField(name string) (string, bool) {
	switch name {
	case "", "text":
		return "text", true
	case "label", fieldLabels:
		return fieldLabels, true
	case "family", fieldFamilies:
		return fieldFamilies, true
	case "code", fieldCodes:
		return fieldCodes, true
	case "dim", fieldDims:
		return fieldDims, true
	case fieldTextEn, fieldTextFr, fieldDoc, fieldGroup, fieldKind, fieldLang, fieldYear:
		return name, true
	}
	return name, false
}

// twin returns two copies of the text leaf q, or nils for a leaf that is
// not about text (a numeric or date range with no field matches nothing).
func twin(q query.Query) (a, b query.FieldableQuery) {
	switch t := q.(type) {
	case *query.MatchQuery:
		// A word that analysis splits ("peer-support") needs all its parts.
		x, y := *t, *t
		x.SetOperator(query.MatchQueryOperatorAnd)
		y.SetOperator(query.MatchQueryOperatorAnd)
		return &x, &y
	case *query.MatchPhraseQuery:
		x, y := *t, *t
		return &x, &y
	case *query.TermQuery:
		x, y := *t, *t
		return &x, &y
	case *query.PrefixQuery:
		x, y := *t, *t
		return &x, &y
	case *query.WildcardQuery:
		x, y := *t, *t
		return &x, &y
	case *query.RegexpQuery:
		x, y := *t, *t
		return &x, &y
	case *query.FuzzyQuery:
		x, y := *t, *t
		return &x, &y
	case *query.PhraseQuery:
		x, y := *t, *t
		return &x, &y
	}
	return nil, nil
}

// toHit turns a bleve hit into a corpus.Hit.
func toHit(h *search.DocumentMatch) corpus.Hit {
	f := h.Fields
	hit := corpus.Hit{
		Passage: corpus.PassageID(h.ID),
		Doc:     corpus.DocID(str(f[fieldDoc])),
		Score:   h.Score,
		Text:    str(f[fieldTextEn]),
		Title:   str(f[fieldTitle]),
		Authors: strs(f[fieldAuthors]),
		Year:    num(f[fieldYear]),
		Path:    str(f[fieldPath]),
		Page:    num(f[fieldPage]),
		Section: str(f[fieldSection]),
		Kind:    corpus.Kind(str(f[fieldKind])),
		Lang:    str(f[fieldLang]),
		Labels:  strs(f[fieldLabels]),
		Codes:   strs(f[fieldCodes]),
		Group:   str(f[fieldGroup]),
	}
	// Fragments of the passage's own language first; the other analysis
	// only when its own found nothing to mark.
	first, second := fieldTextEn, fieldTextFr
	if hit.Lang == "fr" {
		first, second = second, first
	}
	hit.Fragments = marked(h.Fragments[first])
	if len(hit.Fragments) == 0 {
		hit.Fragments = marked(h.Fragments[second])
	}
	return hit
}

func marked(frags []string) []string {
	var out []string
	for _, f := range frags {
		if strings.Contains(f, "<mark>") {
			out = append(out, f)
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a stored string list, which bleve returns as a string when it
// has one element.
func strs(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// buckets returns the terms of a facet, by count descending then value.
func buckets(fr *search.FacetResult) []corpus.Bucket {
	if fr == nil || fr.Terms == nil {
		return nil
	}
	var out []corpus.Bucket
	for _, t := range fr.Terms.Terms() {
		out = append(out, corpus.Bucket{Value: t.Term, Count: t.Count})
	}
	slices.SortFunc(out, func(a, b corpus.Bucket) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}
