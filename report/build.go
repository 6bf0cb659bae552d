package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/peermap/peermap/corpus"
)

// link is a (unit, code) pair, or a (canonical label, code) pair.
type link struct{ unit, code string }

// Scopes of a hit: how the code was tied to the label.
const (
	scopeSentence = "sentence" // label and evidence in one sentence
	scopeAnaphora = "anaphora" // label in the sentence before the evidence's
	scopeHuman    = "human"    // a human code of a passage naming the label
	scopeRecord   = "record"   // a work-wide link in a title+abstract record
)

// scopeRank orders scopes from the strongest quote to the weakest.
var scopeRank = map[string]int{scopeSentence: 0, scopeAnaphora: 1, scopeHuman: 2, scopeRecord: 3}

// hit is one holding link: in one passage, a code describes a label.
type hit struct {
	view  int // index into builder.views
	doc   corpus.DocID
	work  corpus.DocID
	label string // canonical label named
	unit  string // the label's unit (family or label)
	code  string
	scope string
	ev    corpus.Span // code evidence; {-1, -1} if the code has none
	lab   corpus.Span // label mention; {-1, -1} when the label is named in another passage
	// quote range in the passage text: whole sentences, unless trim.
	qs, qe int
	trim   bool
}

// quotable reports whether h can be quoted: its quote shows the label.
func (h hit) quotable() bool { return h.lab.Start >= 0 && h.qe > h.qs }

// preferred reports whether h is in the work's preferred version.
func (h hit) preferred() bool { return h.doc == h.work }

// mention is one non-negated label annotation of a passage.
type mention struct {
	label, family, unit string
	span                corpus.Span // {-1, -1} when the annotation has no span
	sent                int         // sentence index of span, -1 if none or in a heading
}

// builder holds the tallies of one report.
type builder struct {
	in   Input
	opts Options

	docs   map[corpus.DocID]*corpus.Document
	work   map[corpus.DocID]corpus.DocID // doc → preferred member of its group
	views  []corpus.View                 // sorted by passage ID
	family map[string]string             // label → family

	hits      []hit
	unitHits  map[link][]int // (unit, code) → indexes into hits
	labelHits map[link][]int // (canonical label, code) → indexes into hits

	unitWorks map[string]map[corpus.DocID]bool
	unitPass  map[string]int
	linkWorks map[link]map[corpus.DocID]bool
	linkPass  map[link]int
	// unitCodes[u][work] is the set of codes linked to u in work.
	unitCodes map[string]map[corpus.DocID]map[string]bool
	// labelCodes[label][work] is the set of codes linked to a canonical label in work.
	labelCodes map[string]map[corpus.DocID]map[string]bool
	// labelUnit maps a canonical label to its unit.
	labelUnit map[string]string
	// workCodes[work][code] are the passages of work carrying code.
	workCodes map[corpus.DocID]map[string][]int
	workUnits map[corpus.DocID]map[string]bool
	workDocs  map[corpus.DocID]map[corpus.DocID]bool // work → its ingested member documents with passages
	anns      map[string]int                         // annotations by annotator
	dims      []Dimension                            // computed once by dimensionsCache

	passages, annotated, labelled, coded, human, peer int
	dropped                                           dropCounts
}

// dropCounts counts the code annotations that describe no label, by reason,
// for the method note.
type dropCounts struct {
	Confidence int // machine codes below Options.MinConfidence
	Overridden int // machine codes of a passage that has human codes
	Scope      int // machine codes linked at passage or document scope outside records
	Geometry   int // sentence or anaphora links whose label is not where the scope says
}

func newBuilder(in Input, opts Options) *builder {
	b := &builder{
		in:         in,
		opts:       opts,
		docs:       map[corpus.DocID]*corpus.Document{},
		work:       map[corpus.DocID]corpus.DocID{},
		family:     map[string]string{},
		unitHits:   map[link][]int{},
		labelHits:  map[link][]int{},
		unitWorks:  map[string]map[corpus.DocID]bool{},
		unitPass:   map[string]int{},
		linkWorks:  map[link]map[corpus.DocID]bool{},
		linkPass:   map[link]int{},
		unitCodes:  map[string]map[corpus.DocID]map[string]bool{},
		labelCodes: map[string]map[corpus.DocID]map[string]bool{},
		labelUnit:  map[string]string{},
		workCodes:  map[corpus.DocID]map[string][]int{},
		workUnits:  map[corpus.DocID]map[string]bool{},
		workDocs:   map[corpus.DocID]map[corpus.DocID]bool{},
		anns:       map[string]int{},
	}
	for _, d := range in.Docs {
		if d != nil {
			b.docs[d.ID] = d
		}
	}
	for _, v := range in.Views {
		if _, ok := b.docs[v.Passage.Doc]; !ok && v.Doc != nil {
			b.docs[v.Passage.Doc] = v.Doc
		}
	}
	b.groupWorks()
	for _, l := range in.Vocab.Labels {
		b.family[l.Label] = l.Family
	}
	b.views = slices.Clone(in.Views)
	slices.SortStableFunc(b.views, func(x, y corpus.View) int { return cmp.Compare(x.Passage.ID, y.Passage.ID) })
	return b
}

