package annotate_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

func TestDefault(t *testing.T) {
	cb := annotate.Default()
	if cb == nil {
		t.Fatal("Default() = nil: the embedded codebook does not load")
	}
	if !regexp.MustCompile(`^v1\+[0-9a-f]{8}$`).MatchString(cb.Version()) {
		t.Errorf("Version() = %q, want v1+<8 hex>", cb.Version())
	}
	v := cb.Vocabulary()
	if v.Version != cb.Version() {
		t.Errorf("Vocabulary().Version = %q, want %q", v.Version, cb.Version())
	}
	if len(v.Codes) != 28 {
		t.Errorf("Vocabulary() has %d codes, want the 28 of CODEBOOK.md", len(v.Codes))
	}
	dims := map[string]bool{}
	for _, c := range v.Codes {
		dims[c.Dimension] = true
		if c.Question == "" || c.Definition == "" || corpus.Dimension(c.ID) != c.Dimension {
			t.Errorf("code %+v: want a question, a definition and an ID in its dimension", c)
		}
	}
	for _, d := range corpus.Dimensions {
		if !dims[d] {
			t.Errorf("Vocabulary() lacks dimension %q", d)
		}
	}
	want := []string{"peer support worker", "peer navigator", "community health worker", "outreach worker",
		"peer educator", "recovery coach", "mediator", "patient partner", "mutual aid group"}
	if strings.Join(v.Families, "|") != strings.Join(want, "|") {
		t.Errorf("Vocabulary().Families = %q, want %q", v.Families, want)
	}
}

func TestWriteYAMLRoundTrip(t *testing.T) {
	cb := annotate.Default()
	var buf bytes.Buffer
	if err := cb.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := annotate.LoadCodebook(&buf, "written.yaml")
	if err != nil {
		t.Fatalf("LoadCodebook(WriteYAML()) = %v", err)
	}
	if again.Version() != cb.Version() {
		t.Errorf("version after round trip = %q, want %q", again.Version(), cb.Version())
	}
}

func TestVersionChangesWithMeaning(t *testing.T) {
	src, err := os.ReadFile("testdata/codebook/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	load := func(s string) string {
		cb, err := annotate.LoadCodebook(strings.NewReader(s), "x.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return cb.Version()
	}
	base := load(string(src))
	if got := load("# a new comment\n" + string(src)); got != base {
		t.Errorf("a comment changed the version: %q, want %q", got, base)
	}
	if got := load(strings.Replace(string(src), "accompany]", "accompany, escort]", 1)); got == base {
		t.Errorf("a new cue kept the version %q", got)
	}
}

func TestLoadCodebookErrors(t *testing.T) {
	tests := []struct {
		file string
		want string // a substring of the error, naming the line
	}{
		{"invalid-unknown-field.yaml", `line 14: category: unknown field "cue"`},
		{"invalid-code-id.yaml", `invalid-code-id.yaml:11: category id "role-navigation"`},
		{"invalid-code-dimension.yaml", `invalid-code-dimension.yaml:11: category id "setting.navigation"`},
		{"invalid-pattern.yaml", `invalid-pattern.yaml:11: category "role.navigation": pattern "~ visit"`},
		{"invalid-abbreviation.yaml", `invalid-abbreviation.yaml:24: abbreviation "pn"`},
		{"invalid-abbreviation-label.yaml", `invalid-abbreviation-label.yaml:24: abbreviation "PN": unknown label "peer pilot"`},
		{"invalid-no-definition.yaml", `invalid-no-definition.yaml:11: category "role.navigation" has no definition`},
		{"invalid-version.yaml", `invalid-version.yaml:2: version "t1 beta"`},
		{"invalid-syntax.yaml", `invalid-syntax.yaml: yaml: line`},
		{"invalid-duplicate-variant.yaml", `invalid-duplicate-variant.yaml:25: label "peer navigator two": variant "peer-navigators" is also in family "peer navigator"`},
		{"invalid-implies.yaml", `invalid-implies.yaml:20: label "peer navigator" implies unknown code "role.guiding"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "codebook", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = annotate.LoadCodebook(f, tt.file)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadCodebook(%s) = %v, want an error containing %q", tt.file, err, tt.want)
			}
		})
	}
	t.Run("valid.yaml", func(t *testing.T) {
		f, err := os.Open("testdata/codebook/valid.yaml")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := annotate.LoadCodebook(f, "valid.yaml"); err != nil {
			t.Errorf("LoadCodebook(valid.yaml) = %v", err)
		}
	})
}

func FuzzLoadCodebook(f *testing.F) {
	for _, p := range []string{"testdata/codebook/valid.yaml", "codebook.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: v1\ndimensions: []\n"))
	f.Add([]byte("version: [\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cb, err := annotate.LoadCodebook(bytes.NewReader(b), "fuzz.yaml")
		if err != nil {
			return
		}
		tg, err := annotate.New(cb, annotate.Options{})
		if err != nil {
			t.Fatalf("New on a valid codebook: %v", err)
		}
		text := "No peer navigators; CHWs make home visits and link clients to care."
		for _, a := range tg.TagText(text, "") {
			for _, s := range a.Spans {
				if s.Start < 0 || s.End > len(text) || s.Start > s.End || !utf8.ValidString(text[s.Start:s.End]) {
					t.Fatalf("span %+v outside the text or not on a rune boundary", s)
				}
			}
		}
	})
}
