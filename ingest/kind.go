package ingest

import (
	"strings"

	"github.com/peermap/peermap/corpus"
)

// inferKind returns force if it is a valid kind; otherwise the kind the
// extractor set, or one inferred from metadata: JATS and TEI full texts and
// documents with a DOI, PMID or journal are articles; the rest (web pages,
// reports, Word and text files) is grey literature.
func inferKind(doc *corpus.Document, force corpus.Kind) corpus.Kind {
	if force.Valid() {
		return force
	}
	if doc.Kind.Valid() {
		return doc.Kind
	}
	switch {
	case doc.Format == FormatJATS || doc.Format == FormatTEI:
		return corpus.KindArticle
	case doc.DOI != "" || doc.PMID != "":
		return corpus.KindArticle
	case doc.Format == FormatPDF && looksLikePaper(doc.Text):
		return corpus.KindArticle
	}
	return corpus.KindGrey
}

// looksLikePaper reports whether a PDF's text has the parts of a
// scientific article: an abstract near the start and a reference list.
func looksLikePaper(text string) bool {
	lower := strings.ToLower(text)
	head := lower[:min(len(lower), 5000)]
	return strings.Contains(head, "abstract") &&
		(strings.Contains(lower, "references") || strings.Contains(lower, "bibliography"))
}
