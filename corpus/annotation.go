package corpus

import (
	"cmp"
	"slices"
	"strings"
)

// Dimensions lists the six questions of the peer-support map, in the
// codebook's order. A code is "dimension.category", e.g. "role.navigation".
var Dimensions = []string{"knowledge", "population", "role", "pathway", "setting", "relationship"}

// Dimension returns the dimension part of a code ("role" for "role.navigation").
func Dimension(code string) string {
	if i := strings.IndexByte(code, '.'); i >= 0 {
		return code[:i]
	}
	return code
}

// Annotation kinds.
const (
	AnnLabel = "label" // a peer label is named: Label and Family are set
	AnnCode  = "code"  // a code of the map applies: Code is set
	// AnnPeer: the passage speaks about peers. A machine annotator writes one
	// per passage it judges so, with Confidence the calibrated probability
	// and Spans the peer sentences; no AnnPeer annotation means the passage
	// is not about peers.
	AnnPeer = "peer"
)

// Link scopes of a code annotation: how far from its evidence the label
// families of Links were found.
const (
	ScopeSentence = "sentence" // a label is named in the sentence that carries the code
	ScopeAnaphora = "anaphora" // the sentence's subject ("They ...") carries the label of the sentence before
	ScopePassage  = "passage"  // a label is named elsewhere in the passage (weaker)
	ScopeDocument = "document" // a label is named elsewhere in the document (weakest)
)

// An Annotation says that a passage names a peer label or carries a code of
// the map, with the evidence for it.
type Annotation struct {
	Passage    PassageID `json:"passage"`
	Type       string    `json:"type"`                 // AnnLabel, AnnCode or AnnPeer
	Code       string    `json:"code,omitempty"`       // "role.navigation"; for AnnCode
	Label      string    `json:"label,omitempty"`      // canonical label, e.g. "peer navigator"; for AnnLabel
	Family     string    `json:"family,omitempty"`     // label family; for AnnLabel
	Negated    bool      `json:"negated,omitempty"`    // "no peer navigator was involved"
	Spans      []Span    `json:"spans,omitempty"`      // evidence, byte offsets into Passage.Text
	Rule       string    `json:"rule,omitempty"`       // the rule that fired
	Annotator  string    `json:"annotator"`            // "model@<codebook version>+<8 hex of the weights' hash>", "rules@<codebook version>" or "human:<coder>"
	Codebook   string    `json:"codebook,omitempty"`   // codebook version hash
	Confidence float64   `json:"confidence,omitempty"` // 0..1; for machine codes and AnnPeer a calibrated probability
	Links      []string  `json:"links,omitempty"`      // for AnnCode: label families the code describes
	LinkScope  string    `json:"link_scope,omitempty"` // for AnnCode with Links: ScopeSentence, ScopeAnaphora, ScopePassage or ScopeDocument
	Note       string    `json:"note,omitempty"`       // a coder's memo on this code (REFI-QDA Note)
}

// Human reports whether a is a human code.
func (a Annotation) Human() bool { return strings.HasPrefix(a.Annotator, "human:") }

// Compare orders annotations by passage, type, code, label, first span, rule.
func (a Annotation) Compare(b Annotation) int {
	if c := cmp.Compare(a.Passage, b.Passage); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Family, b.Family); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Label, b.Label); c != 0 {
		return c
	}
	as, bs := -1, -1
	if len(a.Spans) > 0 {
		as = a.Spans[0].Start
	}
	if len(b.Spans) > 0 {
		bs = b.Spans[0].Start
	}
	if c := cmp.Compare(as, bs); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Annotator, b.Annotator); c != 0 {
		return c
	}
	return cmp.Compare(a.Rule, b.Rule)
}

// SortAnnotations sorts as in place by Annotation.Compare.
func SortAnnotations(as []Annotation) { slices.SortFunc(as, Annotation.Compare) }

// A View is a passage with what index and report need to know about it: the
// metadata of its document (without Text) and its annotations, machine and
// human.
type View struct {
	Passage     Passage      `json:"passage"`
	Doc         *Document    `json:"doc"`
	Annotations []Annotation `json:"annotations,omitempty"`
}

// Codes returns the distinct codes of v's non-negated code annotations, sorted.
func (v View) Codes() []string {
	var out []string
	for _, a := range v.Annotations {
		if a.Type == AnnCode && !a.Negated {
			out = append(out, a.Code)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Labels returns the distinct canonical labels of v's non-negated label
// annotations, sorted.
func (v View) Labels() []string {
	var out []string
	for _, a := range v.Annotations {
		if a.Type == AnnLabel && !a.Negated {
			out = append(out, a.Label)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Families returns the distinct label families of v's non-negated label
// annotations, sorted.
func (v View) Families() []string {
	var out []string
	for _, a := range v.Annotations {
		if a.Type == AnnLabel && !a.Negated {
			out = append(out, a.Family)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
