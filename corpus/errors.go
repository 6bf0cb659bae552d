package corpus

import "errors"

// Sentinel errors callers test with errors.Is.
var (
	ErrNotFound      = errors.New("not found")
	ErrFormatVersion = errors.New("corpus format version mismatch")
	ErrLocked        = errors.New("workspace is in use by another peermap process")
	ErrNoStore       = errors.New("no corpus here")
)
