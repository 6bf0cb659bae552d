package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// Input is everything a report is built from. Build reads it and never
// changes it.
type Input struct {
	Vocab     corpus.Vocabulary  // codes, families and labels of the active codebook
	Docs      []*corpus.Document // every document's metadata (Text unused), skipped ones included
	Views     []corpus.View      // every passage of every ingested document, with its annotations
	Sources   []corpus.Source    // what became of each input file
	Groups    []corpus.Group     // version groups: a group counts as one work
	Eval      *corpus.Eval       // optional annotator score, for the method note
	Annotator string             // e.g. "rules@v1+3f2a9c01"
}

// Options control a report. The zero value is ready to use.
type Options struct {
	By         string      // "label" or "family": the unit of rows; "" means "family"
	MinDocs    int         // units named in fewer works are listed apart; 0 means 2
	Top        int         // most spread units quoted, closest pairs listed (twice this); 0 means 5
	DocLinks   int         // document-scope links count in documents of at most this many passages; 0 means 3, < 0 never
	Stamp      time.Time   // zero means no timestamp anywhere in the output
	PassageURL string      // prefix of passage links in HTML; "" means DefaultPassageURL
	Logger     *zap.Logger // nil means no logging
}

// DefaultPassageURL is where `peermap serve` shows a passage by its ID.
const DefaultPassageURL = "http://localhost:8080/passage/"

// Units of rows.
const (
	ByFamily = "family"
	ByLabel  = "label"
)

// A Report is the synthesis, ready to be written in any format. Every slice
// is in a fixed order, so writing a Report is deterministic.
type Report struct {
	Title      string      `json:"title"`
	Stamp      string      `json:"stamp,omitempty"` // RFC 3339 UTC, only when Options.Stamp is set
	By         string      `json:"by"`              // "family" or "label"
	MinDocs    int         `json:"min_docs"`
	PassageURL string      `json:"passage_url"`
	Method     Method      `json:"method"`
	Flow       Flow        `json:"flow"`
	Dimensions []Dimension `json:"dimensions"` // the codebook's dimensions and codes, in codebook order
	Units      []Unit      `json:"units"`      // units named in at least MinDocs works: the rows
	Rare       []Unit      `json:"rare"`       // units named in fewer works, listed apart
	Matrices   []Matrix    `json:"matrices"`   // one per dimension: Units × codes
	Spread     []Spread    `json:"spread"`     // one per unit, most spread first
	Pairs      []Pair      `json:"pairs"`      // closest profiles first
	Evidence   []Evidence  `json:"evidence"`   // one row per work
}

// A Dimension is one question of the map with its codes.
type Dimension struct {
	ID       string   `json:"id"`
	Question string   `json:"question,omitempty"`
	Codes    []string `json:"codes"` // code IDs, codebook order, then codes seen but not in the codebook
	Names    []string `json:"names"` // short names, parallel to Codes
}

// Method is the report's method note: what produced the annotations and how
// the numbers are defined.
type Method struct {
	Codebook    string       `json:"codebook"`
	Annotator   string       `json:"annotator"`
	Annotators  []Count      `json:"annotators"` // annotations by annotator as found in the views
	Eval        *corpus.Eval `json:"eval,omitempty"`
	Definitions []Definition `json:"definitions"`
}

// A Definition names and explains one measure used in the report.
type Definition struct {
	Term string `json:"term"`
	Text string `json:"text"`
}

// A Count is a name and how many.
type Count struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

// Flow says what became of the inputs: files found, ingested, skipped and
// why, versions, passages, annotations.
type Flow struct {
	Files       int         `json:"files"`        // input files recorded (Sources)
	Statuses    []Count     `json:"statuses"`     // files by status: ingested, skipped, duplicate, failed
	FileReasons []Count     `json:"file_reasons"` // skipped or failed files by reason
	Documents   int         `json:"documents"`    // documents (a reference export yields several)
	Ingested    int         `json:"ingested"`     // documents not skipped
	Skipped     int         `json:"skipped"`      // documents skipped
	SkipReasons []Count     `json:"skip_reasons"` // skipped documents by reason
	Groups      int         `json:"groups"`       // version groups
	Grouped     int         `json:"grouped"`      // documents in a version group
	Works       int         `json:"works"`        // ingested documents counted once per group
	Passages    int         `json:"passages"`
	Annotated   int         `json:"annotated"` // passages with at least one non-negated annotation
	Labelled    int         `json:"labelled"`  // passages naming a peer label
	Coded       int         `json:"coded"`     // passages carrying a code
	Human       int         `json:"human"`     // passages with a human code
	Kinds       []Breakdown `json:"kinds"`
	Langs       []Breakdown `json:"langs"`
}

