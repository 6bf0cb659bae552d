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
//   - Sentences come from text.Sentences (one splitter for every stage); a
//     sentence of more than 60 words is cut into clauses for peer focus.
//   - Peer focus (focus.go): each sentence is about peers (it names a
//     label, a peer term, or opens with an anaphor that refers back to
//     peers, or continues a peer sentence), about another actor
//     (professionals, the study), about the people served (they open it),
//     or about no one. A passage with a peer sentence gets a
//     corpus.AnnPeer annotation whose spans are its peer sentences; its
//     codes come from its peer sentences and from its sentences about the
//     people served or about no one (what the programme gives), never
//     from sentences about other actors. A passage without a peer
//     sentence gets no code.
//   - Codes: cue patterns of each category are matched on stemmed tokens
//     (snowball English or French, by the document's language or a guess)
//     within a sentence; a negation word up to four words before a cue, in
//     the same clause, negates it; an exclusion pattern overlapping a cue
//     cancels it; a cue inside a label is not evidence (a label is a name,
//     not a description), but a label may imply codes (a support group is
//     peer-run). With the rules alone (Options.Rules, or a codebook the
//     model was not trained with) a code of a peer sentence's cue is given
//     (annotator "rules@<codebook version>"). Otherwise the learned layer
//     (Model: a logistic regression per code over the code sentences'
//     stems, bigrams, cue hits, negation, label sentences, families and
//     language; the average of its fold models, Platt-calibrated on
//     their held-out scores, the confidences recalibrated by one
//     isotonic fit over all codes, Model.Calib) decides, and the cues give the evidence spans
//     (annotator "model@<codebook version>+<8 hex of the model's hash>");
//     for the codes whose rules beat the model on the held-out folds of
//     its training (Model.RuleCodes, chosen inside Train, so that
//     cross-validation stays honest) a cue decides, with the rules'
//     training precision as confidence.
//     Each code of a passage is one annotation with its evidence spans,
//     the first rule that fired, a calibrated confidence, and the label
//     families it describes with their scope (corpus.ScopeSentence,
//     ScopeAnaphora, ScopePassage, ScopeDocument).
//   - Train fits a Model deterministically (the same examples and options
//     give the same bytes); the embedded model is what training on
//     ../shared/gold/train.jsonl gives (TestEmbeddedModel), and its
//     training set's features ship with it (DefaultTrainSet) so that
//     a workspace can refit on them plus its hand codes (HandExamples).
//     PassageScore.Uncertainty and MostUncertain order passages for hand
//     coding.
//   - Spans are byte offsets into the original passage text.
//   - Tag is deterministic: the same passages and codebook give the same
//     annotations, sorted with corpus.SortAnnotations. A Tagger is safe for
//     concurrent use.
//   - Evaluate tags the texts of a gold file and scores codes, label
//     families, is_peer, links and calibration; EvaluateLayers,
//     CrossValidate (grouped by document) and LearningCurve compare the
//     rules, the model without cue features and the combined model;
//     Agreement compares two coders (Cohen's kappa and Krippendorff's
//     alpha). ReadCodes and WriteCodes carry hand codes to and from
//     spreadsheets; human codes are never written by the tagger.
//
// annotate reads nothing but its inputs and the codebook; it never touches
// the store or the index, and imports no other stage.
//
//	tg, err := annotate.New(annotate.Default(), annotate.Options{Logger: log})
//	anns := tg.Tag(doc, passages)
package annotate
