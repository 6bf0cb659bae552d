package annotate

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/peermap/peermap/corpus"
)

//go:embed codebook.yaml
var defaultYAML []byte

// defaultVersion is "<SHA-256 of codebook.yaml> <its Version>", written by
// 'go test ./annotate -run TestDefaultVersion -update': Default takes the
// version from it instead of re-encoding the YAML, when the hash is that of
// the embedded file (otherwise it computes it, only slower).
//
//go:embed codebook.version
var defaultVersion string

// A Codebook is the map's dimensions and categories, the peer-label lexicon
// and the words the rules need (negations, hard negatives). It is data: the
// embedded default is codebook.yaml, and a user's file replaces it. The file
// format is described in doc/codebook.md. A Codebook is read-only once
// loaded and safe for concurrent use.
type Codebook struct {
	Release       string         `yaml:"version"`
	Title         string         `yaml:"title,omitempty"`
	Negation      Langs          `yaml:"negation"`
	Breaks        Langs          `yaml:"scope_breaks,omitempty"`
	HardNegatives []string       `yaml:"hard_negatives,omitempty"`
	Focus         Focus          `yaml:"peer_focus,omitempty"`
	Dimensions    []Dimension    `yaml:"dimensions"`
	Families      []Family       `yaml:"families"`
	Abbreviations []Abbreviation `yaml:"abbreviations,omitempty"`

	lines   map[string]int // line of each top-level key
	src     []byte         // the bytes it was loaded from
	version string         // Release + "+" + hash of the canonical YAML
}

// Langs holds phrases in English and in French.
type Langs struct {
	EN []string `yaml:"en,omitempty"`
	FR []string `yaml:"fr,omitempty"`
}

// Focus holds what tells whether a sentence speaks about peers (see
// doc/codebook.md). Terms, anaphors, others (actors who are not peers)
// and people (the people a study or programme serves, who may be the
// antecedent of "they") are cue patterns; a Not
// pattern overlapping a match cancels it. BackMatter lists section
// headings (matched by their first words, case- and accent-insensitive)
// whose passages never speak about peers.
type Focus struct {
	Terms       Langs    `yaml:"terms,omitempty"`
	NotTerms    Langs    `yaml:"not_terms,omitempty"`
	Anaphors    Langs    `yaml:"anaphors,omitempty"`
	NotAnaphors Langs    `yaml:"not_anaphors,omitempty"`
	Others      Langs    `yaml:"others,omitempty"`
	People      Langs    `yaml:"people,omitempty"`
	BackMatter  []string `yaml:"back_matter,omitempty"`
}

// UnmarshalYAML decodes the peer focus, refusing unknown fields.
func (f *Focus) UnmarshalYAML(n *yaml.Node) error {
	type plain Focus
	return strict(n, "peer_focus", (*plain)(f), "terms", "not_terms", "anaphors", "not_anaphors", "others", "people", "back_matter")
}

// A Dimension is one question of the map and its categories.
type Dimension struct {
	ID         string     `yaml:"id"`
	Question   string     `yaml:"question"`
	Categories []Category `yaml:"categories"`
	Line       int        `yaml:"-"`
}

// A Category is one code of the map, "dimension.category", with the cue
// patterns that signal it and the exclusion patterns that cancel a cue.
type Category struct {
	ID         string `yaml:"id"`
	Name       string `yaml:"name"`
	Definition string `yaml:"definition"`
	Cues       Langs  `yaml:"cues"`
	Exclusions Langs  `yaml:"exclusions,omitempty"`
	Line       int    `yaml:"-"`
}

// A Family groups the canonical peer labels that name the same kind of peer.
type Family struct {
	Family string  `yaml:"family"`
	Labels []Label `yaml:"labels"`
	Line   int     `yaml:"-"`
}

// A Label is a canonical peer label and its written variants.
type Label struct {
	Label   string   `yaml:"label"`
	EN      []string `yaml:"en,omitempty"`
	FR      []string `yaml:"fr,omitempty"`
	Implies []string `yaml:"implies,omitempty"` // codes a mention carries by itself ("support group": setting.peer_run)
	// NotWith lists words that, in the same sentence, show the phrase is not
	// a peer label ("support group" beside "helpdesk" or "technicians").
	NotWith []string `yaml:"not_with,omitempty"`
	Line    int      `yaml:"-"`
}

