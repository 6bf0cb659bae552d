//go:build race

package pdf

// raceEnabled is true under -race, where TestHostile runs a sample (its
// workers are this test binary, several times slower when race-built) and
// TestExtractStops is skipped (the interpreter's loops slow down past the
// second an extraction is given to stop).
const raceEnabled = true
