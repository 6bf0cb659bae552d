package corpus_test

import (
	"fmt"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in      string
		want    corpus.Query
		wantErr bool
	}{
		{"", corpus.Query{}, false},
		{`"peer navigator" hospital`, corpus.Query{Text: `"peer navigator" hospital`}, false},
		{`label:"peer navigator" care`, corpus.Query{Text: "care", Labels: []string{"peer navigator"}}, false},
		{`code:role.navigation dim:Role lang:FR kind:grey`, corpus.Query{Codes: []string{"role.navigation"}, Dims: []string{"role"}, Langs: []string{"fr"}, Kinds: []corpus.Kind{"grey"}}, false},
		{`year:2010..2024 x`, corpus.Query{Text: "x", YearFrom: 2010, YearTo: 2024}, false},
		{`year:2015`, corpus.Query{YearFrom: 2015, YearTo: 2015}, false},
		{`year:..2015`, corpus.Query{YearTo: 2015}, false},
		{`family:"mutual aid group"`, corpus.Query{Families: []string{"mutual aid group"}}, false},
		{`title:foo`, corpus.Query{Text: "title:foo"}, false}, // bleve field syntax passes through
		{`year:2024..2010`, corpus.Query{}, true},
		{`year:abc`, corpus.Query{}, true},
		{`kind:book`, corpus.Query{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := corpus.ParseQuery(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseQuery(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestQueryStringRoundTrip(t *testing.T) {
	q := corpus.Query{Text: "hospital", Labels: []string{"peer navigator"}, Codes: []string{"role.outreach"}, Kinds: []corpus.Kind{"grey"}, YearFrom: 2010}
	back, err := corpus.ParseQuery(q.String())
	if err != nil || !reflect.DeepEqual(back, q) {
		t.Errorf("ParseQuery(%q) = %+v, %v; want %+v", q.String(), back, err, q)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`label:"peer navigator" care`, `year:2010..2024`, `"a b" -c +d`, `kind:"grey`, `::`, `year:..`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := corpus.ParseQuery(s)
		if err != nil {
			return
		}
		if utf8.ValidString(s) && !utf8.ValidString(q.Text) {
			t.Fatalf("ParseQuery(%q).Text is not valid UTF-8", s)
		}
		if q.YearTo != 0 && q.YearFrom > q.YearTo {
			t.Fatalf("ParseQuery(%q): year range %d..%d", s, q.YearFrom, q.YearTo)
		}
	})
}

func ExampleParseQuery() {
	q, _ := corpus.ParseQuery(`label:"peer navigator" lang:fr year:2010..2024 accompagnement`)
	fmt.Println(q.Text, q.Labels, q.Langs, q.YearFrom, q.YearTo)
	// Output: accompagnement [peer navigator] [fr] 2010 2024
}