// A Breakdown counts ingested documents, works and passages of one kind or
// language.
type Breakdown struct {
	Name     string `json:"name"`
	Docs     int    `json:"docs"`
	Works    int    `json:"works"`
	Passages int    `json:"passages"`
}

// A Unit is a row of the report: a label family or a canonical label.
type Unit struct {
	Name     string `json:"name"`
	Family   string `json:"family,omitempty"` // the label's family, when rows are labels
	Works    int    `json:"works"`            // works naming it
	Passages int    `json:"passages"`         // passages naming it
	Coded    int    `json:"coded"`            // works where some code is linked to it
	Codes    []Cell `json:"codes,omitempty"`  // for rare units: the codes linked to it
}

// A Matrix is the unit × code table of one dimension.
type Matrix struct {
	Dimension string   `json:"dimension"`
	Question  string   `json:"question,omitempty"`
	Codes     []string `json:"codes"`
	Names     []string `json:"names"`
	Rows      []Row    `json:"rows"`
}

// A Row is one unit's line of a Matrix; Cells is parallel to Matrix.Codes.
type Row struct {
	Unit  string `json:"unit"`
	Works int    `json:"works"` // works naming the unit: the denominator of the cells
	Cells []Cell `json:"cells"`
}

// A Cell counts the works and passages in which a code is linked to a unit.
type Cell struct {
	Code     string `json:"code"`
	Works    int    `json:"works"`
	Passages int    `json:"passages"`
}

// A Spread says how differently the works that use a unit describe it.
type Spread struct {
	Unit     string      `json:"unit"`
	Works    int         `json:"works"`
	Score    float64     `json:"score"` // mean Entropy over the dimensions where it is defined
	Dims     []DimSpread `json:"dims"`
	Contrast *Contrast   `json:"contrast,omitempty"`
}

// A DimSpread is the spread of one unit in one dimension.
type DimSpread struct {
	Dimension     string  `json:"dimension"`
	Coded         int     `json:"coded"`         // works linking at least one code of the dimension to the unit
	Codes         int     `json:"codes"`         // distinct codes linked
	Defined       bool    `json:"defined"`       // Coded >= 2 and the dimension has >= 2 codes
	Entropy       float64 `json:"entropy"`       // normalised entropy, 0..1
	Dissimilarity float64 `json:"dissimilarity"` // mean pairwise Jaccard distance of the works' code sets, 0..1
}

// A Contrast is two passages of different works in which a unit carries
// different codes of one dimension.
type Contrast struct {
	Dimension string   `json:"dimension"`
	A         Quote    `json:"a"`
	ACodes    []string `json:"a_codes"` // codes of the dimension linked to the unit in A's work
	B         Quote    `json:"b"`
	BCodes    []string `json:"b_codes"`
}

// A Pair is two units whose code profiles are close.
type Pair struct {
	A      string   `json:"a"`
	B      string   `json:"b"`
	JSD    float64  `json:"jsd"`    // Jensen–Shannon divergence, base 2, 0..1
	Shared []string `json:"shared"` // codes in both profiles, most shared first
	QuoteA *Quote   `json:"quote_a,omitempty"`
	QuoteB *Quote   `json:"quote_b,omitempty"`
}

// An Evidence row is one work with its labels and codes by dimension.
type Evidence struct {
	Work     corpus.DocID  `json:"work"`
	Citation string        `json:"citation"`
	Kind     corpus.Kind   `json:"kind,omitempty"`
	Lang     string        `json:"lang,omitempty"`
	Versions int           `json:"versions"` // documents in the work
	Sources  []string      `json:"sources"`  // paths of the work's documents, the cited one first
	Units    []string      `json:"units"`    // units named
	Dims     []EvidenceDim `json:"dims"`     // parallel to Report.Dimensions
}

// An EvidenceDim lists the codes of one dimension found in a work.
type EvidenceDim struct {
	Dimension string         `json:"dimension"`
	Codes     []CodeEvidence `json:"codes,omitempty"`
}

