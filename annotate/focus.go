package annotate

import (
	"slices"
	"strings"
)

// Peer focus decides, sentence by sentence, whether a passage speaks about
// peers. Codes come from the sentences that do and, in a passage that
// does, from the sentences about the people served or about no one (what
// the programme gives its participants); never from sentences about other
// actors.
//
// A sentence names peers when it holds a (non-negated) peer label
// (focusLabel) or a peer term of the codebook: a practice or programme
// name or a generic word for peers (focusTerm). A sentence that names no
// label and opens with another actor ("Nurses ...", "We ...") speaks
// about them (focusOther), even if a peer term follows ("Nurses delivered
// peer support"); one that opens with the people served ("Participants
// ...", "Patients ...") and names no label or peer term is about them
// (focusServed). A sentence that opens with an anaphor ("They ...",
// "These workers ...", "The programme ...") speaks about whoever the
// last sentence with an actor spoke about (focusAnaphor when that was
// peers, with their label families); before any such sentence in the
// passage, it follows the document's previous passages, and in a passage
// given alone (no document context) it is taken to carry peers, without
// families (unresolved). A sentence that names no actor continues the
// topic of the sentence before it in the passage (focusCont when that one
// spoke about peers). Other sentences (focusNone) name no actor and follow
// no peer sentence.
type focusKind uint8

const (
	focusNone focusKind = iota
	focusOther
	focusServed
	focusLabel
	focusTerm
	focusAnaphor
	focusCont
)

var focusNames = [...]string{"none", "other", "served", "label", "term", "anaphor", "continued"}

func (k focusKind) String() string { return focusNames[k] }

// peer reports whether a sentence of kind k speaks about peers.
func (k focusKind) peer() bool { return k >= focusLabel }

// Special codes of focus patterns in a ruleSet.
const (
	codeTerm    = "@term"
	codeAnaphor = "@anaphor"
	codeOther   = "@other"
	codePeople  = "@people"
)

// openWords is how many words may precede an anaphor or another actor at
// the start of a sentence ("In 2019, they ...": the clause "In 2019" is
// two words).
const openWords = 3

// A sentFocus is the peer focus of one sentence of a passage.
type sentFocus struct {
	from, to   int // its tokens
	kind       focusKind
	fams       []string // label families it names (label) or carries (anaphor)
	unresolved bool     // an anaphor whose antecedent lies outside the passage and is unknown
}

// A focusState carries the last actor from one passage to the next of a
// document. The zero value is "unknown": a passage given alone.
type focusState struct {
	known bool
	last  focusKind // focusNone (no actor yet), focusOther or a peer kind
	fams  []string
}

// docStart is the state at the start of a document or section: known, and
// no actor yet.
var docStart = focusState{known: true}

// focus computes the peer focus of the sentences of one passage. ms are
// its label mentions, hits its focus pattern hits (codes @term, @anaphor,
// @other, exclusions resolved), negatedLabel tells which mentions are
// negated. It returns the sentences and the state after the passage.
func focus(toks []token, ms []mention, lex *lexicon, negatedLabel func(int) bool, hits []hit, st focusState, out []sentFocus) ([]sentFocus, focusState) {
	out = out[:0]
	if len(toks) == 0 {
		return out, st
	}
	for i := 0; i < len(toks); {
		j := i + 1
		for j < len(toks) && toks[j].sent == toks[i].sent {
			j++
		}
		out = append(out, sentFocus{from: i, to: j})
		i = j
	}
	sentOf := func(tok int) *sentFocus { return &out[toks[tok].sent-toks[0].sent] }
	for _, m := range ms {
		if m.label < 0 || negatedLabel(m.from) {
			continue
		}
		s := sentOf(m.from)
		s.kind = focusLabel
		s.fams = append(s.fams, lex.labels[m.label].family)
	}
	// opener[i] is the anaphor, other actor or people served that comes
	// first among the first words of sentence i (0: none).
	const (
		openAnaphor = 1 + iota
		openOther
		openPeople
	)
	opener := make([]uint8, len(out))
	openAt := make([]int, len(out))
	for _, h := range hits {
		s := sentOf(h.from)
		idx := toks[h.from].sent - toks[0].sent
		var k uint8
		switch h.code {
		case codeTerm:
			if s.kind != focusLabel {
				s.kind = focusTerm
			}
			continue
		case codeAnaphor:
			k = openAnaphor
		case codeOther:
			k = openOther
		case codePeople:
			k = openPeople
		default:
			continue
		}
		if at := h.from - s.from; at < openWords && (opener[idx] == 0 || at < openAt[idx]) {
			opener[idx], openAt[idx] = k, at
		}
	}
	last, fams := st.last, st.fams
	known := st.known
	for i := range out {
		s := &out[i]
		if s.fams != nil {
			slices.Sort(s.fams)
			s.fams = slices.Compact(s.fams)
		}
		switch {
		case s.kind == focusLabel:
			last, fams, known = focusLabel, s.fams, true
		case opener[i] == openOther:
			// Another actor opens the sentence: a peer term after it
			// ("Nurses delivered peer support") does not make the
			// sentence about peers.
			s.kind = focusOther
			last, fams, known = focusOther, nil, true
		case s.kind == focusTerm:
			if !last.peer() {
				fams = nil
			}
			last, known = focusTerm, true
		case opener[i] == openPeople:
			// The people served open a sentence without a peer word: it
			// is about them, and a "they" that follows means them.
			s.kind = focusServed
			last, fams, known = focusServed, nil, true
		case opener[i] == openAnaphor:
			switch {
			case !known:
				s.kind, s.unresolved = focusAnaphor, true
				last, fams, known = focusAnaphor, nil, true
			case last.peer():
				s.kind, s.fams = focusAnaphor, fams
				last = focusAnaphor
			case last == focusOther, last == focusServed:
				s.kind = last
			}
		case i > 0 && out[i-1].kind.peer():
			s.kind = focusCont
		}
	}
	return out, focusState{known: known, last: last, fams: fams}
}

// backMatter reports whether a section heading is one of the codebook's
// back-matter headings (references, acknowledgements, funding ...): its
// first words are those of a listed heading.
func (t *Tagger) backMatter(section string) bool {
	if section == "" || len(t.back) == 0 {
		return false
	}
	ws := words(section)
	for _, b := range t.back {
		if len(ws) >= len(b) && slices.Equal(ws[:len(b)], b) {
			return true
		}
	}
	return false
}

// sectionKey normalises a heading to compare sections of a document.
func sectionKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
