package corpus

// Log field keys used by every stage, so logs can be filtered the same way
// whichever stage wrote them. They are plain strings: corpus does not import zap.
const (
	LogKeyPath      = "path"
	LogKeyDoc       = "doc"
	LogKeyPassage   = "passage"
	LogKeyDimension = "dimension"
	LogKeyLabel     = "label"
	LogKeyCode      = "code"
	LogKeyReason    = "reason"
	LogKeyCount     = "count"
	LogKeyRun       = "run"
	LogKeyStage     = "stage"
	LogKeyError     = "error"
)
