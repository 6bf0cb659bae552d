package qda_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/internal/testtool"
)

// shared returns the path of rel under ../../shared (the project's real
// test data), skipping the test when the folder is absent.
func shared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data not found at %s: tests on real files are skipped", p)
	}
	return p
}

// validate checks an XML document against an XSD with xmllint (Debian's
// libxml2-utils, installed by scripts/deps.sh). Without xmllint the check
// is skipped, except under CI, where it fails.
func validate(t *testing.T, xsd string, doc []byte) {
	t.Helper()
	bin := testtool.Path(t, "libxml2-utils", "xmllint")
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, f)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("xmllint: the document does not validate against %s: %v\n%s", xsd, err, head(out.String(), 3000))
	}
}

func head(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
