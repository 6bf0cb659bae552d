package testtool

import (
	"testing"
)

// recorder is a testing.TB that records how a test ended.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = true }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = true }

func TestPath(t *testing.T) {
	if p := Path(t, "coreutils", "no-such-program-x", "true"); p == "" {
		t.Error("Path did not find true")
	}
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	Path(r, "nothing", "no-such-program-x")
	if !r.skipped || r.failed {
		t.Errorf("missing program outside CI: skipped %v failed %v, want a skip", r.skipped, r.failed)
	}
	t.Setenv("CI", "true")
	r = &recorder{TB: t}
	Path(r, "nothing", "no-such-program-x")
	if !r.failed {
		t.Error("missing program under CI did not fail")
	}
}
