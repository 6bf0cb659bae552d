package corpus

import "errors"

// Sentinel errors callers test with errors.Is.
var (
	ErrNotFound      = errors.New("not found")
	ErrFormatVersion = errors.New("corpus format version mismatch")
	ErrLocked        = errors.New("workspace is in use by another peermap process")
	ErrNoStore       = errors.New("no corpus here")
	// ErrUpgrade says a store of an older format must be opened for
	// writing once (peermap upgrade) before it can be read.
	ErrUpgrade = errors.New("open it for writing once to upgrade it")
)
