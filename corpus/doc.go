// Package corpus is peermap's model and its store: the types every stage
// speaks (Document, Passage, Annotation, Run, Query, Hit) and the bbolt file
// that holds them.
//
// Contract:
//   - A Document is identified by the SHA-256 of its source bytes (a record
//     from a reference export by the SHA-256 of the record's own bytes), so
//     ingesting the same bytes twice adds nothing.
//   - A Passage is a byte range [Start, End) of its Document's Text; its ID is
//     the document ID plus its ordinal. Passage.Text == Document.Text[Start:End].
//   - Machine annotations are replaced as a whole per document and annotator;
//     human codes live in their own bucket and are never written by a machine
//     stage.
//   - A document and all its passages are written in one transaction, so a
//     killed run leaves either all of a document or none of it.
//
// corpus imports no stage package and never logs; stages pass it data and
// read data from it.
package corpus
