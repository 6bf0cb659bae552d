// Package pdfgen writes small, plain PDF 1.4 files whose text we know
// exactly, for the demo corpus and for tests of PDF extraction.
//
// Write takes a Doc (title, author, date and pages of ready-broken lines)
// and writes one PDF: the standard Type1 font Helvetica with
// WinAnsiEncoding (so French accents, œ, typographic quotes and dashes
// render and extract), one or two columns per page, an optional running
// header and page numbers, an /Info dictionary, and a cross-reference table
// with exact byte offsets. Each line is drawn with Tj inside a BT/ET text
// object, and successive lines are separated with T*, so extractors that
// ignore positions still see one line per line. Output is deterministic: the
// same Doc always gives the same bytes. The package never reads files,
// never embeds fonts and never compresses streams; text outside
// WinAnsiEncoding is an error, not a silent substitution.
//
// Wrap breaks running text into lines of at most a given number of
// characters, and Paginate cuts lines into pages:
//
//	lines := pdfgen.Wrap(text, 90)
//	err := pdfgen.Write(w, pdfgen.Doc{Title: "T", Pages: pdfgen.Paginate(lines, pdfgen.LinesPerColumn)})
package pdfgen
