package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// FormatVersion is the version of the on-disk layout of corpus.db. A store
// of a newer version is refused on open (ErrFormatVersion: upgrade
// peermap); a store of an older version is upgraded when it is opened for
// writing (Open, with a copy of the old file kept beside it as
// corpus.db.v<N>.bak), and refused when opened read-only until then.
//
// Layout (version 2). corpus.db is a bbolt file with these buckets; every
// value is JSON unless said otherwise, keys are UTF-8 strings:
//
//	meta      "format" → decimal FormatVersion; "created" → RFC 3339 time
//	docs      DocID → Document without Text
//	text      DocID → raw UTF-8 text (Document.Text)
//	passages  "<docid>/<n: 10 digits>" → Passage (so a document's passages are contiguous and in order)
//	ann       DocID "\x00" annotator → []Annotation (machine annotations of one document, replaced as a whole)
//	annstate  DocID → codebook version the document was last annotated with
//	human     "<docid>/<n: 10 digits>" "\x00" coder → []Annotation (human codes; never written by a machine stage)
//	sources   path → Source (what became of each input file or URL)
//	runs      zero-padded run number → Run
//	groups    group ID → Group (version groups and record/full-text links)
//
// Version 1 keyed passages and human codes by the PassageID itself
// ("<docid>/<nnnn>", four digits): bbolt orders keys as bytes, so a
// document's 10,000th passage sorted before its 1,001st. Version 2 keys
// them by the ordinal in ten digits; PassageIDs, as users see them, did not
// change. The upgrade from 1 re-keys both buckets.
const FormatVersion = 2

// passageKey returns the store key of passage id: its document and its
// ordinal in ten digits, so keys sort in reading order.
func passageKey(id PassageID) string {
	n := id.N()
	if n < 0 {
		return string(id)
	}
	return fmt.Sprintf("%s/%010d", id.Doc(), n)
}

// passageOfKey is the inverse of passageKey.
func passageOfKey(k string) PassageID {
	doc, n, ok := strings.Cut(k, "/")
	if i, err := strconv.Atoi(n); ok && err == nil && i >= 0 {
		return NewPassageID(DocID(doc), i)
	}
	return PassageID(k)
}
