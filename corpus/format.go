package corpus

// FormatVersion is the version of the on-disk layout of corpus.db. A store
// with another version is refused on open (ErrFormatVersion); nothing
// converts silently.
//
// Layout (version 1). corpus.db is a bbolt file with these buckets; every
// value is JSON unless said otherwise, keys are UTF-8 strings:
//
//	meta      "format" → decimal FormatVersion; "created" → RFC 3339 time
//	docs      DocID → Document without Text
//	text      DocID → raw UTF-8 text (Document.Text)
//	passages  PassageID ("<docid>/<nnnn>", so a document's passages are contiguous) → Passage
//	ann       DocID "\x00" annotator → []Annotation (machine annotations of one document, replaced as a whole)
//	annstate  DocID → codebook version the document was last annotated with
//	human     PassageID "\x00" coder → []Annotation (human codes; never written by a machine stage)
//	sources   path → Source (what became of each input file or URL)
//	runs      zero-padded run number → Run
//	groups    group ID → Group (version groups and record/full-text links)
const FormatVersion = 1
