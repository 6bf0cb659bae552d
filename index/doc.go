// Package index is peermap's full-text index of passages, built on bleve.
//
// Input is []corpus.View (a passage, its document's metadata and its
// annotations); output of Search is *corpus.Results (hits with highlighted
// fragments, and facet counts). No bleve type appears in the API: callers
// speak corpus types only, so the engine can change without touching them.
//
// Contract:
//   - A passage is indexed under its corpus.PassageID; Add is an upsert, so
//     adding the same views twice leaves one copy. DeleteDocs removes every
//     passage of the given documents.
//   - The text is analysed twice, in English (Porter stemmer) and in French
//     (elision, light stemmer); both fold case and accents, so "mediateurs"
//     finds "médiateur" and "navigatrices" finds "navigatrice". Phrases are
//     matched on positions ("peer navigator" does not match "peer ... navigator").
//   - Filters (labels, families, codes, dimensions, languages, kinds,
//     documents) are OR within one filter and AND across filters; years are
//     an inclusive range; labels and codes come from non-negated
//     annotations, machine or human.
//   - Results are deterministic: best score first, ties in passage ID order;
//     facet buckets by count descending, then value.
//   - Search text uses bleve's query-string syntax ("phrase", +must, -not,
//     prefix*, word~1, /regexp/, label:x, year:>2010); a malformed text gives
//     ErrQuery, never a panic. An unknown field name ("diabetes: a trial")
//     is searched as a word.
//   - On disk an index is a directory, stamped with its format on Create and
//     checked on Open (ErrNoIndex, ErrFormat; corpus.ErrLocked when another
//     process holds it). Callers stamp what it was built from (SetStamps) and
//     check it (CheckStamp → ErrStale). Rebuild writes a whole new index
//     beside the old one and swaps it in only when it is complete; it uses
//     bleve's offline builder (segments written batch by batch, merged
//     once at the end), so a rebuild costs the same per passage at any
//     size and holds one batch in memory.
//   - The passage text is stored once (text_en); highlights of French
//     matches are cut from it (highlight.go).
//   - index never reads the corpus store and never logs passage text; it
//     writes only inside the directory it was given (and dir+".new",
//     dir+".new.build" and dir+".old" during Rebuild).
//
// Usage:
//
//	ix, err := index.Create(dir, index.Options{Logger: log})
//	err = ix.Add(ctx, views)
//	res, err := ix.Search(ctx, corpus.Query{Text: `"peer navigator"`, Langs: []string{"en"}})
package index
