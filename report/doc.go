// Package report turns an annotated corpus into the synthesis a researcher
// reads and cites: which names are used for peers, which roles, pathways,
// settings, knowledge, populations and relationships each name covers,
// which names hide very different practices, and which different names
// describe the same practice, each backed by quotes with citations.
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
// (every map is read in sorted order; there is no timestamp unless
// Options.Stamp is set). Every Quote satisfies
// Quote.Text == passage.Text[Quote.Start:Quote.End] and carries its
// citation (first author et al., year, title, page or section or
// paragraph, passage ID); Report.Quotes lists them all.
//
// # Sections
//
//  1. Corpus flow: files by status and reason, documents ingested and
//     skipped by reason, version groups and works, passages and annotated
//     passages, by kind and language.
//  2. Unit × code matrix per dimension, counting works and passages.
//  3. Units that hide different roles: spread per dimension (normalised
//     entropy and dissimilarity) and, for the most spread, two contrasting
//     quotes from different works.
//  4. Different names, same role: unit pairs with the closest code
//     profiles (Jensen–Shannon divergence), with one quote each.
//  5. Evidence table: work × dimension, codes with where they were found.
//  6. Method note: codebook version, annotator, eval scores, definitions.
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
// 2) are listed apart (Report.Rare) and left out of sections 2–4.
//
// Link. A code annotation's Links (the label families the annotator
// attached it to) are the primary link between codes and units: the code
// describes the units named in its passage whose family is in Links, or,
// when none is named in the passage, the units named elsewhere in the same
// document whose family is in Links (the annotator's document-scope link)
// but only in a short document, of at most Options.DocLinks passages
// (default 3: a record's title and abstract, a short web page). In a long
// article a label named once, in the discussion or the references, would
// otherwise take every code of the whole text; measured on the shared peer
// corpus, counting those links made every family's profile nearly uniform
// (spread 0.8–0.9, all pairwise JSD ≤ 0.04).
// A code annotation with no Links and no LinkScope (a human code, or an
// annotator that does not link) describes every unit named in its passage;
// one with a LinkScope but no Links describes none. Negated annotations
// count for nothing.
//
// Entropy. For unit U and dimension D, let S_w be the set of D-codes linked
// to U in work w, over the n works naming U with S_w non-empty. Each work
// weighs 1, split evenly among its codes:
//
//	p(c) = (1/n) Σ_w [c ∈ S_w] / |S_w|
//
// and the normalised entropy is H/log k with H = -Σ_c p(c) log p(c) and k
// the number of codes of D (codebook codes plus any unknown codes seen). It
// is defined when n ≥ 2 and k ≥ 2; 0 means every work gives U the same one
// code, 1 means the works spread evenly over all of D. A unit's spread score
// is the mean over the dimensions where it is defined; units are ranked by
// it. Dissimilarity is the mean over pairs of coded works of the Jaccard
// distance 1 - |S_a ∩ S_b| / |S_a ∪ S_b|. The contrasting quotes come from
// the two works whose code sets differ most (largest Jaccard distance) in
// any dimension where the entropy is defined; ties go to the dimension of
// higher entropy, then to codebook order, then to the first pair in work ID
// order. Each work is quoted at its first passage (in passage ID order)
// where a code that the other work lacks is linked to the unit. Quotes are
// given for the Options.Top (default 5) most spread units that have such a
// pair.
//
// JSD. A unit's profile P is, over every code of every dimension, the
// number of works in which the code is linked to it, normalised to sum to
// 1. Two units are compared by the Jensen–Shannon divergence
//
//	JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),  M = ½ (P + Q)
//
// with base-2 logarithms, so 0 ≤ JSD ≤ 1 (0: same profile; 1: no code in
// common). Pairs sharing no code are not listed; the 2×Options.Top closest
// are, each quoted at a passage where their most shared code describes it
// (from different works when possible).
//
// Quote. The whole passage when it is at most 320 bytes; otherwise the
// sentence(s) around the code's evidence span and the unit's label span
// (when both fit in 700 bytes, else the code's sentence alone).
//
// # Formats
//
// Markdown: GitHub-flavoured tables and block quotes. HTML: one
// self-contained file (inline CSS, an inline SVG heatmap of unit × code
// with one rect.cell per matrix cell, no script, no external asset, a print
// style sheet); each quote links to Options.PassageURL + passage ID. CSV:
// one tidy (long) table with the columns table, dimension, row, column,
// measure, value, described beside CSV. JSON: the Report itself, indented.
// Small counts are written as counts ("3 of 7 (5)": works out of the works
// naming the unit, passages in brackets), never as bare percentages.
//
// # Usage
//
//	r, err := report.Build(ctx, report.Input{Vocab: v, Docs: docs, Views: views,
//		Sources: srcs, Groups: groups, Annotator: "rules@" + v.Version}, report.Options{})
//	if err != nil { ... }
//	err = report.HTML(w, r)
package report
