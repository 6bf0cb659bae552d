//go:build unix

package annotate_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used, so a
// benchmark on a loaded machine can report work per CPU second as well as
// per wall-clock second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