// A CodeEvidence is one code of a work and where it was found.
type CodeEvidence struct {
	Code  string `json:"code"`
	Where []Loc  `json:"where"` // passages, in ID order
}

// A Loc is a passage and its place in its document.
type Loc struct {
	Passage corpus.PassageID `json:"passage"`
	Page    int              `json:"page,omitempty"`
	Section string           `json:"section,omitempty"`
}

// A Quote is a citable excerpt of a passage: Text == passage.Text[Start:End].
type Quote struct {
	Passage  corpus.PassageID `json:"passage"`
	Doc      corpus.DocID     `json:"doc"`
	Text     string           `json:"text"`
	Start    int              `json:"start"` // byte offsets into the passage text
	End      int              `json:"end"`
	Citation string           `json:"citation"`
	Authors  []string         `json:"authors,omitempty"`
	Year     int              `json:"year,omitempty"`
	Title    string           `json:"title,omitempty"`
	Page     int              `json:"page,omitempty"`
	Section  string           `json:"section,omitempty"`
}

// Quotes returns every quote in r, in the order they appear in it.
func (r *Report) Quotes() []Quote {
	var out []Quote
	for _, s := range r.Spread {
		if s.Contrast != nil {
			out = append(out, s.Contrast.A, s.Contrast.B)
		}
	}
	for _, p := range r.Pairs {
		if p.QuoteA != nil {
			out = append(out, *p.QuoteA)
		}
		if p.QuoteB != nil {
			out = append(out, *p.QuoteB)
		}
	}
	return out
}

// Build computes the report from in. It returns an error only for bad
// options or a cancelled ctx.
func Build(ctx context.Context, in Input, opts Options) (*Report, error) {
	if opts.By == "" {
		opts.By = ByFamily
	}
	if opts.By != ByFamily && opts.By != ByLabel {
		return nil, fmt.Errorf("build report: unknown unit %q (want %q or %q)", opts.By, ByFamily, ByLabel)
	}
	if opts.MinDocs <= 0 {
		opts.MinDocs = 2
	}
	if opts.DocLinks == 0 {
		opts.DocLinks = 3
	}
	if opts.Top <= 0 {
		opts.Top = 5
	}
	if opts.PassageURL == "" {
		opts.PassageURL = DefaultPassageURL
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	b := newBuilder(in, opts)
	if err := b.scan(ctx); err != nil {
		return nil, err
	}
	r := &Report{
		Title:      "Peer labels and the roles they hide",
		By:         opts.By,
		MinDocs:    opts.MinDocs,
		PassageURL: opts.PassageURL,
	}
	if !opts.Stamp.IsZero() {
		r.Stamp = opts.Stamp.UTC().Format(time.RFC3339)
	}
	r.Dimensions = b.dimensionsCache()
	r.Method = b.method()
	r.Flow = b.flow()
	r.Units, r.Rare = b.units()
	r.Matrices = b.matrices(r.Dimensions, r.Units)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	r.Spread = b.spread(r.Dimensions, r.Units)
	r.Pairs = b.pairs(r.Units)
	r.Evidence = b.evidence(r.Dimensions)
	nonNil(r)
	log.Debug("report built",
		zap.Int(corpus.LogKeyCount, len(in.Views)),
		zap.Int("units", len(r.Units)),
		zap.Int("rare", len(r.Rare)),
		zap.Int("pairs", len(r.Pairs)),
		zap.Int("works", r.Flow.Works))
	return r, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// counts turns a tally into Counts, most first, then by name.
func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.N, a.N); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// nonNil replaces r's nil slices with empty ones, so JSON has [] rather
// than null for an empty table.
func nonNil(r *Report) {
	orEmpty(&r.Method.Annotators)
	orEmpty(&r.Flow.Statuses)
	orEmpty(&r.Flow.FileReasons)
	orEmpty(&r.Flow.SkipReasons)
	orEmpty(&r.Flow.Kinds)
	orEmpty(&r.Flow.Langs)
	orEmpty(&r.Dimensions)
	orEmpty(&r.Units)
	orEmpty(&r.Rare)
	orEmpty(&r.Matrices)
	orEmpty(&r.Spread)
	orEmpty(&r.Pairs)
	orEmpty(&r.Evidence)
}

func orEmpty[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}