// groupWorks maps every document to the work it belongs to: the Preferred
// member of its version group (in.Groups first, then Document.Group), or
// itself.
func (b *builder) groupWorks() {
	for _, g := range b.in.Groups {
		pref := g.Preferred
		if pref == "" && len(g.Members) > 0 {
			pref = slices.Min(g.Members)
		}
		for _, m := range g.Members {
			if _, ok := b.work[m]; !ok {
				b.work[m] = pref
			}
		}
		if _, ok := b.work[pref]; !ok && pref != "" {
			b.work[pref] = pref
		}
	}
	byGroup := map[string][]*corpus.Document{}
	for _, id := range sortedKeys(b.docs) {
		d := b.docs[id]
		if _, ok := b.work[id]; ok || d.Group == "" {
			continue
		}
		byGroup[d.Group] = append(byGroup[d.Group], d)
	}
	for _, g := range sortedKeys(byGroup) {
		ms := byGroup[g]
		pref := ms[0].ID
		for _, d := range ms {
			if d.Preferred {
				pref = d.ID
				break
			}
		}
		for _, d := range ms {
			b.work[d.ID] = pref
		}
	}
}

// workOf returns the work a document belongs to.
func (b *builder) workOf(id corpus.DocID) corpus.DocID {
	if w, ok := b.work[id]; ok {
		return w
	}
	return id
}

// labelOf returns the canonical label a label annotation names (its family
// when it names none).
func labelOf(a corpus.Annotation) string {
	if a.Label != "" {
		return a.Label
	}
	return a.Family
}

// familyOfAnn returns the family of a label annotation.
func (b *builder) familyOfAnn(a corpus.Annotation) string {
	if a.Family != "" {
		return a.Family
	}
	return b.family[a.Label]
}

// unitOfLabel returns the unit of a canonical label of family fam.
func (b *builder) unitOfLabel(label, fam string) string {
	if b.opts.By == ByLabel {
		return label
	}
	return fam
}

// isRecord reports whether document d is a title+abstract record.
func (b *builder) isRecord(d corpus.DocID) bool {
	doc := b.docs[d]
	return doc != nil && doc.Kind == corpus.KindRecord
}

// kept splits a view's annotations into the label and code annotations the
// report counts: human annotations of a type replace the machine ones of
// that type for the passage (a coder who coded the passage has the last
// word), machine codes below Options.MinConfidence are left out, and
// negated annotations count for nothing. It also reports whether the passage has
// a human annotation and a peer annotation.
func (b *builder) kept(v corpus.View) (labels, codes []corpus.Annotation, human, peer bool) {
	var humanLabels, humanCodes bool
	for _, a := range v.Annotations {
		switch {
		case a.Type == corpus.AnnPeer && !a.Negated:
			peer = true
		case !a.Human():
		case a.Type == corpus.AnnLabel:
			humanLabels, human = true, true
		case a.Type == corpus.AnnCode:
			humanCodes, human = true, true
		}
	}
	for _, a := range v.Annotations {
		if a.Negated {
			continue
		}
		switch a.Type {
		case corpus.AnnLabel:
			if a.Human() != humanLabels || labelOf(a) == "" {
				continue
			}
			labels = append(labels, a)
		case corpus.AnnCode:
			if a.Code == "" {
				continue
			}
			if a.Human() != humanCodes {
				if humanCodes {
					b.dropped.Overridden++
				}
				continue
			}
			if !a.Human() && a.Confidence < b.opts.MinConfidence {
				b.dropped.Confidence++
				continue
			}
			codes = append(codes, a)
		}
	}
	return labels, codes, human, peer
}

