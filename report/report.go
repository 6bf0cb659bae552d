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
	By            string      // "label" or "family": the unit of rows; "" means "family"
	MinDocs       int         // units named in fewer works are listed apart; 0 means 2
	FindingWorks  int         // units named in fewer works get no sentence of their own in Findings; 0 means 3
	Top           int         // most spread units quoted, closest pairs listed (twice this); 0 means 5
	MinConfidence float64     // machine codes of lower confidence count for nothing; 0 means DefaultMinConfidence, < 0 keeps all
	MaxConfigs    int         // most configurations the cut may make; 0 means 10
	Stamp         time.Time   // zero means no timestamp anywhere in the output
	BaseURL       string      // prefix of passage links in HTML ("http://host:8080/"); "" means relative links (passage/ID)
	Logger        *zap.Logger // nil means no logging
}

// DefaultMinConfidence is the confidence a machine code needs to count. The
// annotator's Confidence is a calibrated probability that the code is right
// (annotate's contract), so 0.5 keeps the codes that are more likely right
// than wrong and drops the others: the Bayes decision at equal costs. A
// review that prefers fewer but surer links raises it (-min-confidence).
const DefaultMinConfidence = 0.5

// Units of rows.
const (
	ByFamily = "family"
	ByLabel  = "label"
)

// A Report is the synthesis, ready to be written in any format. Every slice
// is in a fixed order, so writing a Report is deterministic.
type Report struct {
	Title          string          `json:"title"`
	Stamp          string          `json:"stamp,omitempty"` // RFC 3339 UTC, only when Options.Stamp is set
	By             string          `json:"by"`              // "family" or "label"
	MinDocs        int             `json:"min_docs"`
	FindingWorks   int             `json:"finding_works"`
	MinConfidence  float64         `json:"min_confidence"`
	BaseURL        string          `json:"base_url"`
	Findings       []Finding       `json:"findings"`       // plain sentences, first in every format
	Configurations []Configuration `json:"configurations"` // clusters of label-in-work profiles, most works first
	Crosswalk      []CrossRow      `json:"crosswalk"`      // unit × configuration, in Units order
	Method         Method          `json:"method"`
	Flow           Flow            `json:"flow"`
	Dimensions     []Dimension     `json:"dimensions"` // the codebook's dimensions and codes, in codebook order
	Units          []Unit          `json:"units"`      // units named in at least MinDocs works: the rows
	Rare           []Unit          `json:"rare"`       // units named in fewer works, listed apart
	Matrices       []Matrix        `json:"matrices"`   // one per dimension: Units × codes
	Spread         []Spread        `json:"spread"`     // one per unit, most spread first
	Pairs          []Pair          `json:"pairs"`      // closest profiles first
	Evidence       []Evidence      `json:"evidence"`   // one row per work
}

// A Finding is one sentence of the Findings section, with the works it
// rests on and the quotes that show it.
type Finding struct {
	Kind    string   `json:"kind"`    // FindingUnit, FindingConfiguration or FindingSummary
	Subject string   `json:"subject"` // the unit or the configuration ID the sentence is about
	Text    string   `json:"text"`    // the sentence, citations included
	Configs []string `json:"configurations,omitempty"`
	Units   []string `json:"units,omitempty"`
	Works   []Cite   `json:"works"`  // every work the sentence rests on, in citation order
	Quotes  []string `json:"quotes"` // IDs of the quotes that show it (Quote.ID)
}

// Kinds of Finding.
const (
	FindingSummary       = "summary"       // what was clustered and found
	FindingUnit          = "unit"          // the configurations a unit names
	FindingConfiguration = "configuration" // the units a configuration goes by
)

// A Cite is a work as cited in the text: "Okafor & Whitcombe 2021".
type Cite struct {
	Work corpus.DocID `json:"work"`
	Text string       `json:"text"`
}

// A Configuration is a cluster of label-in-work profiles: works that give
// a label the same kind of role, whatever the label.
type Configuration struct {
	ID       string       `json:"id"`       // "A", "B", … in order of works, then profiles
	Summary  string       `json:"summary"`  // the defining codes in words
	Defining []Share      `json:"defining"` // codes in most members and rare elsewhere
	Common   []Share      `json:"common"`   // codes in most members but frequent elsewhere too
	Profiles int          `json:"profiles"` // label-in-work profiles in it
	Works    []Cite       `json:"works"`    // works with a profile in it
	Units    []ConfigUnit `json:"units"`    // the units it goes by, most works first
}