// An Abbreviation is a capitalised short form of a label (CHW). It counts
// only when written in capitals as a word, with or without a plural s.
type Abbreviation struct {
	Abbr  string `yaml:"abbr"`
	Label string `yaml:"label"`
	Line  int    `yaml:"-"`
}

// Default returns the embedded codebook. The embedded file is tested, so
// Default never fails; it returns nil only if the binary was built with a
// broken codebook.yaml. It is parsed, validated and hashed once per
// process (a third of the time of a 'peermap search' process went there):
// the same *Codebook is returned on every call, and it must not be
// modified.
func Default() *Codebook { return defaultCodebook() }

// DefaultVersion returns the version of the embedded codebook
// (Default().Version()), without parsing it when codebook.version is up
// to date: what a process that only stamps or compares versions needs.
func DefaultVersion() string {
	if v := embeddedVersion(); v != "" {
		return v
	}
	return Default().Version()
}

// embeddedVersion returns the version recorded in codebook.version when
// its hash is that of the embedded codebook, else "".
var embeddedVersion = sync.OnceValue(func() string {
	sum := sha256.Sum256(defaultYAML)
	if h, v, ok := strings.Cut(strings.TrimSpace(defaultVersion), " "); ok && h == hex.EncodeToString(sum[:]) {
		return v
	}
	return ""
})

var defaultCodebook = sync.OnceValue(func() *Codebook {
	cb, err := loadCodebook(defaultYAML, "codebook.yaml", embeddedVersion())
	if err != nil {
		return nil
	}
	return cb
})

// LoadCodebook reads and validates a codebook. name is used in errors,
// which name the line: "my.yaml:12: category role.x: no cue".
func LoadCodebook(r io.Reader, name string) (*Codebook, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read codebook %s: %w", name, err)
	}
	return loadCodebook(src, name, "")
}

// loadCodebook is LoadCodebook on src; a non-empty version is taken as the
// codebook's Version instead of being computed.
func loadCodebook(src []byte, name, version string) (*Codebook, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, fmt.Errorf("load codebook %s: %w", name, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, fmt.Errorf("load codebook %s: empty file", name)
	}
	cb := &Codebook{}
	if err := root.Content[0].Decode(cb); err != nil {
		return nil, fmt.Errorf("load codebook %s: %w", name, err)
	}
	if errs := cb.validate(); len(errs) > 0 {
		for i, e := range errs {
			errs[i] = fmt.Errorf("%s:%w", name, e)
		}
		return nil, fmt.Errorf("load codebook %s: %w", name, errors.Join(errs...))
	}
	if version == "" {
		canon, err := yaml.Marshal(cb)
		if err != nil {
			return nil, fmt.Errorf("load codebook %s: %w", name, err)
		}
		sum := sha256.Sum256(canon)
		version = cb.Release + "+" + hex.EncodeToString(sum[:])[:8]
	}
	cb.version = version
	cb.src = src
	return cb, nil
}

// Version returns "<release>+<first 8 hex digits of the SHA-256 of the
// canonical YAML>", e.g. "v1+3f2a9c01". Any change of meaning (a cue, a
// variant, a definition) changes it; comments and layout do not.
func (cb *Codebook) Version() string { return cb.version }

// WriteYAML writes the codebook as it was loaded, comments included.
// Loading what it writes gives the same Version.
func (cb *Codebook) WriteYAML(w io.Writer) error {
	if _, err := w.Write(cb.src); err != nil {
		return fmt.Errorf("write codebook: %w", err)
	}
	return nil
}

// Vocabulary returns what index and report need of the codebook.
func (cb *Codebook) Vocabulary() corpus.Vocabulary {
	v := corpus.Vocabulary{Version: cb.version}
	for _, d := range cb.Dimensions {
		for _, c := range d.Categories {
			v.Codes = append(v.Codes, corpus.CodeInfo{
				ID: c.ID, Dimension: d.ID, Name: c.Name, Question: d.Question, Definition: c.Definition,
			})
		}
	}
	for _, f := range cb.Families {
		v.Families = append(v.Families, f.Family)
		for _, l := range f.Labels {
			v.Labels = append(v.Labels, corpus.LabelInfo{Label: l.Label, Family: f.Family})
		}
	}
	return v
}