// scan tallies every view.
func (b *builder) scan(ctx context.Context) error {
	// Labels named in each record, for work-wide links.
	named := map[corpus.DocID][]mention{}
	for _, v := range b.views {
		d := v.Passage.Doc
		if !b.isRecord(d) {
			continue
		}
		labels, _, _, _ := b.kept(v)
		for _, a := range labels {
			fam := b.familyOfAnn(a)
			named[d] = append(named[d], mention{label: labelOf(a), family: fam, unit: b.unitOfLabel(labelOf(a), fam), span: corpus.Span{Start: -1, End: -1}, sent: -1})
		}
	}
	b.dropped = dropCounts{}
	for i, v := range b.views {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("build report: %w", err)
			}
		}
		b.scanView(i, v, named[v.Passage.Doc])
	}
	return nil
}

func (b *builder) scanView(i int, v corpus.View, recordNamed []mention) {
	doc := v.Passage.Doc
	w := b.workOf(doc)
	b.passages++
	if b.workDocs[w] == nil {
		b.workDocs[w] = map[corpus.DocID]bool{}
	}
	b.workDocs[w][doc] = true
	for _, a := range v.Annotations {
		b.anns[a.Annotator]++
	}

	labels, codes, human, peer := b.kept(v)
	if len(labels) > 0 || len(codes) > 0 || peer {
		b.annotated++
	}
	if peer {
		b.peer++
	}
	if human {
		b.human++
	}
	if len(labels) > 0 {
		b.labelled++
	}
	if len(codes) > 0 {
		b.coded++
	}

	s := newSentences(v.Passage.Text, v.Passage.Section)
	var here []mention
	units := map[string]bool{}
	for _, a := range labels {
		fam := b.familyOfAnn(a)
		l := labelOf(a)
		if _, ok := b.family[l]; !ok && fam != "" {
			b.family[l] = fam
		}
		u := b.unitOfLabel(l, fam)
		b.labelUnit[l] = u
		m := mention{label: l, family: fam, unit: u, span: corpus.Span{Start: -1, End: -1}, sent: -1}
		if len(a.Spans) > 0 && validRange(v.Passage.Text, a.Spans[0].Start, a.Spans[0].End) {
			m.span = a.Spans[0]
			m.sent = s.of(m.span)
		}
		here = append(here, m)
		if !units[u] {
			units[u] = true
			b.unitPass[u]++
		}
		if b.unitWorks[u] == nil {
			b.unitWorks[u] = map[corpus.DocID]bool{}
		}
		b.unitWorks[u][w] = true
		if b.workUnits[w] == nil {
			b.workUnits[w] = map[string]bool{}
		}
		b.workUnits[w][u] = true
	}

	seenCode := map[string]bool{}
	best := map[link]hit{} // (label, code) → the best hit of this passage
	for _, a := range codes {
		if !seenCode[a.Code] {
			seenCode[a.Code] = true
			if b.workCodes[w] == nil {
				b.workCodes[w] = map[string][]int{}
			}
			b.workCodes[w][a.Code] = append(b.workCodes[w][a.Code], i)
		}
		for _, h := range b.holds(a, v, s, here, recordNamed) {
			h.view, h.doc, h.work, h.code = i, doc, w, a.Code
			k := link{h.label, h.code}
			if old, ok := best[k]; !ok || better(h, old) {
				best[k] = h
			}
		}
	}
	seen := map[link]bool{}
	for _, k := range sortedLinks(best) {
		h := best[k]
		idx := len(b.hits)
		b.hits = append(b.hits, h)
		b.labelHits[k] = append(b.labelHits[k], idx)
		ul := link{h.unit, h.code}
		b.unitHits[ul] = append(b.unitHits[ul], idx)
		addCode(b.labelCodes, h.label, w, h.code)
		if seen[ul] {
			continue
		}
		seen[ul] = true
		b.linkPass[ul]++
		if b.linkWorks[ul] == nil {
			b.linkWorks[ul] = map[corpus.DocID]bool{}
		}
		b.linkWorks[ul][w] = true
		addCode(b.unitCodes, h.unit, w, h.code)
	}
}

func addCode(m map[string]map[corpus.DocID]map[string]bool, k string, w corpus.DocID, code string) {
	if m[k] == nil {
		m[k] = map[corpus.DocID]map[string]bool{}
	}
	if m[k][w] == nil {
		m[k][w] = map[string]bool{}
	}
	m[k][w][code] = true
}

// sortedLinks returns the keys of m in order.
func sortedLinks[V any](m map[link]V) []link {
	out := make([]link, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(x, y link) int {
		if c := cmp.Compare(x.unit, y.unit); c != 0 {
			return c
		}
		return cmp.Compare(x.code, y.code)
	})
	return out
}

