package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/peermap/peermap/corpus"
)

// link is a (unit, code) pair.
type link struct{ unit, code string }

// hit is one passage in which a code is linked to a unit, with the code's
// first evidence span.
type hit struct {
	view       int // index into builder.views
	work       corpus.DocID
	start, end int // code evidence, -1 if none
}

// builder holds the tallies of one report.
type builder struct {
	in   Input
	opts Options

	docs   map[corpus.DocID]*corpus.Document
	work   map[corpus.DocID]corpus.DocID // doc → preferred member of its group
	views  []corpus.View                 // sorted by passage ID
	family map[string]string             // label → family

	unitWorks map[string]map[corpus.DocID]bool
	unitPass  map[string]int
	linkWorks map[link]map[corpus.DocID]bool
	linkPass  map[link]int
	linkHits  map[link][]hit
	// unitCodes[u][work] is the set of codes linked to u in work.
	unitCodes map[string]map[corpus.DocID]map[string]bool
	// unitSpans[u][view] is the first span naming u in the view.
	unitSpans map[string]map[int]corpus.Span
	// workCodes[work][code] are the passages of work carrying code.
	workCodes map[corpus.DocID]map[string][]int
	workUnits map[corpus.DocID]map[string]bool
	workDocs  map[corpus.DocID]map[corpus.DocID]bool // work → its ingested member documents with passages
	extra     map[string]bool                        // codes seen that the vocabulary lacks
	anns      map[string]int                         // annotations by annotator
	dims      []Dimension                            // computed once by dimensionsCache
	perDoc    map[corpus.DocID]int                   // passages by document

	passages, annotated, labelled, coded, human int
}

