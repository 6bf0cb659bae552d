//go:build !unix

package pdf

import "errors"

func pdfTestSetHardLimit(v uint64) error { return errors.New("no RLIMIT_AS") }

func pdfTestAddressLimit() (cur, max uint64, err error) { return 0, 0, errors.New("no RLIMIT_AS") }
