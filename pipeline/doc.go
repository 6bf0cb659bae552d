// Package pipeline is the one place that runs peermap's stages over a
// workspace: it opens and locks the workspace, ingests files with their
// source statuses, annotates, keeps the index in step with the store,
// builds reports, checks consistency and counts what the corpus holds.
//
// Contract:
//   - A Workspace is a folder holding corpus.db (the store, the source of
//     truth), index/ (bleve, derived: rebuildable at any time),
//     dedup.sketches (each document's dedup sketch, derived: made again
//     from the store when missing or damaged), reports/, fetched/ and, once
//     a coder account exists, coders.json (CodersFile). Only one process
//     may hold a workspace for writing; readers (search, report, check,
//     stats) open it read-only beside a writer.
//   - Every stage is incremental and idempotent: a file already ingested
//     with the same bytes adds nothing; documents already annotated with the
//     active codebook (and model) are not annotated again; Index re-indexes
//     only documents whose stored views changed (corpus.Store.ViewDigest),
//     and version groups are recomputed from the kept sketches, reading
//     only the texts of candidate near duplicates.
//   - Work within a stage is parallel and bounded (extraction and export
//     workers, annotation chunks, the index reader); what is stored and
//     reported comes out in input order, whatever the number of workers.
//   - Every input ends ingested, skipped with a reason, duplicate or failed,
//     recorded as a corpus.Source; a document and its passages are stored in
//     one transaction, so a killed run loses at most the files in flight and
//     the next run goes on from there.
//   - Human codes are never written by a machine stage.
//
// pipeline imports the stages (ingest, annotate, index, report) and corpus;
// no stage imports pipeline; cmd/peermap and web call it. It never prints:
// it returns summaries and calls the Options' hooks, and logs through the
// *zap.Logger it is given.
package pipeline
