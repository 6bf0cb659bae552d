//go:build race

package refs_test

// raceEnabled is true under -race, where the big real-corpus runs (3,900
// SYNERGY records) are skipped: they exercise no concurrency and cost minutes.
const raceEnabled = true
