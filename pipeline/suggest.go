package pipeline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
	"github.com/peermap/peermap/internal/text"
)

// A ValueError is a filter value that names nothing the codebook or the
// corpus knows, with the closest values that exist.
type ValueError struct {
	Field   string   // code, dim, family, label, lang or kind
	Value   string   // as given
	Closest []string // the closest known values, best first; may be empty
}

func (e *ValueError) Error() string {
	s := fmt.Sprintf("unknown %s %q", e.Field, e.Value)
	if len(e.Closest) > 0 {
		s += ": did you mean " + strings.Join(e.Closest, " or ") + "?"
	}
	return s
}

// languageNames maps language names, in English and French, to the ISO
// 639-1 codes the corpus uses.
var languageNames = map[string]string{
	"english": "en", "anglais": "en", "french": "fr", "francais": "fr", "spanish": "es", "espagnol": "es",
	"espanol": "es", "german": "de", "allemand": "de", "deutsch": "de", "portuguese": "pt", "portugais": "pt",
	"czech": "cs", "chinese": "zh", "chinois": "zh", "japanese": "ja", "japonais": "ja", "arabic": "ar",
	"arabe": "ar", "hebrew": "he", "greek": "el", "korean": "ko", "thai": "th", "italian": "it", "italien": "it",
	"dutch": "nl", "russian": "ru", "russe": "ru", "persian": "fa", "farsi": "fa",
}

// checkFilters checks every filter value of q against the codebook and
// the values the index holds, and returns a *ValueError for the first
// unknown one. With ix nil, only the fields whose values are fixed (dim,
// kind) are checked.
func checkFilters(q corpus.Query, v corpus.Vocabulary, ix *index.Index) error {
	if ix == nil {
		q = corpus.Query{Dims: q.Dims, Kinds: q.Kinds}
	}
	held := func(name string) []string {
		if ix == nil {
			return nil
		}
		ts, err := ix.Terms(name)
		if err != nil {
			return nil
		}
		return ts
	}
	var codes, families, labels []string
	for _, c := range v.Codes {
		codes = append(codes, c.ID)
	}
	families = append(families, v.Families...)
	for _, l := range v.Labels {
		labels = append(labels, l.Label)
	}
	kinds := []string{string(corpus.KindArticle), string(corpus.KindGrey), string(corpus.KindRecord)}
	checks := []struct {
		field string
		vals  []string
		known []string
	}{
		{"code", q.Codes, append(codes, held("code")...)},
		{"dim", q.Dims, corpus.Dimensions},
		{"family", q.Families, append(families, held("family")...)},
		{"label", q.Labels, append(labels, held("label")...)},
		{"lang", q.Langs, held("lang")},
		{"kind", kindStrings(q.Kinds), kinds},
	}
	for _, c := range checks {
		for _, val := range c.vals {
			if slices.ContainsFunc(c.known, func(k string) bool { return strings.EqualFold(k, val) }) {
				continue
			}
			e := &ValueError{Field: c.field, Value: val, Closest: closest(val, c.known, 3)}
			if c.field == "lang" {
				if code, ok := languageNames[text.Fold(val)]; ok {
					e.Closest = []string{code}
				}
			}
			return e
		}
	}
	return nil
}

func kindStrings(ks []corpus.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// closest returns up to n of known nearest to val: within an edit distance
// of a third of its length (at least 2), or holding it, best first.
func closest(val string, known []string, n int) []string {
	v := text.Fold(val)
	limit := max(2, len(v)/3)
	type cand struct {
		s string
		d int
	}
	var cs []cand
	seen := map[string]bool{}
	for _, k := range known {
		if seen[k] {
			continue
		}
		seen[k] = true
		f := text.Fold(k)
		d := levenshtein.ComputeDistance(v, f)
		if d <= limit || len(v) >= 3 && strings.Contains(f, v) {
			cs = append(cs, cand{k, d})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return cmp.Compare(a.s, b.s)
	})
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.s)
	}
	return out
}
