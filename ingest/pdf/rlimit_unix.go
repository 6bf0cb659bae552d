//go:build unix

package pdf

import "syscall"

// pdfLimitAddressSpace caps this process's address space (RLIMIT_AS) at
// limit plus 1 GiB of headroom for the Go runtime's reservations. It is
// called in the worker child only; pdftotext started from there inherits
// it. Errors are ignored: the soft limit (debug.SetMemoryLimit) still holds.
func pdfLimitAddressSpace(limit int64) {
	v := uint64(limit) + 1<<30
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: v, Max: v})
}
