package annotate

import (
	"strings"

	"github.com/peermap/peermap/internal/text"
)

// The label lexicon is compiled into a trie over label keys (normalised
// words without a plural s), so one left-to-right pass over the tokens finds
// every variant of every label, longest first, on word boundaries: "peer
// mentor" is not found in "peer mentorship" because "mentorship" is one
// token. Hard negatives sit in the same trie and, being longer or equal,
// swallow the label they contain ("peer review" holds no label, but
// "peer-to-peer" would otherwise start a match).
type trieNode struct {
	next  map[string]*trieNode
	label int32 // index into labelInfo, or -1
	neg   bool  // the path is a hard negative
	src   string
}

type labelInfo struct {
	label, family string
	implies       []string
	notWith       map[string]bool // folded words that cancel a mention in their sentence
}

type lexicon struct {
	root      *trieNode
	labels    []labelInfo
	abbr      map[string]int32 // "CHW" → label
	rootTri   []bool           // some first word of a variant starts with this trigram
	rootShort bool             // some first word is not an a-z trigram or longer
}

func newLexicon(cb *Codebook) *lexicon {
	lx := &lexicon{root: &trieNode{label: -1}, abbr: map[string]int32{}}
	byLabel := map[string]int32{}
	for _, f := range cb.Families {
		for _, l := range f.Labels {
			idx := int32(len(lx.labels))
			byLabel[l.Label] = idx
			li := labelInfo{label: l.Label, family: f.Family, implies: l.Implies}
			for _, w := range l.NotWith {
				if li.notWith == nil {
					li.notWith = map[string]bool{}
				}
				li.notWith[text.Fold(w)] = true
			}
			lx.labels = append(lx.labels, li)
			for _, v := range append(append([]string(nil), l.EN...), l.FR...) {
				n := lx.insert(v)
				if n != nil && n.label < 0 && !n.neg {
					n.label = idx
					n.src = "label:" + v
				}
			}
		}
	}
	for _, h := range cb.HardNegatives {
		if n := lx.insert(h); n != nil {
			n.neg = true
			n.label = -1
			n.src = "negative:" + h
		}
	}
	for _, a := range cb.Abbreviations {
		if idx, ok := byLabel[a.Label]; ok {
			lx.abbr[a.Abbr] = idx
		}
	}
	lx.rootTri = make([]bool, 26*26*26)
	for k := range lx.root.next {
		if t := tri(k); t >= 0 {
			lx.rootTri[t] = true
		} else {
			lx.rootShort = true
		}
	}
	return lx
}

// mayStart reports whether a variant may start with the label key k.
func (lx *lexicon) mayStart(k string) bool {
	if t := tri(k); t >= 0 {
		return lx.rootTri[t]
	}
	return lx.rootShort || len(k) >= 3 && !isASCII(k[:3])
}

func (lx *lexicon) insert(phrase string) *trieNode {
	toks := tokenize(phrase, nil)
	if len(toks) == 0 {
		return nil
	}
	n := lx.root
	for _, t := range toks {
		if n.next == nil {
			n.next = map[string]*trieNode{}
		}
		c := n.next[t.key]
		if c == nil {
			c = &trieNode{label: -1}
			n.next[t.key] = c
		}
		n = c
	}
	return n
}

// dropByContext turns into hard negatives the mentions whose sentence holds
// one of their label's not_with words.
func (lx *lexicon) dropByContext(toks []token, ms []mention) {
	for i, m := range ms {
		if m.label < 0 || lx.labels[m.label].notWith == nil {
			continue
		}
		nw, sent := lx.labels[m.label].notWith, toks[m.from].sent
		for _, tk := range toks {
			if tk.sent == sent && nw[tk.norm] {
				ms[i].label = -1
				ms[i].rule = "negative:context:" + tk.norm
				break
			}
		}
	}
}

// A mention is a label found in the tokens [from, to), or a hard negative
// if label is -1.
type mention struct {
	from, to int
	label    int32
	rule     string
}

// find returns the label mentions and hard negatives of toks,
// leftmost-longest and non-overlapping, in one pass.
func (lx *lexicon) find(text string, toks []token, out []mention) []mention {
	for i := 0; i < len(toks); {
		n := lx.root
		best, bestEnd := (*trieNode)(nil), -1
		if !lx.mayStart(toks[i].key) {
			n = nil
		}
		for j := i; n != nil && j < len(toks); j++ {
			if j > i && toks[j].sent != toks[i].sent {
				break
			}
			n = n.next[toks[j].key]
			if n == nil {
				break
			}
			if n.label >= 0 || n.neg {
				best, bestEnd = n, j+1
			}
		}
		if best != nil {
			out = append(out, mention{from: i, to: bestEnd, label: best.label, rule: best.src})
			i = bestEnd
			continue
		}
		if w := text[toks[i].start:toks[i].end]; len(lx.abbr) > 0 && len(w) >= 2 && isUpper(w[0]) && isUpper(w[1]) {
			if idx, ok := lx.abbr[w]; ok {
				out = append(out, mention{from: i, to: i + 1, label: idx, rule: "abbr:" + w})
			} else if s, ok := strings.CutSuffix(w, "s"); ok {
				if idx, ok := lx.abbr[s]; ok {
					out = append(out, mention{from: i, to: i + 1, label: idx, rule: "abbr:" + s})
				}
			}
		}
		i++
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
