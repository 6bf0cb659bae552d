package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// A PassageID is a DocID, a slash and the passage's 0-based ordinal in its
// document, zero-padded to four digits: "3f9a…e1/0007".
type PassageID string

// NewPassageID returns the ID of the n-th passage of doc.
func NewPassageID(doc DocID, n int) PassageID {
	return PassageID(fmt.Sprintf("%s/%04d", doc, n))
}

// Doc returns the document part of id.
func (id PassageID) Doc() DocID {
	s := string(id)
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return DocID(s[:i])
	}
	return DocID(s)
}

// N returns the ordinal part of id, or -1 if id is malformed.
func (id PassageID) N() int {
	s := string(id)
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return -1
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return -1
	}
	return n
}

// Short returns a display form: the short doc ID and the ordinal.
func (id PassageID) Short() string {
	return fmt.Sprintf("%s/%04d", id.Doc().Short(), id.N())
}

// A Span is a byte range [Start, End) of a passage's Text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// A Passage is a paragraph-sized unit of a document: the unit that is
// annotated, indexed, searched and quoted.
type Passage struct {
	ID      PassageID `json:"id"`
	Doc     DocID     `json:"doc"`
	N       int       `json:"n"`                 // 0-based ordinal in the document
	Section string    `json:"section,omitempty"` // heading it sits under
	Page    int       `json:"page,omitempty"`    // 1-based page of Start, 0 if unpaged
	Start   int       `json:"start"`             // byte offset into Document.Text
	End     int       `json:"end"`               // exclusive
	Text    string    `json:"text"`              // Document.Text[Start:End]
}
