package qda

import (
	"fmt"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// Names of the code groups peermap writes.
const (
	MapGroup     = "peer-support map"
	LabelGroup   = "peer labels"
	NegatedGroup = "negated label mentions"
	negPrefix    = "negated: "
)

// palette colours the six dimensions (and any further one, cycling).
var palette = []string{"#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B"}

// Codebook returns the codes of vocabulary v as REFI-QDA codes, with stable
// GUIDs: a group MapGroup holding one non-codable code per dimension (its
// name the dimension ID, its description the question) holding one code
// per category (its name the code ID "dimension.category", its
// description the definition); a group LabelGroup holding one code per
// label family, each holding its canonical labels (other than the family's
// own name); and a group NegatedGroup with a code "negated: <family>" per
// family, for mentions a coder marked as negated ("no peer navigator was
// involved").
func Codebook(v corpus.Vocabulary) []Code {
	mapG := Code{GUID: GUID("group", MapGroup), Name: MapGroup, IsCodable: "false",
		Description: "The six dimensions of the peer-support conceptual map (codebook " + v.Version + ")."}
	var dims []string
	for _, c := range v.Codes {
		if !slices.Contains(dims, c.Dimension) {
			dims = append(dims, c.Dimension)
		}
	}
	for i, d := range dims {
		dim := Code{GUID: GUID("dimension", d), Name: d, IsCodable: "false", Color: palette[i%len(palette)]}
		for _, c := range v.Codes {
			if c.Dimension != d {
				continue
			}
			dim.Description = c.Question
			dim.Children = append(dim.Children, Code{GUID: GUID("code", c.ID), Name: c.ID, IsCodable: "true",
				Color: dim.Color, Description: c.Definition})
		}
		mapG.Children = append(mapG.Children, dim)
	}
	labG := Code{GUID: GUID("group", LabelGroup), Name: LabelGroup, IsCodable: "false",
		Description: "Names given to peers, by label family. Code the mention of a name."}
	negG := Code{GUID: GUID("group", NegatedGroup), Name: NegatedGroup, IsCodable: "false",
		Description: "A label named in a negated statement (\"no peer navigator was involved\")."}
	for _, f := range v.Families {
		fam := Code{GUID: GUID("family", f), Name: f, IsCodable: "true", Color: "#7F7F7F"}
		var names []string
		for _, l := range v.Labels {
			if l.Family != f {
				continue
			}
			names = append(names, l.Label)
			if l.Label == f {
				continue
			}
			fam.Children = append(fam.Children, Code{GUID: GUID("label", l.Label), Name: l.Label, IsCodable: "true", Color: fam.Color})
		}
		fam.Description = "Label family; canonical labels: " + strings.Join(names, ", ") + "."
		labG.Children = append(labG.Children, fam)
		negG.Children = append(negG.Children, Code{GUID: GUID("negated", f), Name: negPrefix + f, IsCodable: "true", Color: "#BCBD22"})
	}
	out := []Code{mapG}
	if len(v.Families) > 0 {
		out = append(out, labG, negG)
	}
	return out
}

// A Target is what a REFI-QDA code means in peermap: a code of the map
// (Type corpus.AnnCode), or a peer label or label family, possibly
// negated (Type corpus.AnnLabel; Label is the family for a family code).
type Target struct {
	Type    string
	Code    string
	Label   string
	Family  string
	Negated bool
}

func (t Target) String() string {
	switch {
	case t.Type == corpus.AnnCode:
		return t.Code
	case t.Negated:
		return "neg:" + t.Family
	case t.Label != t.Family:
		return "label:" + t.Label + " (" + t.Family + ")"
	}
	return "family:" + t.Family
}

// A Mapped code of a team's codebook, and how it was matched.
type Mapped struct {
	Path   string // names from the root, joined by " / "
	GUID   string
	Target Target
	By     string // "guid", "id", "dimension and category", "family", "label", "negated family"
}

// An Unmapped code: a codable code that matches nothing of the codebook.
type Unmapped struct {
	Path   string
	GUID   string
	Reason string
}

// A Mapping says what each code of a REFI-QDA codebook is in peermap.
type Mapping struct {
	Mapped   []Mapped   // in codebook order
	Unmapped []Unmapped // codable codes only; groups need not map
	byGUID   map[string]Target
}

// Target returns what the code with GUID g maps to.
func (m *Mapping) Target(g string) (Target, bool) {
	t, ok := m.byGUID[normGUID(g)]
	return t, ok
}

// Err returns an error naming every unmapped codable code, or nil.
func (m *Mapping) Err() error {
	if len(m.Unmapped) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d codes cannot be mapped to the codebook:", len(m.Unmapped))
	for _, u := range m.Unmapped {
		fmt.Fprintf(&b, "\n  %s: %s", u.Path, u.Reason)
	}
	b.WriteString("\nname each code by its ID (role.navigation), or by its category name under a code named by its dimension (role > navigation), or by a label family")
	return fmt.Errorf("%s", b.String())
}

// MapCodes maps the codes of a team's codebook (or of a project) onto
// vocabulary v. A code maps, in this order:
//
//  1. by GUID, when it is a code peermap exported (Codebook's GUIDs);
//  2. by name, when its name is a code ID ("role.navigation");
//  3. by its name and an ancestor's: a code named like a category
//     ("navigation", "Navigation", "clinical support") under a code named
//     like its dimension ("role", "Role") or its question;
//  4. by name, to a label family ("peer navigator"), a canonical label
//     ("patient navigator") or a negated family ("negated: peer navigator").
//
// Names are compared case- and accent-insensitively, with "_" and "-" read
// as spaces. Codes that are not codable only group others and need not
// map; a codable code that matches nothing is listed in Unmapped.
func MapCodes(codes []Code, v corpus.Vocabulary) *Mapping {
	m := &Mapping{byGUID: map[string]Target{}}
	known := map[string]Target{}
	byName := map[string]Target{}
	dimName := map[string]string{} // folded dimension ID or question → dimension
	byCat := map[[2]string]Target{}
	for _, c := range v.Codes {
		t := Target{Type: corpus.AnnCode, Code: c.ID}
		known[GUID("code", c.ID)] = t
		byName[fold(c.ID)] = t
		dimName[fold(c.Dimension)] = c.Dimension
		if c.Question != "" {
			dimName[fold(c.Question)] = c.Dimension
		}
		_, cat, _ := strings.Cut(c.ID, ".")
		byCat[[2]string{c.Dimension, fold(cat)}] = t
		if c.Name != "" {
			byCat[[2]string{c.Dimension, fold(c.Name)}] = t
		}
	}
	for _, f := range v.Families {
		t := Target{Type: corpus.AnnLabel, Label: f, Family: f}
		known[GUID("family", f)] = t
		byName[fold(f)] = t
		n := Target{Type: corpus.AnnLabel, Label: f, Family: f, Negated: true}
		known[GUID("negated", f)] = n
		byName[fold(negPrefix+f)] = n
	}
	for _, l := range v.Labels {
		t := Target{Type: corpus.AnnLabel, Label: l.Label, Family: l.Family}
		if l.Label == l.Family {
			continue
		}
		known[GUID("label", l.Label)] = t
		if _, dup := byName[fold(l.Label)]; !dup {
			byName[fold(l.Label)] = t
		}
	}
	var walk func(cs []Code, path []string, dims []string)
	walk = func(cs []Code, path []string, dims []string) {
		for _, c := range cs {
			p := append(slices.Clone(path), c.Name)
			ds := dims
			if d, ok := dimName[fold(c.Name)]; ok {
				ds = append(slices.Clone(dims), d)
			}
			t, by, ok := Target{}, "", false
			if t, ok = known[normGUID(c.GUID)]; ok {
				by = "guid"
			} else if t, ok = byName[fold(c.Name)]; ok {
				switch {
				case t.Type == corpus.AnnCode:
					by = "id"
				case t.Negated:
					by = "negated family"
				case t.Label == t.Family:
					by = "family"
				default:
					by = "label"
				}
			} else {
				for i := len(dims) - 1; i >= 0 && !ok; i-- {
					t, ok = byCat[[2]string{dims[i], fold(c.Name)}]
				}
				by = "dimension and category"
			}
			switch {
			case ok:
				m.byGUID[normGUID(c.GUID)] = t
				m.Mapped = append(m.Mapped, Mapped{Path: strings.Join(p, " / "), GUID: c.GUID, Target: t, By: by})
			case c.Codable() && len(ds) > len(dims):
				// A codable code named like a dimension: a group in practice.
			case c.Codable():
				reason := "no code ID, category, label or family of this name"
				if len(dims) > 0 {
					reason = fmt.Sprintf("no category of dimension %s has this name", dims[len(dims)-1])
				}
				m.Unmapped = append(m.Unmapped, Unmapped{Path: strings.Join(p, " / "), GUID: c.GUID, Reason: reason})
			}
			walk(c.Children, p, ds)
		}
	}
	walk(codes, nil, nil)
	return m
}

// fold is the form names are compared in: the comparison key of
// internal/text (lower case, no accents, punctuation as single spaces).
func fold(s string) string { return text.Key(s) }