// A Share is how often a code occurs inside a configuration and outside.
type Share struct {
	Code string  `json:"code"`
	Name string  `json:"name"`
	In   float64 `json:"in"`  // share of the configuration's profiles with the code
	Out  float64 `json:"out"` // share of the other profiles with the code
}

// A ConfigUnit is one unit a configuration goes by.
type ConfigUnit struct {
	Unit   string  `json:"unit"`
	Works  []Cite  `json:"works"`
	Labels []Count `json:"labels"`          // canonical labels used, with their works
	Quote  *Quote  `json:"quote,omitempty"` // the label with a defining code of the configuration
}

// A CrossRow is one unit's line of the crosswalk: works per configuration.
type CrossRow struct {
	Unit  string `json:"unit"`
	Works int    `json:"works"` // works naming the unit
	Cells []int  `json:"cells"` // parallel to Report.Configurations: the unit's works in it
}

// A Dimension is one question of the map with its codes.
type Dimension struct {
	ID       string   `json:"id"`
	Question string   `json:"question,omitempty"`
	Codes    []string `json:"codes"` // code IDs, codebook order, then codes seen but not in the codebook
	Names    []string `json:"names"` // short names, parallel to Codes
}

// Method is the report's method note: what produced the annotations, which
// links were counted, how the configurations were found and how the
// numbers are defined.
type Method struct {
	Codebook    string       `json:"codebook"`
	Annotator   string       `json:"annotator"`
	Annotators  []Count      `json:"annotators"` // annotations by annotator as found in the views
	Eval        *corpus.Eval `json:"eval,omitempty"`
	Links       Links        `json:"links"`
	Clustering  Clustering   `json:"clustering"`
	Quotes      QuoteAudit   `json:"quotes"`
	Definitions []Definition `json:"definitions"`
}

// Links counts the code annotations by what became of them.
type Links struct {
	Holding    int `json:"holding"`    // links counted (label, code, passage)
	Sentence   int `json:"sentence"`   // of which label and evidence share a sentence
	Anaphora   int `json:"anaphora"`   // of which the label is in the sentence before
	Human      int `json:"human"`      // of which from human codes
	Record     int `json:"record"`     // of which work-wide in a title+abstract record
	Confidence int `json:"confidence"` // machine codes below the minimum confidence
	Overridden int `json:"overridden"` // machine codes of passages with human codes
	Scope      int `json:"scope"`      // machine codes linked at passage or document scope outside records
	Geometry   int `json:"geometry"`   // sentence or anaphora links whose label is not where the scope says
}

// Clustering says how the configurations were found.
type Clustering struct {
	Profiles   int      `json:"profiles"`   // label-in-work profiles clustered
	Works      int      `json:"works"`      // works they come from
	Distinct   int      `json:"distinct"`   // distinct code sets among them
	Thin       int      `json:"thin"`       // profiles with fewer than minCodes codes, left out
	K          int      `json:"k"`          // configurations chosen
	Silhouette float64  `json:"silhouette"` // mean silhouette of the cut chosen
	Tried      []KScore `json:"tried"`      // every cut tried
}

// A KScore is the mean silhouette of a cut into K clusters.
type KScore struct {
	K          int     `json:"k"`
	Silhouette float64 `json:"silhouette"`
}

// QuoteAudit counts the report's quotes by what they hold.
type QuoteAudit struct {
	Quotes    int `json:"quotes"`    // quotes in the report
	Sentences int `json:"sentences"` // of which whole sentences
	Trimmed   int `json:"trimmed"`   // of which trimmed after the label and the evidence (…)
	Anaphora  int `json:"anaphora"`  // of which the label is in the sentence before the evidence
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
	Annotated   int         `json:"annotated"` // passages with at least one label, counted code or peer annotation
	Peer        int         `json:"peer"`      // passages the annotator judged to speak about peers
	Labelled    int         `json:"labelled"`  // passages naming a peer label
	Coded       int         `json:"coded"`     // passages carrying a code that counts (confidence, human override)
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
	Code     string `json:"code"`
	Passages int    `json:"passages"` // passages of the work carrying it
	Where    []Loc  `json:"where"`    // those passages, the preferred version's first, in ID order
}

// A Loc is a passage and its place in its document.
type Loc struct {
	Passage corpus.PassageID `json:"passage"`
	Page    int              `json:"page,omitempty"`
	Section string           `json:"section,omitempty"`
}

