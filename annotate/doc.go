// Package annotate tags passages with the peer labels they name and the
// codes of the peer-support map (six dimensions: knowledge, population,
// role, pathway, setting, relationship), following a codebook, and
// measures the tagger against hand coding.
//
// Contract:
//   - The codebook is data: codebook.yaml is embedded (Default) and a
//     user's file replaces it (LoadCodebook), validated with errors that
//     name the line. Its Version is "<release>+<8 hex of the SHA-256 of the
//     canonical YAML>"; every annotation records it, so a changed codebook
//     is detected and passages are re-annotated. The format is described
//     in doc/codebook.md.
//   - Labels: one left-to-right pass over normalised tokens (lower case,
//     accents removed, hyphens and apostrophes as word breaks, plural s
//     dropped) through a trie of every variant finds the longest label at
//     each position, on word boundaries, in English and French. Hard
//     negatives sit in the same trie and are never counted. Abbreviations
//     (CHW, LHW, PSW, CPS, ASHA) count only in capitals as a word, with or
//     without a plural s. A negated mention ("no peer navigator") is kept
//     with Negated set.
//   - Codes: cue patterns of each category are matched on stemmed tokens
//     (snowball English or French, by the document's language or a guess)
//     within a sentence; a negation word up to four words before a cue, in
//     the same clause, negates it; an exclusion pattern overlapping a cue
//     cancels it; a cue inside a label is not evidence (a label is a name,
//     not a description), but a label may imply codes (a support group is
//     peer-run). Each code of a passage is one annotation with all its
//     evidence spans, the first rule that fired, a confidence, and the
//     label families it describes: those of its sentence, else of its
//     passage, else of the document (LinkScope says which).
//   - Spans are byte offsets into the original passage text.
//   - Tag is deterministic: the same passages and codebook give the same
//     annotations, sorted with corpus.SortAnnotations. A Tagger is safe for
//     concurrent use.
//   - Evaluate tags the texts of a gold file and scores codes and label
//     families; Agreement compares two coders (Cohen's kappa and
//     Krippendorff's alpha). ReadCodes and WriteCodes carry hand codes to
//     and from spreadsheets; human codes are never written by the tagger.
//
// annotate reads nothing but its inputs and the codebook; it never touches
// the store or the index, and imports no other stage.
//
//	tg, err := annotate.New(annotate.Default(), annotate.Options{Logger: log})
//	anns := tg.Tag(doc, passages)
package annotate
