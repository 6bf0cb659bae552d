//go:build !unix

package pdf

// pdfLimitAddressSpace does nothing where RLIMIT_AS does not exist; the
// worker still runs under debug.SetMemoryLimit.
func pdfLimitAddressSpace(limit int64) {}
