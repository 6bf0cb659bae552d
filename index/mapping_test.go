package index

import (
	"slices"
	"testing"
)

func terms(t *testing.T, analyzer, text string) []string {
	t.Helper()
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	toks, err := m.AnalyzeText(analyzer, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tok := range toks {
		out = append(out, string(tok.Term))
	}
	return out
}

// TestAnalyzers checks that the two analyses fold case and accents and stem
// the forms the search cases rely on to the same terms.
func TestAnalyzers(t *testing.T) {
	tests := []struct {
		name, analyzer, a, b string
	}{
		{"fr plural feminine", analyzerFr, "navigatrices", "navigatrice"},
		{"fr accents and case", analyzerFr, "Médiateurs de santé-pair", "mediateur sante pair"},
		{"fr short word accents", analyzerFr, "rôle", "role"},
		{"fr elision", analyzerFr, "l’université", "universite"},
		{"fr feminine", analyzerFr, "pair aidante", "pair-aidant"},
		{"en plural", analyzerEn, "patient navigators", "Patient Navigator"},
		{"en accents", analyzerEn, "naïve café", "naive cafe"},
		{"en possessive", analyzerEn, "peer's", "peer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := terms(t, tt.analyzer, tt.a), terms(t, tt.analyzer, tt.b)
			if !slices.Equal(a, b) || len(a) == 0 {
				t.Errorf("%s(%q) = %q, %s(%q) = %q, want equal and non-empty", tt.analyzer, tt.a, a, tt.analyzer, tt.b, b)
			}
		})
	}
}