// A Quote is a citable excerpt of a passage: Text == passage.Text[Start:End].
// It starts at a sentence start and ends at a sentence end, or after the
// label and the evidence with Trimmed set (writers add "…"); it holds no
// heading, and it holds both the label mention (LabelAt) and the code's
// evidence (Evidence).
type Quote struct {
	ID       string           `json:"id"` // "q1", "q2", … in the order of Report.Quotes
	Passage  corpus.PassageID `json:"passage"`
	Doc      corpus.DocID     `json:"doc"`
	Text     string           `json:"text"`
	Start    int              `json:"start"` // byte offsets into the passage text
	End      int              `json:"end"`
	Trimmed  bool             `json:"trimmed,omitempty"`
	Unit     string           `json:"unit"`               // the row the quote stands for
	Label    string           `json:"label"`              // the canonical label named
	Code     string           `json:"code"`               // the code shown
	Scope    string           `json:"scope"`              // sentence, anaphora, human or record
	LabelAt  corpus.Span      `json:"label_at"`           // the label mention, offsets into the passage text
	Evidence *corpus.Span     `json:"evidence,omitempty"` // the code's evidence; nil for a human code without span
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
	r.eachQuote(func(q *Quote) { out = append(out, *q) })
	return out
}

// eachQuote calls f with every quote of r, in order: configurations, spread
// contrasts, pairs.
func (r *Report) eachQuote(f func(*Quote)) {
	for i := range r.Configurations {
		for j := range r.Configurations[i].Units {
			if q := r.Configurations[i].Units[j].Quote; q != nil {
				f(q)
			}
		}
	}
	for i := range r.Spread {
		if c := r.Spread[i].Contrast; c != nil {
			f(&c.A)
			f(&c.B)
		}
	}
	for i := range r.Pairs {
		if r.Pairs[i].QuoteA != nil {
			f(r.Pairs[i].QuoteA)
		}
		if r.Pairs[i].QuoteB != nil {
			f(r.Pairs[i].QuoteB)
		}
	}
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
	if opts.FindingWorks <= 0 {
		opts.FindingWorks = 3
	}
	if opts.Top <= 0 {
		opts.Top = 5
	}
	switch {
	case opts.MinConfidence == 0:
		opts.MinConfidence = DefaultMinConfidence
	case opts.MinConfidence < 0:
		opts.MinConfidence = 0
	case opts.MinConfidence > 1:
		return nil, fmt.Errorf("build report: minimum confidence %g is above 1", opts.MinConfidence)
	}
	if opts.MaxConfigs <= 0 {
		opts.MaxConfigs = 10
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
		Title:         "Peer labels and the roles they hide",
		By:            opts.By,
		MinDocs:       opts.MinDocs,
		FindingWorks:  opts.FindingWorks,
		MinConfidence: opts.MinConfidence,
		BaseURL:       opts.BaseURL,
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
	var err error
	if r.Configurations, r.Method.Clustering, err = b.configurations(ctx); err != nil {
		return nil, err
	}
	r.Crosswalk = crosswalk(r.Units, r.Rare, r.Configurations)
	r.Spread = b.spread(r.Dimensions, r.Units)
	r.Pairs = b.pairs(r.Units)
	r.Evidence = b.evidence(r.Dimensions)
	n := 0
	r.eachQuote(func(q *Quote) {
		n++
		q.ID = fmt.Sprintf("q%d", n)
	})
	r.Findings = b.findings(r)
	r.Method.Quotes = audit(r)
	nonNil(r)
	log.Debug("report built",
		zap.Int(corpus.LogKeyCount, len(in.Views)),
		zap.Int("units", len(r.Units)),
		zap.Int("configurations", len(r.Configurations)),
		zap.Int("rare", len(r.Rare)),
		zap.Int("pairs", len(r.Pairs)),
		zap.Int("works", r.Flow.Works))
	return r, nil
}

// audit counts the quotes of r by what they hold.
func audit(r *Report) QuoteAudit {
	var a QuoteAudit
	r.eachQuote(func(q *Quote) {
		a.Quotes++
		if q.Trimmed {
			a.Trimmed++
		} else {
			a.Sentences++
		}
		if q.Scope == scopeAnaphora {
			a.Anaphora++
		}
	})
	return a
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
	orEmpty(&r.Findings)
	orEmpty(&r.Configurations)
	orEmpty(&r.Crosswalk)
	orEmpty(&r.Method.Annotators)
	orEmpty(&r.Method.Clustering.Tried)
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
