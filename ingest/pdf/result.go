package pdf

import "github.com/peermap/peermap/corpus"

// Extractor names recorded in Result.Extractor and Page.Extractor.
const (
	ExtractorLib       = "ledongthuc"
	ExtractorPdftotext = "pdftotext"
)

// A Result is what Extract found in one PDF: its text page by page, where
// each page's text came from, the warnings met on the way and the metadata
// found. ingest turns it into a corpus.Document.
type Result struct {
	Text       string        // the pages' text, joined by "\n\n"
	Pages      []corpus.Page // one per page: N from 1, a byte range of Text, and the page's extractor
	Extractor  string        // ExtractorPdftotext if it gave most pages with text, else ExtractorLib
	Warnings   []string      // what was repaired, dropped or replaced, page by page
	Skip       corpus.Skip   // NotSkipped, or why there is no text (Text and Pages are then empty)
	SkipDetail string        // the specific reason, set with Skip

	// Metadata from the info dictionary and the first page with text.
	Title   string
	Authors []string
	Year    int
	DOI     string
}
