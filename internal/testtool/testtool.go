// Package testtool finds the programs that tests compare with or drive
// (pdftotext, chromium, xmllint, recollindex). On a developer's machine a
// missing program skips the test with the package that installs it; under
// CI (CI set in the environment) it fails the test, so that a broken
// install step cannot hide behind a green run.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Path returns the path of the first of names found on PATH (a name may be
// an absolute path). When none is found it skips t, or fails it under CI,
// saying which Debian package scripts/deps.sh installs it from.
func Path(t testing.TB, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found under CI: scripts/deps.sh should have installed the Debian package %s", names[0], pkg)
	}
	t.Skipf("%s not found (apt-get install %s): skipped", names[0], pkg)
	return ""
}