// better reports whether hit x makes a better quote than y: a quotable
// one, then a stronger scope, then one from the work's preferred version,
// then an untrimmed one, then a shorter quote, then the earlier passage,
// then the earlier place in it.
func better(x, y hit) bool {
	if x.quotable() != y.quotable() {
		return x.quotable()
	}
	if c := cmp.Compare(scopeRank[x.scope], scopeRank[y.scope]); c != 0 {
		return c < 0
	}
	if xp, yp := x.preferred(), y.preferred(); xp != yp {
		return xp
	}
	if x.trim != y.trim {
		return !x.trim
	}
	if c := cmp.Compare(x.qe-x.qs, y.qe-y.qs); c != 0 {
		return c < 0
	}
	if x.view != y.view {
		return x.view < y.view
	}
	return x.qs < y.qs
}

// holds returns the labels that code annotation a describes in the
// passage, each as a hit with the evidence, the label mention and the
// quote that shows both. These are the only links the report counts:
//
//   - a human code describes the labels of its Links named in the passage
//     (every label named there when it has no Links);
//   - a machine code of scope "sentence" describes a label of its Links
//     named in the sentence of one of its evidence spans;
//   - a machine code of scope "anaphora" describes a label of its Links
//     named in the sentence of an evidence span or in the sentence just
//     before it (the subject carried over: "They ...");
//   - in a title+abstract record, a machine code of any scope describes
//     the labels of its Links named anywhere in the record;
//   - nothing else: a passage- or document-scope link in an article or a
//     web page, or a link whose label is not where its scope says, counts
//     for nothing. Sentences are those of text.Sentences; a heading is no
//     sentence (see sentences.heading).
func (b *builder) holds(a corpus.Annotation, v corpus.View, s *sentences, here, recordNamed []mention) []hit {
	text := v.Passage.Text
	var evs []corpus.Span
	for _, sp := range a.Spans {
		if validRange(text, sp.Start, sp.End) && sp.End > sp.Start {
			evs = append(evs, sp)
		}
	}
	none := corpus.Span{Start: -1, End: -1}
	inLinks := func(m mention) bool { return slices.Contains(a.Links, m.family) }
	var out []hit
	if a.Human() {
		for _, m := range here {
			if len(a.Links) > 0 && !inLinks(m) {
				continue
			}
			h := hit{label: m.label, unit: m.unit, scope: scopeHuman, ev: none, lab: m.span}
			if len(evs) > 0 {
				h.ev = evs[0]
			}
			s.quote(&h)
			out = append(out, h)
		}
		return out
	}
	if len(a.Links) == 0 {
		return nil
	}
	switch a.LinkScope {
	case scopeSentence, scopeAnaphora:
		for _, ev := range evs {
			k := s.of(ev)
			if k < 0 {
				continue
			}
			for _, m := range here {
				if !inLinks(m) || m.sent < 0 {
					continue
				}
				scope := ""
				switch {
				case m.sent == k:
					scope = scopeSentence
				case a.LinkScope == scopeAnaphora && m.sent == k-1:
					scope = scopeAnaphora
				default:
					continue
				}
				h := hit{label: m.label, unit: m.unit, scope: scope, ev: ev, lab: m.span}
				s.quote(&h)
				out = append(out, h)
			}
		}
		if len(out) == 0 {
			b.dropped.Geometry++
		}
		return out
	}
	if !b.isRecord(v.Passage.Doc) {
		b.dropped.Scope++
		return nil
	}
	ev := none
	if len(evs) > 0 {
		ev = evs[0]
	}
	for _, m := range recordNamed {
		if !inLinks(m) {
			continue
		}
		h := hit{label: m.label, unit: m.unit, scope: scopeRecord, ev: ev, lab: none}
		// Quote the passage's own mention of the label, when there is one.
		for _, hm := range here {
			if hm.label == m.label && hm.sent >= 0 {
				h.lab = hm.span
				break
			}
		}
		s.quote(&h)
		out = append(out, h)
	}
	return out
}

// validRange reports whether [start, end) is a range of s on rune
// boundaries.
func validRange(s string, start, end int) bool {
	return start >= 0 && start <= end && end <= len(s) && runeStart(s, start) && runeStart(s, end)
}

func runeStart(s string, i int) bool { return i == len(s) || i < len(s) && (s[i]&0xC0 != 0x80) }
