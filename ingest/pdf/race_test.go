//go:build race

package pdf

// raceEnabled is true under -race, where TestHostile runs a sample: its
// workers are this test binary, several times slower when race-built.
const raceEnabled = true
