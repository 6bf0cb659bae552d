package peermap_test

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/peermap/peermap/"

// allowed reports whether the package in dir may import the module package
// rel (DESIGN.md):
//   - a stage (corpus, ingest and its sub-packages, annotate, index, report)
//     imports corpus, internal/... and its own sub-packages, never another
//     stage and never pipeline; corpus imports no stage;
//   - pipeline imports the stages, corpus and internal/...;
//   - web imports pipeline, corpus and internal/..., not the stages;
//   - ingest/pdf imports only corpus and internal/... (ingest adapts it).
func allowed(dir, rel string) bool {
	if rel == "corpus" || strings.HasPrefix(rel, "internal/") {
		return true
	}
	switch dir {
	case "corpus", "ingest/pdf":
		return false
	case "pipeline":
		return rel != "web" && !strings.HasPrefix(rel, "cmd/")
	case "web":
		return rel == "pipeline"
	}
	stage := strings.SplitN(dir, "/", 2)[0]
	return strings.HasPrefix(rel, stage+"/")
}

// TestLayering enforces DESIGN.md's layering (see allowed).
func TestLayering(t *testing.T) {
	for _, dir := range []string{"corpus", "ingest", "ingest/refs", "ingest/dedup", "ingest/pdf", "annotate", "index", "report", "qda", "pipeline", "web"} {
		pkg, err := build.Default.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("import %s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if rel, ok := strings.CutPrefix(imp, module); ok && !allowed(dir, rel) {
				t.Errorf("%s imports %s, which DESIGN.md does not allow (see allowed in layering_test.go)", dir, rel)
			}
		}
	}
}

// TestAllowed makes sure the check can fail.
func TestAllowed(t *testing.T) {
	tests := []struct {
		dir, rel string
		want     bool
	}{
		{"report", "annotate", false},
		{"index", "ingest", false},
		{"corpus", "index", false},
		{"ingest", "ingest/refs", true},
		{"ingest/dedup", "ingest/refs", true},
		{"ingest", "ingest/pdf", true},
		{"ingest/pdf", "ingest", false},
		{"ingest/pdf", "ingest/refs", false},
		{"ingest/pdf", "internal/text", true},
		{"web", "corpus", true},
		{"annotate", "internal/golden", true},
		{"annotate", "pipeline", false},
		{"report", "pipeline", false},
		{"pipeline", "annotate", true},
		{"pipeline", "ingest/refs", true},
		{"pipeline", "web", false},
		{"web", "pipeline", true},
		{"web", "index", false},
		{"web", "report", false},
	}
	for _, tt := range tests {
		if got := allowed(tt.dir, tt.rel); got != tt.want {
			t.Errorf("allowed(%q, %q) = %v, want %v", tt.dir, tt.rel, got, tt.want)
		}
	}
}

// oneDefinition lists, for each text rule that internal/text defines once,
// a marker that only an implementation of the rule holds: a second copy of
// the rule elsewhere would carry it.
var oneDefinition = []struct{ rule, marker string }{
	{"accent folding (text.Fold, text.Key)", "norm.NFD"},
	{"accent folding (text.Fold, text.Key)", "norm.NFKD"},
	{"abbreviations of the sentence splitter (text.Sentences)", `"approx"`},
	{"abbreviations of the sentence splitter (text.Sentences)", `"e.g"`},
	{"citation format (text.Cite)", `" et al.`},
	{"citation format (text.Cite)", `"Anon`},
	{"DOI normalisation (text.DOI)", `10\\.`},
	{"ligatures (text.Normalize)", `\uFB01`},
}

// copies returns the rules whose marker appears in a code line of src.
func copies(src string) []string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "//") {
			continue
		}
		if i := strings.Index(line, " // "); i >= 0 {
			line = line[:i]
		}
		for _, d := range oneDefinition {
			if strings.Contains(line, d.marker) {
				out = append(out, d.rule)
			}
		}
	}
	return out
}

// TestOneDefinition enforces DESIGN.md: the text rules several stages need
// live in internal/text only.
func TestOneDefinition(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == "internal/text" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, rule := range copies(string(src)) {
			t.Errorf("%s holds a copy of the %s: call internal/text instead", path, rule)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCopies makes sure the copy check can fail.
func TestCopies(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"for _, r := range norm.NFD.String(s) {", 1},
		{`return names[0] + " et al."`, 1},
		{`var doiRe = regexp.MustCompile("10\\.\\d+/")`, 1},
		{"// a comment about norm.NFD", 0},
		{"x := text.Fold(s) // not norm.NFD", 0},
		{"return text.Cite(w)", 0},
	}
	for _, tt := range tests {
		if got := copies(tt.src); len(got) != tt.want {
			t.Errorf("copies(%q) = %q, want %d", tt.src, got, tt.want)
		}
	}
}
