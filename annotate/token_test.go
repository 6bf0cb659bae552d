package annotate

import (
	"fmt"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, text, want string // want: norm/sentence of each token
	}{
		{"hyphen and case", "Peer-Support Workers", "peer/0 support/0 workers/0"},
		{"accents", "Médiatrice œuvre", "mediatrice/0 oeuvre/0"},
		{"apostrophes", "groupe d’entraide, l'aide", "groupe/0 d/0 entraide/0 l/0 aide/0"},
		{"sentences", "One. Two? Three! Four", "one/0 two/1 three/2 four/3"},
		{"abbreviations keep the sentence", "Smith et al. found e.g. more vs. less.", "smith/0 et/0 al/0 found/0 e/0 g/0 more/0 vs/0 less/0"},
		{"decimals keep the sentence", "It rose 1.5 times", "it/0 rose/0 1/0 5/0 times/0"},
		{"heading line", "Title\nBody text follows", "title/0 body/1 text/1 follows/1"},
		{"PDF line break keeps the sentence", "peers visit\nhomes", "peers/0 visit/0 homes/0"},
		{"combining marks alone", "a \u0306 b", "a/0 b/0"},
		{"a long sentence is cut at clause breaks", strings.Repeat("w ", 59) + "w, x " + strings.Repeat("y ", 20) + "z", strings.TrimSpace(strings.Repeat("w/0 ", 60)) + " " + strings.TrimSpace(strings.Repeat("x/1 ", 1)) + " " + strings.TrimSpace(strings.Repeat("y/1 ", 20)) + " z/1"},
		{"a sentence without words is not counted", "One.\n\n•\n\nTwo", "one/0 two/1"},
		{"inclusive writing", "Les soignant·es et patient·e·s", "les/0 soignant/0 et/0 patient/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range tokenize(tt.text, nil) {
				got = append(got, fmt.Sprintf("%s/%d", tk.norm, tk.sent))
				if tk.start < 0 || tk.end > len(tt.text) || tk.start >= tk.end {
					t.Errorf("token %+v outside the text", tk)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("tokenize(%q) = %q, want %q", tt.text, g, tt.want)
			}
		})
	}
}

func TestInflection(t *testing.T) {
	tests := []struct {
		lang, a, b string
		want       bool
	}{
		{"en", "visit", "visits", true},
		{"en", "educate", "educated", true},
		{"en", "community", "communities", true},
		{"en", "position", "positive", false},
		{"en", "information", "informal", false},
		{"en", "hospital", "hospitalization", false},
		{"fr", "recruter", "recrutes", true},
		{"fr", "formation", "former", false},
	}
	for _, tt := range tests {
		if got := inflection(tt.lang, tt.a, tt.b); got != tt.want {
			t.Errorf("inflection(%s, %q, %q) = %v, want %v", tt.lang, tt.a, tt.b, got, tt.want)
		}
	}
}
