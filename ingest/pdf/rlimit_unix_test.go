//go:build unix

package pdf

import "syscall"

// pdfTestSetHardLimit lowers this process's RLIMIT_AS, soft and hard, to v.
func pdfTestSetHardLimit(v uint64) error {
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: v, Max: v})
}

// pdfTestAddressLimit returns this process's RLIMIT_AS.
func pdfTestAddressLimit() (cur, max uint64, err error) {
	var r syscall.Rlimit
	err = syscall.Getrlimit(syscall.RLIMIT_AS, &r)
	return r.Cur, r.Max, err
}
