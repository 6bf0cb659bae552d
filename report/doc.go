// Package report turns an annotated corpus into the synthesis a researcher
// reads and cites: which names are used for peers, which configurations of
// roles, settings, knowledge, populations, pathways and relationships each
// name covers, which names hide different configurations and which
// configurations go by several names, each said in plain sentences and
// backed by quotes with citations.
//
// # Contract
//
// Build takes an Input (the codebook's Vocabulary, every Document's
// metadata, every passage as a corpus.View with its machine and human
// annotations, the Sources, the version Groups and an optional Eval) and
// returns a *Report. Markdown, HTML, CSV and JSON write a Report to an
// io.Writer. report imports corpus only (never annotate, index or ingest),
// does no I/O but writing to the writer it is given, and is deterministic:
// the same Input and Options give byte-identical output in every format
// (every map is read in sorted order, clustering has no random start, and
// there is no timestamp unless Options.Stamp is set). Every Quote satisfies
// Quote.Text == passage.Text[Quote.Start:Quote.End], starts at a sentence
// start, ends at a sentence end (or is marked Trimmed), holds no heading,
// and holds both the label mention it stands for (Quote.LabelAt) and the
// evidence of its code (Quote.Evidence); it carries its citation (first
// author et al., year, title, page or section or paragraph, passage ID).
// Report.Quotes lists them all.
//
// # Sections
//
//  1. Findings: for each unit named in at least Options.FindingWorks works,
//     a sentence naming the configurations it covers; for each
//     configuration, a sentence naming the units (and canonical labels) it
//     goes by. Each sentence cites its works and links to its quotes.
//  2. Configurations: each with its defining and common codes, its works,
//     the units it goes by with one quote each; the unit × configuration
//     crosswalk as a table and, in HTML, a heatmap.
//  3. Corpus flow: files by status and reason, documents ingested and
//     skipped by reason, version groups and works, passages, by kind and
//     language.
//  4. Unit × code matrix per dimension, counting works and passages.
//  5. Evidence table: work × dimension, each code with its passage count
//     and first place (every place in CSV and JSON).
//  6. Method note: codebook, annotator, links counted and refused, the
//     clustering and its silhouettes, the quote audit, eval scores,
//     supporting figures (spread of each unit by normalised entropy with
//     contrasting quotes; closest units by Jensen–Shannon divergence with
//     quotes) and definitions.
//
// # Definitions
//
// Work. A document counted once per version group: a corpus.Group (or,
// failing that, documents sharing Document.Group) counts as one work, named
// by its Preferred member. Works are the unit of every "n of m" count;
// passage counts are raw (every passage of every version).
//
// Unit. The rows are label families (Options.By "family", the default) or
// canonical labels ("label"). A unit is named in a passage by a non-negated
// label annotation. Units named in fewer than Options.MinDocs works (default
// 2) are listed apart (Report.Rare) and left out of the matrices.
//
// Link. A code counts for a label only where the text ties them (see
// builder.holds): a machine code of LinkScope "sentence" whose evidence
// lies in a sentence that names a label of its Links; of LinkScope
// "anaphora", also a label named in the sentence just before; in a
// title+abstract record (corpus.KindRecord), a code of any scope and the
// labels of its Links named anywhere in the record. Passage- and
// document-scope links in articles and grey literature count for nothing:
// measured on the shared peer corpus, they made every family's profile
// nearly uniform, and they put quotes under the wrong label. Sentences are
// those of text.Sentences, headings excluded. Machine codes count only
// with Confidence ≥ Options.MinConfidence (DefaultMinConfidence, 0.5: the
// confidence is a calibrated probability); the human codes of a passage
// replace its machine codes, and describe the labels of their Links named
// in the passage (every label named there when they have none). Negated
// annotations count for nothing.
//
// Profile and configuration. A profile is the set of codes one work links
// to one unit; profiles with fewer than two codes are left out. Profiles
// are clustered by average linkage (UPGMA, nearest-neighbour chain) on the
// Gower dissimilarity over the six dimensions: the mean, over the
// dimensions in which both profiles have a code, of the Jaccard distance
// of their codes there (1 when they share no dimension), so that what a
// work does not say is unknown rather than different. The dendrogram is
// cut into k clusters, 2 ≤ k ≤ Options.MaxConfigs, with the highest mean
// silhouette (ties to fewer clusters; one cluster when no cut scores above
// 0). A code is defining for a configuration when more than half of its
// profiles carry it and at most half that share of the other profiles do;
// the configuration's summary puts its defining codes in words with the
// codebook's category names. A unit names a configuration when one of its
// profiles is in it.
//
// Entropy, dissimilarity, JSD (supporting figures). For unit U and
// dimension D, S_w is the set of D-codes linked to U in work w, over the n
// works naming U with S_w non-empty; each work weighs 1, split evenly among
// its codes, p(c) = (1/n) Σ_w [c ∈ S_w] / |S_w|, and the normalised entropy
// is H/log k (k codes in D), defined when n ≥ 2 and k ≥ 2. Dissimilarity is
// the mean pairwise Jaccard distance of the S_w. A unit's profile P over
// all codes counts the works linking each code to it, normalised; two
// units are compared by JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = ½(P + Q),
// base 2.
//
// # Formats
//
// Markdown: GitHub-flavoured tables and block quotes, each quote with an
// anchor (<a id="q1">) the Findings link to. HTML: one self-contained file
// (inline CSS, inline SVG heatmaps of unit × configuration and unit × code
// with one rect.cell per cell, no script, no external asset, a print style
// sheet); each quote links to its passage at Options.BaseURL + "passage/"
// + passage ID, a relative link by default that works under `peermap
// serve`'s /report page. CSV: one tidy (long) table with the columns table,
// dimension, row, column, measure, value, described beside CSV. JSON: the
// Report itself, indented. Small counts are written as counts ("3 of 7
// (5)": works out of the works naming the unit, passages in brackets),
// never as bare percentages.
//
// # Usage
//
//	r, err := report.Build(ctx, report.Input{Vocab: v, Docs: docs, Views: views,
//		Sources: srcs, Groups: groups, Annotator: "rules@" + v.Version}, report.Options{})
//	if err != nil { ... }
//	err = report.HTML(w, r)
package report
