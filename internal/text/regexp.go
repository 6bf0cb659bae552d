package text

import (
	"regexp"
	"sync"
)

// Regexp returns a function that compiles expr on its first call and
// returns the same *regexp.Regexp on every call: a package-level pattern
// compiled when first used, not when its package initialises (a peermap
// process compiled some sixty at start, most of which it never used). An
// invalid expr panics on that first call, as regexp.MustCompile does.
func Regexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
