// Package pdf extracts the text of PDF files, page by page, for ingest.
//
// Extract takes the bytes of one PDF and returns a Result: the text of each
// page (normalised with internal/text: NFKC, ligatures, accents; running
// headers, footers and page numbers removed; end-of-line hyphenation
// joined), the pages as byte ranges of the joined text with the extractor
// that gave each one (ledongthuc/pdf through this package's own
// content-stream interpreter, or pdftotext for pages it reads better), the
// warnings met on the way and the metadata found (title, authors, year,
// DOI). ingest turns a Result into a corpus.Document; this package imports
// neither ingest nor its other sub-packages, only corpus and internal/...
//
// Failure policy: expected conditions are data, not errors. An empty, invalid
// or encrypted file, a file with no text layer, a timeout and a crashed
// extractor give a Result with Skip and SkipDetail set and a nil error. An
// error means ctx ended or no worker process could be started, and names
// the file once. A bad page costs that page (a warning), not the document.
//
// Isolation: with Options.Pool or Options.Worker, extraction runs in a child
// process (the peermap binary re-executed as `peermap extract-worker`,
// which calls Worker) under a memory limit (debug.SetMemoryLimit and, on
// Unix, RLIMIT_AS; a limit that cannot be set is a warning on every Result
// of that worker) and the per-file Timeout; a child that overruns or
// crashes is killed with the processes it started (its process group).
// In-process, extraction runs under recover and the Timeout; when the time
// is up it is stopped (the interpreter checks its context every few
// thousand operators or glyphs, and the library's reads of the file fail
// once it ends) and Extract returns once it has stopped, or after a grace
// second if it has not (a worker then exits after answering).
//
// The same bytes always give the same Result. Nothing here panics, exits,
// or writes outside the temporary files handed to pdftotext.
//
// Files here import ledongthuc/pdf under its own name, pdf: inside this
// package pdf.Value, pdf.Reader and so on are the library's types.
package pdf
