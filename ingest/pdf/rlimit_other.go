//go:build !unix

package pdf

import (
	"errors"
	"runtime"
)

// pdfLimitAddressSpace cannot cap the address space where RLIMIT_AS does
// not exist; the worker still runs under debug.SetMemoryLimit (a soft
// limit) and says so in every Result (pdfServe).
func pdfLimitAddressSpace(limit int64) error {
	return errors.New("no address-space limit (RLIMIT_AS) on " + runtime.GOOS)
}