// Code returns the category with the given ID.
func (cb *Codebook) Code(id string) (Category, bool) {
	for _, d := range cb.Dimensions {
		for _, c := range d.Categories {
			if c.ID == id {
				return c, true
			}
		}
	}
	return Category{}, false
}

// Family returns the family of a canonical label or of a family name, and
// whether it is known.
func (cb *Codebook) Family(label string) (string, bool) {
	for _, f := range cb.Families {
		if f.Family == label {
			return f.Family, true
		}
		for _, l := range f.Labels {
			if l.Label == label {
				return f.Family, true
			}
		}
	}
	return "", false
}

var (
	idRE   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	abbrRE = regexp.MustCompile(`^[A-Z][A-Z0-9]+$`)
)

func (cb *Codebook) validate() []error {
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%d: %s", line, fmt.Sprintf(format, args...)))
	}
	top := func(key string) int {
		if l := cb.lines[key]; l > 0 {
			return l
		}
		return 1
	}
	if cb.Release == "" || strings.ContainsAny(cb.Release, "+ \t\n") {
		bad(top("version"), "version %q: want a release name such as v1, without spaces or +", cb.Release)
	}
	for _, w := range append(append([]string(nil), cb.Negation.EN...), cb.Negation.FR...) {
		if len(words(w)) != 1 {
			bad(top("negation"), "negation %q: want one word", w)
		}
	}
	for _, h := range cb.HardNegatives {
		if len(words(h)) == 0 {
			bad(top("hard_negatives"), "hard negative %q has no words", h)
		}
	}
	fo := cb.Focus
	for _, l := range []Langs{fo.Terms, fo.NotTerms, fo.Anaphors, fo.NotAnaphors, fo.Others, fo.People} {
		for _, p := range append(append([]string(nil), l.EN...), l.FR...) {
			if _, err := parsePattern(p); err != nil {
				bad(top("peer_focus"), "peer_focus: %v", err)
			}
		}
	}
	for _, h := range fo.BackMatter {
		if len(words(h)) == 0 {
			bad(top("peer_focus"), "peer_focus: back_matter heading %q has no words", h)
		}
	}
	if len(cb.Dimensions) == 0 {
		bad(1, "no dimensions")
	}
	dims := map[string]bool{}
	codes := map[string]bool{}
	for _, d := range cb.Dimensions {
		if !idRE.MatchString(d.ID) {
			bad(d.Line, "dimension id %q: want lower-case letters, digits and _", d.ID)
		}
		if dims[d.ID] {
			bad(d.Line, "dimension %q defined twice", d.ID)
		}
		dims[d.ID] = true
		if d.Question == "" {
			bad(d.Line, "dimension %q has no question", d.ID)
		}
		if len(d.Categories) == 0 {
			bad(d.Line, "dimension %q has no categories", d.ID)
		}
		for _, c := range d.Categories {
			dim, cat, ok := strings.Cut(c.ID, ".")
			switch {
			case !ok || dim != d.ID || !idRE.MatchString(cat):
				bad(c.Line, "category id %q: want %s.<name> with lower-case letters, digits and _", c.ID, d.ID)
			case codes[c.ID]:
				bad(c.Line, "category %q defined twice", c.ID)
			}
			codes[c.ID] = true
			if c.Name == "" {
				bad(c.Line, "category %q has no name", c.ID)
			}
			if c.Definition == "" {
				bad(c.Line, "category %q has no definition", c.ID)
			}
			if len(c.Cues.EN)+len(c.Cues.FR) == 0 {
				bad(c.Line, "category %q has no cues", c.ID)
			}
			for _, p := range append(append(append(append([]string(nil), c.Cues.EN...), c.Cues.FR...), c.Exclusions.EN...), c.Exclusions.FR...) {
				if _, err := parsePattern(p); err != nil {
					bad(c.Line, "category %q: %v", c.ID, err)
				}
			}
		}
	}
	if len(cb.Families) == 0 {
		bad(1, "no label families")
	}
	fams := map[string]bool{}
	labels := map[string]bool{}
	variants := map[string]string{} // key → family
	for _, f := range cb.Families {
		if strings.TrimSpace(f.Family) == "" {
			bad(f.Line, "label family without a name")
		}
		if fams[f.Family] {
			bad(f.Line, "label family %q defined twice", f.Family)
		}
		fams[f.Family] = true
		if len(f.Labels) == 0 {
			bad(f.Line, "label family %q has no labels", f.Family)
		}
		for _, l := range f.Labels {
			if strings.TrimSpace(l.Label) == "" {
				bad(l.Line, "label without a name in family %q", f.Family)
			}
			if labels[l.Label] {
				bad(l.Line, "label %q defined twice", l.Label)
			}
			labels[l.Label] = true
			if len(l.EN)+len(l.FR) == 0 {
				bad(l.Line, "label %q has no variants", l.Label)
			}
			for _, c := range l.Implies {
				if !codes[c] {
					bad(l.Line, "label %q implies unknown code %q", l.Label, c)
				}
			}
			for _, v := range append(append([]string(nil), l.EN...), l.FR...) {
				k := variantKey(v)
				if k == "" {
					bad(l.Line, "label %q: variant %q has no words", l.Label, v)
					continue
				}
				if other, ok := variants[k]; ok && other != f.Family {
					bad(l.Line, "label %q: variant %q is also in family %q", l.Label, v, other)
				}
				variants[k] = f.Family
			}
		}
	}
	for _, a := range cb.Abbreviations {
		if !abbrRE.MatchString(a.Abbr) {
			bad(a.Line, "abbreviation %q: want capital letters", a.Abbr)
		}
		if !labels[a.Label] {
			bad(a.Line, "abbreviation %q: unknown label %q", a.Abbr, a.Label)
		}
	}
	return errs
}

