package corpus

// A Vocabulary is what stages other than annotate need to know of the active
// codebook: its version, its codes and its label families. annotate builds it
// from the codebook; index and report read it (they never import annotate).
type Vocabulary struct {
	Version  string      `json:"version"`  // codebook version, e.g. "v1+3f2a9c01"
	Codes    []CodeInfo  `json:"codes"`    // in codebook order
	Families []string    `json:"families"` // label families, in codebook order
	Labels   []LabelInfo `json:"labels"`   // canonical labels, in codebook order
}

// A CodeInfo describes one code of the map.
type CodeInfo struct {
	ID         string `json:"id"`        // "role.navigation"
	Dimension  string `json:"dimension"` // "role"
	Name       string `json:"name"`      // short human name, e.g. "navigation"
	Question   string `json:"question"`  // the dimension's question
	Definition string `json:"definition,omitempty"`
}

// A LabelInfo is one canonical peer label and its family.
type LabelInfo struct {
	Label  string `json:"label"`
	Family string `json:"family"`
}

// An Eval summarises how the annotator scored against a gold file, for the
// report's method note.
type Eval struct {
	Gold    string             `json:"gold"` // gold file
	N       int                `json:"n"`    // passages scored
	MicroF1 float64            `json:"micro_f1"`
	MacroF1 float64            `json:"macro_f1"`
	LabelF1 float64            `json:"label_f1"`
	Kappa   map[string]float64 `json:"kappa"` // by dimension
}
