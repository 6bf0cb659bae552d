//go:build unix

package pdf

import (
	"fmt"
	"syscall"
)

// pdfLimitAddressSpace caps this process's address space (RLIMIT_AS) at
// limit plus 1 GiB of headroom for the Go runtime's reservations. It is
// called in the worker child only; pdftotext started from there inherits
// it. It fails when the limit cannot be set (a lower hard limit that this
// process may not raise, a sandbox that forbids it); the worker then says
// so in every Result (pdfServe).
func pdfLimitAddressSpace(limit int64) error {
	v := uint64(limit) + 1<<30
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: v, Max: v}); err != nil {
		return fmt.Errorf("setrlimit RLIMIT_AS %d: %w", v, err)
	}
	return nil
}