// variantKey is the matching key of a label variant: its label keys joined
// by spaces.
func variantKey(v string) string {
	toks := tokenize(v, nil)
	ks := make([]string, len(toks))
	for i, t := range toks {
		ks[i] = t.key
	}
	return strings.Join(ks, " ")
}

// strict decodes n into v (a pointer to a plain struct type) after checking
// that n is a mapping whose keys are all allowed.
func strict(n *yaml.Node, what string, v any, allowed ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s: want a mapping", n.Line, what)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, a := range allowed {
			if k.Value == a {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("line %d: %s: unknown field %q", k.Line, what, k.Value)
		}
	}
	return n.Decode(v)
}

// UnmarshalYAML decodes the top level, refusing unknown fields.
func (cb *Codebook) UnmarshalYAML(n *yaml.Node) error {
	type plain Codebook
	cb.lines = map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		cb.lines[n.Content[i].Value] = n.Content[i].Line
	}
	return strict(n, "codebook", (*plain)(cb), "version", "title", "negation", "scope_breaks",
		"hard_negatives", "peer_focus", "dimensions", "families", "abbreviations")
}

// UnmarshalYAML decodes a dimension and records its line.
func (d *Dimension) UnmarshalYAML(n *yaml.Node) error {
	type plain Dimension
	d.Line = n.Line
	return strict(n, "dimension", (*plain)(d), "id", "question", "categories")
}

// UnmarshalYAML decodes a category and records its line.
func (c *Category) UnmarshalYAML(n *yaml.Node) error {
	type plain Category
	c.Line = n.Line
	return strict(n, "category", (*plain)(c), "id", "name", "definition", "cues", "exclusions")
}

// UnmarshalYAML decodes a label family and records its line.
func (f *Family) UnmarshalYAML(n *yaml.Node) error {
	type plain Family
	f.Line = n.Line
	return strict(n, "family", (*plain)(f), "family", "labels")
}

// UnmarshalYAML decodes a label and records its line.
func (l *Label) UnmarshalYAML(n *yaml.Node) error {
	type plain Label
	l.Line = n.Line
	return strict(n, "label", (*plain)(l), "label", "en", "fr", "implies", "not_with")
}

// UnmarshalYAML decodes an abbreviation and records its line.
func (a *Abbreviation) UnmarshalYAML(n *yaml.Node) error {
	type plain Abbreviation
	a.Line = n.Line
	return strict(n, "abbreviation", (*plain)(a), "abbr", "label")
}

// UnmarshalYAML decodes phrases by language, refusing other languages.
func (l *Langs) UnmarshalYAML(n *yaml.Node) error {
	type plain Langs
	return strict(n, "phrases", (*plain)(l), "en", "fr")
}