func newBuilder(in Input, opts Options) *builder {
	b := &builder{
		in:        in,
		opts:      opts,
		docs:      map[corpus.DocID]*corpus.Document{},
		work:      map[corpus.DocID]corpus.DocID{},
		family:    map[string]string{},
		unitWorks: map[string]map[corpus.DocID]bool{},
		unitPass:  map[string]int{},
		linkWorks: map[link]map[corpus.DocID]bool{},
		linkPass:  map[link]int{},
		linkHits:  map[link][]hit{},
		unitCodes: map[string]map[corpus.DocID]map[string]bool{},
		unitSpans: map[string]map[int]corpus.Span{},
		workCodes: map[corpus.DocID]map[string][]int{},
		workUnits: map[corpus.DocID]map[string]bool{},
		workDocs:  map[corpus.DocID]map[corpus.DocID]bool{},
		extra:     map[string]bool{},
		anns:      map[string]int{},
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
	b.perDoc = map[corpus.DocID]int{}
	for _, v := range in.Views {
		b.perDoc[v.Passage.Doc]++
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

// unitOf returns the unit a label annotation names.
func (b *builder) unitOf(a corpus.Annotation) string {
	if b.opts.By == ByLabel {
		return a.Label
	}
	return a.Family
}

// familyOf returns the family of unit u.
func (b *builder) familyOf(u string) string {
	if b.opts.By == ByLabel {
		return b.family[u]
	}
	return u
}

// scan tallies every view.
func (b *builder) scan(ctx context.Context) error {
	// Units named in each document, for document-scope links.
	named := map[corpus.DocID]map[string]bool{}
	for _, v := range b.views {
		for _, a := range v.Annotations {
			if a.Type != corpus.AnnLabel || a.Negated {
				continue
			}
			if a.Label != "" && a.Family != "" {
				if _, ok := b.family[a.Label]; !ok {
					b.family[a.Label] = a.Family
				}
			}
			u := b.unitOf(a)
			if u == "" {
				continue
			}
			d := v.Passage.Doc
			if named[d] == nil {
				named[d] = map[string]bool{}
			}
			named[d][u] = true
		}
	}
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

func (b *builder) scanView(i int, v corpus.View, docNamed map[string]bool) {
	doc := v.Passage.Doc
	w := b.workOf(doc)
	b.passages++
	if b.workDocs[w] == nil {
		b.workDocs[w] = map[corpus.DocID]bool{}
	}
	b.workDocs[w][doc] = true

	here := map[string]bool{} // units named in this passage
	var anyAnn, anyCode, anyLabel, anyHuman bool
	for _, a := range v.Annotations {
		b.anns[a.Annotator]++
		if a.Negated {
			continue
		}
		anyAnn = true
		if a.Human() {
			anyHuman = true
		}
		switch a.Type {
		case corpus.AnnLabel:
			u := b.unitOf(a)
			if u == "" {
				continue
			}
			anyLabel = true
			if !here[u] {
				here[u] = true
				b.unitPass[u]++
			}
			if b.unitWorks[u] == nil {
				b.unitWorks[u] = map[corpus.DocID]bool{}
				b.unitSpans[u] = map[int]corpus.Span{}
			}
			b.unitWorks[u][w] = true
			if _, ok := b.unitSpans[u][i]; !ok && len(a.Spans) > 0 {
				b.unitSpans[u][i] = a.Spans[0]
			}
			if b.workUnits[w] == nil {
				b.workUnits[w] = map[string]bool{}
			}
			b.workUnits[w][u] = true
		case corpus.AnnCode:
			if a.Code != "" {
				anyCode = true
			}
		}
	}
	if anyAnn {
		b.annotated++
	}
	if anyLabel {
		b.labelled++
	}
	if anyCode {
		b.coded++
	}
	if anyHuman {
		b.human++
	}

	seen := map[link]bool{}
	seenCode := map[string]bool{}
	for _, a := range v.Annotations {
		if a.Type != corpus.AnnCode || a.Negated || a.Code == "" {
			continue
		}
		if !seenCode[a.Code] {
			seenCode[a.Code] = true
			if b.workCodes[w] == nil {
				b.workCodes[w] = map[string][]int{}
			}
			b.workCodes[w][a.Code] = append(b.workCodes[w][a.Code], i)
		}
		start, end := -1, -1
		if len(a.Spans) > 0 {
			start, end = a.Spans[0].Start, a.Spans[0].End
		}
		for _, u := range b.targets(a, here, docNamed) {
			l := link{u, a.Code}
			if seen[l] {
				continue
			}
			seen[l] = true
			b.linkPass[l]++
			if b.linkWorks[l] == nil {
				b.linkWorks[l] = map[corpus.DocID]bool{}
			}
			b.linkWorks[l][w] = true
			b.linkHits[l] = append(b.linkHits[l], hit{view: i, work: w, start: start, end: end})
			if b.unitCodes[u] == nil {
				b.unitCodes[u] = map[corpus.DocID]map[string]bool{}
			}
			if b.unitCodes[u][w] == nil {
				b.unitCodes[u][w] = map[string]bool{}
			}
			b.unitCodes[u][w][a.Code] = true
		}
	}
}

// targets returns the units a code annotation describes, sorted.
//
// With Links set, they are the units named in the passage whose family is
// in Links, or, if there are none and the document is short (see
// shortDoc), the units named anywhere in the document whose family is in
// Links. A link of scope "document" counts only in a short document: in a
// long one, a label named once (in a reference list, say) would take every
// code of the whole text. Without Links and without LinkScope
// (a human code, or an annotator that does not link), they are all the
// units named in the passage. Without Links but with a LinkScope, the
// annotator decided the code describes no label: none.
func (b *builder) targets(a corpus.Annotation, here, doc map[string]bool) []string {
	if len(a.Links) == 0 {
		if a.LinkScope != "" {
			return nil
		}
		return sortedKeys(here)
	}
	if a.LinkScope == "document" && !b.shortDoc(a.Passage.Doc()) {
		return nil
	}
	pick := func(set map[string]bool) []string {
		var out []string
		for _, u := range sortedKeys(set) {
			if slices.Contains(a.Links, b.familyOf(u)) {
				out = append(out, u)
			}
		}
		return out
	}
	if out := pick(here); len(out) > 0 {
		return out
	}
	if !b.shortDoc(a.Passage.Doc()) {
		return nil
	}
	return pick(doc)
}

// shortDoc reports whether document-scope links count in document d: it
// has at most Options.DocLinks passages.
func (b *builder) shortDoc(d corpus.DocID) bool {
	return b.opts.DocLinks >= 0 && b.perDoc[d] <= b.opts.DocLinks
}
