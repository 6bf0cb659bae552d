package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// A DocID is the hex SHA-256 of a document's source bytes.
type DocID string

// NewDocID returns the DocID of raw source bytes.
func NewDocID(raw []byte) DocID {
	sum := sha256.Sum256(raw)
	return DocID(hex.EncodeToString(sum[:]))
}

// Short returns the first 12 hex digits of id, for display.
func (id DocID) Short() string {
	if len(id) > 12 {
		return string(id[:12])
	}
	return string(id)
}

// Kind is what sort of literature a document is.
type Kind string

// The kinds of document.
const (
	KindArticle Kind = "article" // peer-reviewed or preprint scientific article
	KindGrey    Kind = "grey"    // report, web page, programme document
	KindRecord  Kind = "record"  // bibliographic record (title + abstract) from a reference export
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { return k == KindArticle || k == KindGrey || k == KindRecord }

// Skip says why a document has no passages. The zero value means "not skipped".
type Skip uint8

// The reasons a document is skipped. Each is recorded with the document,
// together with a free-text detail (Document.SkipDetail).
const (
	NotSkipped      Skip = iota
	SkipNoText           // no text layer (needs OCR), or no text at all
	SkipEncrypted        // encrypted PDF or protected file
	SkipInvalid          // not a valid file of its format (broken PDF, bad XML)
	SkipUnsupported      // format peermap does not read
	SkipTooLarge         // over the size cap
	SkipTimeout          // extraction did not finish in time
	SkipEmpty            // zero bytes, or a record without title and abstract
	SkipFailed           // the extractor failed or crashed on this file
)

var skipNames = [...]string{
	NotSkipped:      "",
	SkipNoText:      "no text layer (needs OCR)",
	SkipEncrypted:   "encrypted",
	SkipInvalid:     "not a valid file",
	SkipUnsupported: "unsupported format",
	SkipTooLarge:    "too large",
	SkipTimeout:     "timed out",
	SkipEmpty:       "empty",
	SkipFailed:      "extraction failed",
}

// String returns a short human description of s.
func (s Skip) String() string {
	if int(s) < len(skipNames) {
		return skipNames[s]
	}
	return "unknown"
}

// A Page is a byte range of a document's Text that came from one page of the
// source (PDF) or from one source unit.
type Page struct {
	N         int    `json:"n"`                   // 1-based page number
	Start     int    `json:"start"`               // byte offset into Document.Text
	End       int    `json:"end"`                 // exclusive
	Extractor string `json:"extractor,omitempty"` // which extractor produced this page
}

// A Section is a byte range of a document's Text under one heading.
type Section struct {
	Heading string `json:"heading"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// A Document is one source file, web page or bibliographic record.
//
// Text is the normalised full text that passages point into. It is stored
// apart from the metadata; Store.Document returns it, Store.Documents does not.
type Document struct {
	ID         DocID     `json:"id"`
	Path       string    `json:"path"`                  // file path or URL it was read from
	Source     string    `json:"source,omitempty"`      // for records: the export file it came from
	Record     int       `json:"record,omitempty"`      // for records: 1-based record number in Source
	Format     string    `json:"format"`                // pdf, html, text, markdown, jats, tei, docx, ris, bibtex, ...
	Kind       Kind      `json:"kind"`                  // article, grey, record
	Lang       string    `json:"lang,omitempty"`        // ISO 639-1 code, "" if unknown
	Title      string    `json:"title,omitempty"`       //
	Authors    []string  `json:"authors,omitempty"`     // "Family, Given" where known
	Year       int       `json:"year,omitempty"`        // 0 if unknown
	Venue      string    `json:"venue,omitempty"`       // journal, publisher or site
	DOI        string    `json:"doi,omitempty"`         // normalised: lower case, no https://doi.org/ prefix
	PMID       string    `json:"pmid,omitempty"`        //
	Keywords   []string  `json:"keywords,omitempty"`    //
	Abstract   string    `json:"abstract,omitempty"`    //
	Pages      []Page    `json:"pages,omitempty"`       // for paged sources
	Sections   []Section `json:"sections,omitempty"`    //
	Extractor  string    `json:"extractor,omitempty"`   // main extractor used
	Warnings   []string  `json:"warnings,omitempty"`    // extraction warnings
	Skip       Skip      `json:"skip,omitempty"`        //
	SkipDetail string    `json:"skip_detail,omitempty"` // why, in words
	Size       int64     `json:"size"`                  // bytes of the source
	Added      time.Time `json:"added"`                 // when first ingested
	Group      string    `json:"group,omitempty"`       // version group ID; "" if alone
	Preferred  bool      `json:"preferred,omitempty"`   // preferred member of its group
	Text       string    `json:"-"`                     // full normalised text
}

// SkipReason returns the recorded reason a document was skipped, "" if it was not.
func (d *Document) SkipReason() string {
	if d.Skip == NotSkipped {
		return ""
	}
	if d.SkipDetail != "" {
		return d.SkipDetail
	}
	return d.Skip.String()
}

// PageAt returns the page number holding byte offset off, 0 if unknown.
func (d *Document) PageAt(off int) int {
	for _, p := range d.Pages {
		if off >= p.Start && off < p.End {
			return p.N
		}
	}
	return 0
}

// SectionAt returns the heading of the section holding byte offset off.
func (d *Document) SectionAt(off int) string {
	h := ""
	for _, s := range d.Sections {
		if off >= s.Start && off < s.End {
			h = s.Heading // innermost (last starting) wins
		}
	}
	return h
}
