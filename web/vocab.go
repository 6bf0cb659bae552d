package web

import (
	"slices"

	"github.com/peermap/peermap/corpus"
)

// vocab is the codebook vocabulary arranged for the coding form: codes
// grouped by dimension (in corpus.Dimensions order, then any other
// dimension in codebook order), labels grouped by family (in codebook
// order, then families only labels name).
type vocab struct {
	Dims     []dimGroup
	Families []famGroup
	codes    map[string]bool
	labels   map[string]string // label → family
	keys     map[string]string // code → its key on the coding page
}

// codeKeys are the keys of the codes on the coding page, given in
// vocabulary order so a code keeps its key from passage to passage. The
// letters a (accept all), m (memo), n (save and next) and s (save) are
// commands, so no code has them.
const codeKeys = "1234567890bcdefghijklopqrtuvwxyz"

type dimGroup struct {
	Dim      string
	Question string
	Codes    []corpus.CodeInfo
}

type famGroup struct {
	Family string
	Labels []string
}

func newVocab(v corpus.Vocabulary) vocab {
	out := vocab{codes: make(map[string]bool), labels: make(map[string]string), keys: make(map[string]string)}
	dims := slices.Clone(corpus.Dimensions)
	for _, c := range v.Codes {
		d := c.Dimension
		if d == "" {
			d = corpus.Dimension(c.ID)
		}
		if !slices.Contains(dims, d) {
			dims = append(dims, d)
		}
	}
	for _, d := range dims {
		g := dimGroup{Dim: d}
		for _, c := range v.Codes {
			cd := c.Dimension
			if cd == "" {
				cd = corpus.Dimension(c.ID)
			}
			if cd != d || out.codes[c.ID] {
				continue
			}
			if g.Question == "" {
				g.Question = c.Question
			}
			out.codes[c.ID] = true
			if n := len(out.keys); n < len(codeKeys) {
				out.keys[c.ID] = codeKeys[n : n+1]
			}
			g.Codes = append(g.Codes, c)
		}
		if len(g.Codes) > 0 {
			out.Dims = append(out.Dims, g)
		}
	}
	fams := slices.Clone(v.Families)
	for _, l := range v.Labels {
		if !slices.Contains(fams, l.Family) {
			fams = append(fams, l.Family)
		}
	}
	for _, f := range fams {
		g := famGroup{Family: f}
		for _, l := range v.Labels {
			if l.Family != f {
				continue
			}
			if _, dup := out.labels[l.Label]; dup {
				continue
			}
			out.labels[l.Label] = f
			g.Labels = append(g.Labels, l.Label)
		}
		if len(g.Labels) > 0 {
			out.Families = append(out.Families, g)
		}
	}
	return out
}
