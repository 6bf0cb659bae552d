//go:build race

package ingest

// raceEnabled is true under -race, where TestExtractStops is skipped: the
// race detector slows the extractors' single calls over a 40 MB input
// (decoding, normalising) past the second they are given to stop.
const raceEnabled = true
