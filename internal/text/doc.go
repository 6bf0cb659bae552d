// Package text holds the text rules that several stages need, each defined
// once: accent folding (Fold, Key), sentence boundaries with the English and
// French abbreviation list (Sentences, Bounds, Widen), the citation of a work
// (Work, Cite, CiteAt, Place), DOI normalisation (DOI), and the normalisation
// of extracted text (Normalize, Dehyphenate, FixAccents), and package-level
// regular expressions compiled when first used (Regexp).
//
// Contract: every function is pure, deterministic and safe for concurrent
// use; offsets are byte offsets into the string given, always on rune
// boundaries; nothing here reads files, logs or imports a peermap package.
// A stage that needs one of these rules calls it here and never keeps a
// copy of its own (a test in the module root looks for copies).
package text
