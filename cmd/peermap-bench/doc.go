// Command peermap-bench measures peermap against the tools a user would
// pick instead, on the shared corpus, and profiles each stage.
//
//	peermap-bench table   [-runs N] [-rows e2e,pdf,...] [-doc doc/performance.md]
//	peermap-bench scale   [-sizes 10000,100000,1000000]
//	peermap-bench profile [-o DIR] [PATH...]
//	peermap-bench passages WS FILE        (set-up for the two below)
//	peermap-bench bare-index DIR FILE
//	peermap-bench bare-search DIR WORD...
//
// The last three are the index and search references as processes, so
// that an outside timer (hyperfine, /usr/bin/time) can pair 'peermap
// reindex' and 'peermap search' against them start-up included.
//
// Every figure of the table is a ratio against a reference measured in the
// same run on the same input, runs alternating (A B A B ...), medians of
// the per-pair ratios: on a shared machine absolute times say little.
// Whole-process rows (end to end, PDF) run the peermap binary given by
// -peermap; in-process rows (HTML, records, annotate, index, search) run
// the code this program was built from. It writes nothing but its scratch
// folder (removed at the end), stdout, and, with -doc, the table section of
// a Markdown file. It is a harness, not part of peermap: the references
// (recollindex, pdftotext, sqlite3, go-readability, bare bleve) are used
// here only.
package main
