package annotate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"strings"
	"testing"
)

// TestDefaultVersion checks that codebook.version names the embedded
// codebook.yaml and the Version computed from it, so that Default's
// shortcut gives the same version as LoadCodebook.
func TestDefaultVersion(t *testing.T) {
	cb, err := LoadCodebook(bytes.NewReader(defaultYAML), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(defaultYAML)
	want := hex.EncodeToString(sum[:]) + " " + cb.Version() + "\n"
	// -update is defined by golden_test.go (package annotate_test, the same test binary).
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile("codebook.version", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if defaultVersion != want {
		t.Errorf("codebook.version = %q, want %q: run go test ./annotate -run TestDefaultVersion -update", strings.TrimSpace(defaultVersion), strings.TrimSpace(want))
	}
	if got := Default().Version(); got != cb.Version() {
		t.Errorf("Default().Version() = %q, LoadCodebook gives %q", got, cb.Version())
	}
	if got := DefaultVersion(); got != cb.Version() {
		t.Errorf("DefaultVersion() = %q, LoadCodebook gives %q", got, cb.Version())
	}
	// A stale file is not trusted: the version is computed.
	got, err := loadCodebook(append([]byte("# changed\n"), defaultYAML...), "x.yaml", "")
	if err != nil || got.Version() != cb.Version() {
		t.Errorf("a comment changed the version: %v %v", got, err)
	}
}
