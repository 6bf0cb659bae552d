package peermap_test

import (
	"go/build"
	"strings"
	"testing"
)

const module = "github.com/peermap/peermap/"

// allowed reports whether the package in dir may import the module package rel:
// corpus, internal/..., and the stage's own sub-packages. corpus imports no stage.
func allowed(dir, rel string) bool {
	if rel == "corpus" || strings.HasPrefix(rel, "internal/") {
		return true
	}
	if dir == "corpus" {
		return false
	}
	stage := strings.SplitN(dir, "/", 2)[0]
	return strings.HasPrefix(rel, stage+"/")
}

// TestLayering enforces DESIGN.md: a stage imports corpus (and internal/...),
// never another stage.
func TestLayering(t *testing.T) {
	for _, dir := range []string{"corpus", "ingest", "ingest/refs", "ingest/dedup", "annotate", "index", "report", "qda", "web"} {
		pkg, err := build.Default.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("import %s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if rel, ok := strings.CutPrefix(imp, module); ok && !allowed(dir, rel) {
				t.Errorf("%s imports %s: stages may import only corpus and internal/ (DESIGN.md)", dir, rel)
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
		{"web", "corpus", true},
		{"annotate", "internal/golden", true},
	}
	for _, tt := range tests {
		if got := allowed(tt.dir, tt.rel); got != tt.want {
			t.Errorf("allowed(%q, %q) = %v, want %v", tt.dir, tt.rel, got, tt.want)
		}
	}
}
