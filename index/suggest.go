package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"
	"github.com/blevesearch/bleve/v2"

	"github.com/peermap/peermap/internal/text"
)

// Terms returns the distinct values the index holds for a filter field, by
// its facet name (label, family, code, lang, kind), in term order.
func (ix *Index) Terms(name string) ([]string, error) {
	if ix.bld != nil {
		return nil, fmt.Errorf("terms of %q: %w", name, errBuilding)
	}
	field := ""
	for _, f := range facets() {
		if f.name == name {
			field = f.field
		}
	}
	if field == "" || field == fieldYearKey {
		return nil, fmt.Errorf("terms of %q: not a filter field", name)
	}
	d, err := ix.b.FieldDict(field)
	if err != nil {
		return nil, fmt.Errorf("terms of %s in %s: %w", name, ix.name(), err)
	}
	defer d.Close()
	var out []string
	for {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("terms of %s in %s: %w", name, ix.name(), err)
		}
		if e == nil {
			return out, nil
		}
		out = append(out, e.Term)
	}
}

// wordRe finds the plain words of a query's text: no field names, no
// operators, no wildcards.
var wordRe = text.Regexp(`[\pL\pN]+`)

// Suggest returns, for each word of the free text of a query that the
// index does not hold, up to n words the passages do hold that are close
// to it (edit distance of at most 2 on the analysed terms, or the term as
// a stem of the word), most frequent first, as they are written in a
// passage: "navigaton" → "navigation".
func (ix *Index) Suggest(ctx context.Context, q string, n int) (map[string][]string, error) {
	if ix.bld != nil {
		return nil, fmt.Errorf("suggest: %w", errBuilding)
	}
	out := map[string][]string{}
	an := ix.b.Mapping().AnalyzerNamed(analyzerEn)
	if an == nil {
		return nil, fmt.Errorf("suggest: no analyzer %s", analyzerEn)
	}
	for _, clause := range clauses(q) {
		if strings.ContainsAny(clause, "*?~/") || clause == "OR" || clause == "NOT" || clause == "AND" {
			continue
		}
		if i := strings.IndexByte(clause, ':'); i >= 0 && !strings.HasPrefix(clause, `"`) {
			continue // a field search
		}
		for _, w := range wordRe().FindAllString(clause, -1) {
			if _, done := out[w]; done || len(w) < 4 || strings.IndexFunc(w, unicode.IsLetter) < 0 {
				continue
			}
			toks := an.Analyze([]byte(w))
			if len(toks) != 1 {
				continue
			}
			sugg, err := ix.suggest(ctx, text.Fold(w), string(toks[0].Term), n)
			if err != nil {
				return nil, err
			}
			if len(sugg) > 0 {
				out[w] = sugg
			}
		}
	}
	return out, nil
}

// suggest returns the surface forms of the terms of text_en close to term,
// or nothing when the index holds term itself.
func (ix *Index) suggest(ctx context.Context, word, term string, n int) ([]string, error) {
	// A word the index holds is found in its dictionary at once; the
	// walk below would read the dictionary up to it ("workers": most of
	// it) to learn the same.
	held, err := ix.holds(fieldTextEn, term)
	if err != nil || held {
		return nil, err
	}
	d, err := ix.b.FieldDict(fieldTextEn)
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	defer d.Close()
	type cand struct {
		term  string
		count uint64
	}
	var cands []cand
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("suggest: %w", err)
		}
		if e == nil {
			break
		}
		if e.Term == term {
			return nil, nil // the index holds the word
		}
		if near(word, term, e.Term) {
			cands = append(cands, cand{e.Term, e.Count})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	var out []string
	for _, c := range cands {
		if len(out) == n {
			break
		}
		s, err := ix.surface(ctx, c.term, word)
		if err != nil {
			return nil, err
		}
		if s != "" && !slices.Contains(out, s) && s != word {
			out = append(out, s)
		}
	}
	return out, nil
}

// holds reports whether field's dictionary has term.
func (ix *Index) holds(field, term string) (bool, error) {
	d, err := ix.b.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return false, fmt.Errorf("suggest: %w", err)
	}
	defer d.Close()
	e, err := d.Next()
	if err != nil {
		return false, fmt.Errorf("suggest: %w", err)
	}
	return e != nil && e.Term == term, nil
}

// near reports whether the indexed term t is near the query word (folded)
// and its term: within 1 edit (short terms) or 2, or t is a stem of a word
// within 1 edit of the query word's beginning.
func near(word, term, t string) bool {
	if t == "" {
		return false
	}
	limit := 2
	if len(term) <= 5 {
		limit = 1
	}
	if abs(len(t)-len(term)) <= limit && levenshtein.ComputeDistance(term, t) <= limit {
		return true
	}
	return len(t) >= 5 && len(t) < len(word) && len(word)-len(t) <= 5 && levenshtein.ComputeDistance(word[:len(t)], t) <= 1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// surface returns the word of the passages whose English analysis gives
// term that is closest to the query word, as written (lower case), or "".
func (ix *Index) surface(ctx context.Context, term, word string) (string, error) {
	q := termQuery(fieldTextEn, term)
	req := bleve.NewSearchRequestOptions(q, 20, 0, false)
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField(fieldTextEn)
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return "", fmt.Errorf("suggest: %w", err)
	}
	best, dist := "", 0
	for _, h := range res.Hits {
		for _, f := range h.Fragments[fieldTextEn] {
			for _, m := range markRe().FindAllStringSubmatch(f, -1) {
				w := strings.ToLower(m[1])
				d := levenshtein.ComputeDistance(word, text.Fold(w))
				if best == "" || d < dist || d == dist && w < best {
					best, dist = w, d
				}
			}
		}
	}
	return best, nil
}

var markRe = text.Regexp(`<mark>(.*?)</mark>`)
