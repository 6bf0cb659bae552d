package index

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// TestAliasDoc checks what the highlighter of text_fr sees: the text_en
// value under the name text_fr when text_fr is not stored (indexes built
// now), and text_fr itself, once, when it is (indexes built before).
func TestAliasDoc(t *testing.T) {
	tests := []struct {
		name   string
		fields map[string]string
		want   []string // name=text of the fields visited, in order
	}{
		{"stored once", map[string]string{fieldTextEn: "la paire"}, []string{"text_en=la paire", "text_fr=la paire"}},
		{"stored twice (old index)", map[string]string{fieldTextEn: "la paire", fieldTextFr: "la paire (fr)"}, []string{"text_en=la paire", "text_fr=la paire (fr)"}},
		{"no text", map[string]string{fieldTitle: "T"}, []string{"title=T"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := document.NewDocument("p")
			for _, name := range []string{fieldTextEn, fieldTextFr, fieldTitle} {
				if v, ok := tt.fields[name]; ok {
					d.AddField(document.NewTextField(name, nil, []byte(v)))
				}
			}
			var got []string
			aliasDoc{Document: d, from: fieldTextEn, to: fieldTextFr}.VisitFields(func(f index.Field) {
				got = append(got, f.Name()+"="+f.(index.TextField).Text())
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("VisitFields = %q, want %q", got, tt.want)
			}
		})
	}
}
