// Package dedup finds the documents of a corpus that are the same work:
// exact duplicates (the same record exported twice, the same DOI or PMID),
// a bibliographic record and the full text it describes, and versions of
// one work (preprint, report, journal article).
//
// It takes []*corpus.Document (metadata and Text, as the caller loaded
// them) and returns []corpus.Group: sets of two or more documents, each with
// one Preferred member (an article full text before a grey full text before
// a record, then the longer text, then the smaller ID) and the reasons that
// joined them. Grouping is deterministic: the same documents, in any order,
// give the same groups with the same IDs. MinHash uses fixed seeds and LSH
// banding, so tens of thousands of documents are grouped without comparing
// all pairs. dedup never deletes or rewrites a document; Mark only sets
// Group and Preferred on the documents it is given.
//
// A Sketch holds what grouping needs of one document (band keys of its
// text and title, text length, metadata) in a few hundred bytes, and
// GroupSketches groups sketches exactly as Groups groups documents,
// reading a text only to confirm a candidate near duplicate. Sketches
// written with AppendBinary and read with ReadSketch let a workspace group
// its whole corpus again after adding a few documents without reading
// every text: that is what makes re-running an ingest cheap.
//
// NormalizeDOI and NormalizeTitle are the one definition of "same DOI" and
// "same title" for peermap; ingest/refs uses NormalizeDOI for every record.
package dedup
