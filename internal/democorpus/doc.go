// Package democorpus holds the example documents that `peermap demo`
// ingests, annotates, indexes and reports on.
//
// The documents are short descriptions of invented peer programmes in
// health and community care, written for the demo in English and French,
// as HTML, Markdown with YAML front matter, plain text and PDF. Together
// they use every label family of the codebook, show labels that hide
// different roles and different labels for the same role, and include one
// hard negative and one negated mention (see README.md for the list). FS
// returns the files, embedded in the binary; Names lists them. The package
// reads no disk and has no state. The PDFs are generated from gen/texts.go
// with internal/pdfgen by `go generate`, and committed.
package democorpus
