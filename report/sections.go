package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// dimensions lists the codebook's dimensions with their codes, adding codes
// found in annotations that the vocabulary lacks (sorted, after the
// codebook's) so nothing counted is hidden.
func (b *builder) dimensions() []Dimension {
	var dims []Dimension
	idx := map[string]int{}
	known := map[string]bool{}
	add := func(dim, question string) int {
		if i, ok := idx[dim]; ok {
			if dims[i].Question == "" {
				dims[i].Question = question
			}
			return i
		}
		idx[dim] = len(dims)
		dims = append(dims, Dimension{ID: dim, Question: question})
		return idx[dim]
	}
	for _, c := range b.in.Vocab.Codes {
		dim := c.Dimension
		if dim == "" {
			dim = corpus.Dimension(c.ID)
		}
		i := add(dim, c.Question)
		if known[c.ID] {
			continue
		}
		known[c.ID] = true
		name := c.Name
		if name == "" {
			name = strings.TrimPrefix(c.ID, dim+".")
		}
		dims[i].Codes = append(dims[i].Codes, c.ID)
		dims[i].Names = append(dims[i].Names, name)
	}
	seen := map[string]bool{}
	for _, codes := range b.workCodes {
		for c := range codes {
			seen[c] = true
		}
	}
	var extra []string
	for _, c := range sortedKeys(seen) {
		if !known[c] {
			extra = append(extra, c)
		}
	}
	// Unknown dimensions go in the map's order, then by name.
	slices.SortStableFunc(extra, func(x, y string) int {
		return cmp.Compare(dimRank(corpus.Dimension(x)), dimRank(corpus.Dimension(y)))
	})
	for _, c := range extra {
		dim := corpus.Dimension(c)
		i := add(dim, "")
		dims[i].Codes = append(dims[i].Codes, c)
		dims[i].Names = append(dims[i].Names, strings.TrimPrefix(c, dim+"."))
	}
	return dims
}

func dimRank(d string) int {
	if i := slices.Index(corpus.Dimensions, d); i >= 0 {
		return i
	}
	return len(corpus.Dimensions)
}

// Definitions of the report's measures, for the method note.
func definitions(o Options) []Definition {
	unit := map[string]string{ByFamily: "family (all the names the codebook groups together, e.g. \"peer navigator\" with \"patient navigator\")", ByLabel: "(a canonical name such as \"patient navigator\")"}[o.By]
	return []Definition{
		{"work", "A document counted once per version group: preprint, report and journal versions of one study, or a record and its full text, are one work, cited through the group's preferred member. Passage counts are not merged: they count every passage of every version."},
		{"unit", "A row of the report: a label " + unit + ". A unit is named in a passage when a non-negated label annotation names it."},
		{"link", fmt.Sprintf("A code counts for a label only where the text ties them: the code's evidence and the label sit in one sentence (link scope \"sentence\"), or the label is the subject carried over from the sentence just before (\"anaphora\": \"They ...\"), among the label families the annotator linked the code to. Sentences are those of the one sentence splitter (internal/text); a heading is not a sentence, so a label or a code found in a heading counts for nothing. Links of wider scope (\"passage\", \"document\") count only in title+abstract records (kind record), where they hold work-wide. Machine codes count only with a confidence (a calibrated probability) of at least %s; human codes replace the machine codes of the passage they code, and describe the labels of their links (every label named in the passage when they have none). Negated annotations count for nothing.", num(o.MinConfidence))},
		{"cell", "works: the number of works in which the code describes the unit, out of the works that name the unit; passages: the passages carrying such a link."},
		{"profile", fmt.Sprintf("A label-in-work profile is the set of codes, over the six dimensions, that one work links to one label. When a work uses several names of one unit for the same peers (codes overlapping by half or more), their profiles are merged; when it uses two names for two different groups, they stay apart. Profiles with fewer than %d codes say too little to be placed and are left out of the configurations.", minCodes)},
		{"configuration", fmt.Sprintf("A cluster of profiles: hierarchical clustering with average linkage (UPGMA) on the Jaccard distance between code sets, each profile weighing 1; the dendrogram is cut into the number of clusters, from 2 to %d, with the highest mean silhouette (ties to fewer clusters), and into one cluster when no cut scores above 0. The method is deterministic: no random start, ties broken by order. A unit names a configuration when one of its profiles is in it; a configuration goes by the units (and canonical labels) of its profiles. One unit in several configurations hides different roles; one configuration under several units is one role under different names.", o.MaxConfigs)},
		{"defining", fmt.Sprintf("A code is defining for a configuration when more than %s of its profiles carry it and at most half that share of the other profiles do; common codes are in more than %s of its profiles but not rare elsewhere. A configuration is put in words from its defining codes (its common codes when it has none) with the codebook's category names: knowledge, then role (doing …), then setting (in …), then the other dimensions in brackets.", num(definingIn), num(definingIn))},
		{"entropy", "Supporting figure. For a unit U and a dimension D: for each work w naming U, S_w is the set of D-codes linked to U in w; works with empty S_w are left out, n is the number left (shown as 'coded'). Each work gives weight 1, split evenly among its codes: p(c) = (1/n) Σ_w [c ∈ S_w]/|S_w|. The normalised entropy is H/log k, where H = -Σ p(c) log p(c) and k is the number of codes of D in the codebook; 0 means every work gives U the same single code, 1 means the works spread evenly over all codes of D. It is defined only when n ≥ 2 and k ≥ 2. A unit's spread score is the mean over the dimensions where it is defined."},
		{"dissimilarity", "Supporting figure. The mean, over all pairs of U's coded works, of the Jaccard distance 1 - |S_a ∩ S_b| / |S_a ∪ S_b| between their D-code sets: 0 when all works agree, 1 when no two works share a code."},
		{"contrast", "For the most spread units, two quotes from the two works whose code sets differ most (largest Jaccard distance) in one dimension; each shows the unit's label with a code the other work lacks."},
		{"jsd", "Supporting figure. Profile of a unit: over all codes of all dimensions, the number of works in which the code describes the unit, normalised to sum to 1. Two units are compared by the Jensen–Shannon divergence JSD(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q), with base-2 logarithms: 0 for identical profiles, 1 for profiles with no code in common. Pairs sharing no code are not listed."},
		{"quote", fmt.Sprintf("Every quote shows one link that counts: it runs from the start of the first to the end of the last of the sentences holding the label (or, for an anaphora, its antecedent) and the code's evidence, and holds no heading. A quote longer than %d bytes is cut after both, at a word end, and marked with \"…\". Its Start and End are byte offsets into the passage text, and the citation gives first author, year, title, page (or section, or paragraph number) and the passage ID.", maxQuote)},
	}
}

func (b *builder) method() Method {
	m := Method{
		Codebook:    b.in.Vocab.Version,
		Annotator:   b.in.Annotator,
		Annotators:  counts(b.anns),
		Eval:        b.in.Eval,
		Definitions: definitions(b.opts),
		Links: Links{
			Confidence: b.dropped.Confidence,
			Overridden: b.dropped.Overridden,
			Scope:      b.dropped.Scope,
			Geometry:   b.dropped.Geometry,
		},
	}
	for _, h := range b.hits {
		m.Links.Holding++
		switch h.scope {
		case scopeSentence:
			m.Links.Sentence++
		case scopeAnaphora:
			m.Links.Anaphora++
		case scopeHuman:
			m.Links.Human++
		case scopeRecord:
			m.Links.Record++
		}
	}
	if m.Codebook == "" {
		m.Codebook = "unknown"
	}
	return m
}

func (b *builder) flow() Flow {
	f := Flow{
		Files:     len(b.in.Sources),
		Passages:  b.passages,
		Annotated: b.annotated,
		Peer:      b.peer,
		Labelled:  b.labelled,
		Coded:     b.coded,
		Human:     b.human,
	}
	status := map[string]int{}
	reasons := map[string]int{}
	for _, s := range b.in.Sources {
		status[s.Status]++
		if s.Status == corpus.StatusSkipped || s.Status == corpus.StatusFailed {
			r := s.Reason
			if r == "" {
				r = s.Status
			}
			reasons[r]++
		}
	}
	f.Statuses = counts(status)
	f.FileReasons = counts(reasons)

	skips := map[string]int{}
	members := map[corpus.DocID]int{}
	works := map[corpus.DocID]bool{}
	type tally struct {
		docs, passages int
		works          map[corpus.DocID]bool
	}
	kinds, langs := map[string]*tally{}, map[string]*tally{}
	passages := map[corpus.DocID]int{}
	for _, v := range b.views {
		passages[v.Passage.Doc]++
	}
	bump := func(m map[string]*tally, k string, d *corpus.Document) {
		if k == "" {
			k = "unknown"
		}
		t := m[k]
		if t == nil {
			t = &tally{works: map[corpus.DocID]bool{}}
			m[k] = t
		}
		t.docs++
		t.passages += passages[d.ID]
		t.works[b.workOf(d.ID)] = true
	}
	for _, id := range sortedKeys(b.docs) {
		d := b.docs[id]
		f.Documents++
		members[b.workOf(id)]++
		if d.Skip != corpus.NotSkipped {
			f.Skipped++
			skips[d.Skip.String()]++
			continue
		}
		f.Ingested++
		works[b.workOf(id)] = true
		bump(kinds, string(d.Kind), d)
		bump(langs, d.Lang, d)
	}
	for _, n := range members {
		if n > 1 {
			f.Groups++
			f.Grouped += n
		}
	}
	f.Works = len(works)
	f.SkipReasons = counts(skips)
	breakdown := func(m map[string]*tally) []Breakdown {
		var out []Breakdown
		for _, k := range sortedKeys(m) {
			out = append(out, Breakdown{Name: k, Docs: m[k].docs, Works: len(m[k].works), Passages: m[k].passages})
		}
		slices.SortStableFunc(out, func(x, y Breakdown) int { return cmp.Compare(y.Docs, x.Docs) })
		return out
	}
	f.Kinds = breakdown(kinds)
	f.Langs = breakdown(langs)
	return f
}

// units returns the units named in at least MinDocs works, and the others.
func (b *builder) units() (main, rare []Unit) {
	var all []Unit
	for _, u := range sortedKeys(b.unitWorks) {
		un := Unit{Name: u, Works: len(b.unitWorks[u]), Passages: b.unitPass[u], Coded: len(b.unitCodes[u])}
		if b.opts.By == ByLabel {
			un.Family = b.family[u]
		}
		all = append(all, un)
	}
	slices.SortStableFunc(all, func(x, y Unit) int {
		if c := cmp.Compare(y.Works, x.Works); c != 0 {
			return c
		}
		return cmp.Compare(y.Passages, x.Passages)
	})
	for _, un := range all {
		if un.Works >= b.opts.MinDocs {
			main = append(main, un)
			continue
		}
		un.Codes = b.unitCells(un.Name)
		rare = append(rare, un)
	}
	return main, rare
}

// unitCells returns the codes linked to u, most works first.
func (b *builder) unitCells(u string) []Cell {
	var out []Cell
	seen := map[string]bool{}
	for _, codes := range b.unitCodes[u] {
		for c := range codes {
			seen[c] = true
		}
	}
	for _, c := range sortedKeys(seen) {
		l := link{u, c}
		out = append(out, Cell{Code: c, Works: len(b.linkWorks[l]), Passages: b.linkPass[l]})
	}
	slices.SortStableFunc(out, func(x, y Cell) int { return cmp.Compare(y.Works, x.Works) })
	return out
}

func (b *builder) matrices(dims []Dimension, units []Unit) []Matrix {
	var out []Matrix
	for _, d := range dims {
		m := Matrix{Dimension: d.ID, Question: d.Question, Codes: d.Codes, Names: d.Names}
		for _, u := range units {
			row := Row{Unit: u.Name, Works: u.Works}
			for _, c := range d.Codes {
				l := link{u.Name, c}
				row.Cells = append(row.Cells, Cell{Code: c, Works: len(b.linkWorks[l]), Passages: b.linkPass[l]})
			}
			m.Rows = append(m.Rows, row)
		}
		out = append(out, m)
	}
	return out
}

// codeSets returns, for unit u and the codes of d, each coded work's set of
// codes (sorted by d's order), in work order.
func (b *builder) codeSets(u string, d Dimension) (works []corpus.DocID, sets [][]string) {
	for _, w := range sortedKeys(b.unitCodes[u]) {
		var s []string
		for _, c := range d.Codes {
			if b.unitCodes[u][w][c] {
				s = append(s, c)
			}
		}
		if len(s) > 0 {
			works = append(works, w)
			sets = append(sets, s)
		}
	}
	return works, sets
}

func (b *builder) spread(dims []Dimension, units []Unit) []Spread {
	var out []Spread
	for _, u := range units {
		s := Spread{Unit: u.Name, Works: u.Works}
		n := 0
		for _, d := range dims {
			_, sets := b.codeSets(u.Name, d)
			ds := DimSpread{Dimension: d.ID, Coded: len(sets)}
			p := make([]float64, len(d.Codes))
			seen := map[string]bool{}
			for _, set := range sets {
				for _, c := range set {
					seen[c] = true
					p[slices.Index(d.Codes, c)] += 1 / float64(len(set)) / float64(len(sets))
				}
			}
			ds.Codes = len(seen)
			ds.Defined = len(sets) >= 2 && len(d.Codes) >= 2
			if ds.Defined {
				ds.Entropy = round3(entropy(p, len(d.Codes)))
				// Works with the same set are at distance 0: sum over
				// distinct sets, weighted by how many works have each.
				gs := distinct(nil, sets)
				sum := 0.0
				for i := range gs {
					for j := i + 1; j < len(gs); j++ {
						sum += float64(gs[i].n*gs[j].n) * jaccardDistance(gs[i].set, gs[j].set)
					}
				}
				nw := len(sets)
				ds.Dissimilarity = round3(sum / float64(nw*(nw-1)/2))
				s.Score += ds.Entropy
				n++
			}
			s.Dims = append(s.Dims, ds)
		}
		if n > 0 {
			s.Score = round3(s.Score / float64(n))
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y Spread) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		return cmp.Compare(y.Works, x.Works)
	})
	quoted := 0
	for i := range out {
		if quoted == b.opts.Top || out[i].Score == 0 {
			break
		}
		if c := b.contrast(out[i], dims); c != nil {
			out[i].Contrast = c
			quoted++
		}
	}
	return out
}

// contrast quotes the two works whose code sets for the unit differ most
// (largest Jaccard distance) in the dimension where they differ most; ties
// go to the dimension of higher entropy, then to codebook order, and within
// a dimension to the first pair in work ID order.
func (b *builder) contrast(s Spread, dims []Dimension) *Contrast {
	type cand struct {
		dim   int
		dist  float64
		works [2]corpus.DocID
		sets  [2][]string
	}
	var cands []cand
	for di := range s.Dims {
		if !s.Dims[di].Defined {
			continue
		}
		gs := distinct(b.codeSets(s.Unit, dims[di]))
		best := cand{dim: di}
		for i := range gs {
			for j := i + 1; j < len(gs); j++ {
				if d := jaccardDistance(gs[i].set, gs[j].set); d > best.dist {
					best.dist, best.works, best.sets = d, [2]corpus.DocID{gs[i].first, gs[j].first}, [2][]string{gs[i].set, gs[j].set}
				}
			}
		}
		if best.dist > 0 {
			cands = append(cands, best)
		}
	}
	slices.SortStableFunc(cands, func(x, y cand) int {
		if c := cmp.Compare(y.dist, x.dist); c != 0 {
			return c
		}
		return cmp.Compare(s.Dims[y.dim].Entropy, s.Dims[x.dim].Entropy)
	})
	for _, c := range cands {
		qa, oka := b.quoteIn(s.Unit, c.works[0], only(c.sets[0], c.sets[1]))
		qb, okb := b.quoteIn(s.Unit, c.works[1], only(c.sets[1], c.sets[0]), b.viewsOf(qa.Passage)...)
		if !oka || !okb {
			continue
		}
		return &Contrast{Dimension: dims[c.dim].ID, A: qa, ACodes: c.sets[0], B: qb, BCodes: c.sets[1]}
	}
	return nil
}

// setGroup is one distinct code set, the first work (in work order) that
// has it and how many works do.
type setGroup struct {
	set   []string
	first corpus.DocID
	n     int
}

// distinct groups equal sets, in order of first appearance. works may be
// nil when only the counts matter.
func distinct(works []corpus.DocID, sets [][]string) []setGroup {
	var out []setGroup
	idx := map[string]int{}
	for i, set := range sets {
		k := strings.Join(set, "\x00")
		if j, ok := idx[k]; ok {
			out[j].n++
			continue
		}
		idx[k] = len(out)
		g := setGroup{set: set, n: 1}
		if works != nil {
			g.first = works[i]
		}
		out = append(out, g)
	}
	return out
}

// only returns the codes of a not in b, or a if there are none.
func only(a, b []string) []string {
	var out []string
	for _, c := range a {
		if !slices.Contains(b, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return a
	}
	return out
}

// quoteIn quotes a passage of work w (any work when w is "") in which one
// of codes is linked to unit u, with a holding link (see holds): the best
// hit by better, avoiding the views in avoid unless nothing else is left.
func (b *builder) quoteIn(u string, w corpus.DocID, codes []string, avoid ...int) (Quote, bool) {
	best := -1
	for _, c := range codes {
		for _, hi := range b.unitHits[link{u, c}] {
			h := b.hits[hi]
			if w != "" && h.work != w || !h.quotable() {
				continue
			}
			if best < 0 {
				best = hi
				continue
			}
			avoidH, avoidB := slices.Contains(avoid, h.view), slices.Contains(avoid, b.hits[best].view)
			if avoidH != avoidB {
				if !avoidH {
					best = hi
				}
				continue
			}
			if better(h, b.hits[best]) {
				best = hi
			}
		}
	}
	if best < 0 {
		return Quote{}, false
	}
	return b.quoteOf(b.hits[best]), true
}

func (b *builder) pairs(units []Unit) []Pair {
	var codes []string
	for _, d := range b.dimensionsCache() {
		codes = append(codes, d.Codes...)
	}
	type prof struct {
		name string
		p    []float64
	}
	var profs []prof
	for _, u := range units {
		if u.Coded == 0 {
			continue
		}
		p := make([]float64, len(codes))
		sum := 0.0
		for i, c := range codes {
			p[i] = float64(len(b.linkWorks[link{u.Name, c}]))
			sum += p[i]
		}
		if sum == 0 {
			continue
		}
		for i := range p {
			p[i] /= sum
		}
		profs = append(profs, prof{u.Name, p})
	}
	var out []Pair
	for i := range profs {
		for j := i + 1; j < len(profs); j++ {
			a, c := profs[i], profs[j]
			type share struct {
				code string
				min  float64
			}
			var shared []share
			for k, code := range codes {
				if a.p[k] > 0 && c.p[k] > 0 {
					shared = append(shared, share{code, min(a.p[k], c.p[k])})
				}
			}
			if len(shared) == 0 {
				continue
			}
			slices.SortStableFunc(shared, func(x, y share) int { return cmp.Compare(y.min, x.min) })
			pr := Pair{A: a.name, B: c.name, JSD: round3(jsd(a.p, c.p))}
			for _, s := range shared {
				pr.Shared = append(pr.Shared, s.code)
			}
			out = append(out, pr)
		}
	}
	slices.SortStableFunc(out, func(x, y Pair) int { return cmp.Compare(x.JSD, y.JSD) })
	if len(out) > 2*b.opts.Top {
		out = out[:2*b.opts.Top]
	}
	for i := range out {
		p := &out[i]
		top := p.Shared[:1]
		if qa, ok := b.quoteIn(p.A, "", top); ok {
			p.QuoteA = &qa
			avoid := b.viewsOf(qa.Passage)
			// Prefer a passage of another work for B.
			var qb Quote
			found := false
			for _, w := range sortedKeys(b.linkWorks[link{p.B, top[0]}]) {
				if w == b.workOf(qa.Doc) {
					continue
				}
				if qb, found = b.quoteIn(p.B, w, top, avoid...); found {
					break
				}
			}
			if !found {
				qb, found = b.quoteIn(p.B, "", top, avoid...)
			}
			if found {
				p.QuoteB = &qb
			}
		}
	}
	return out
}

// viewsOf returns the index of the view of passage id.
func (b *builder) viewsOf(id corpus.PassageID) []int {
	i, ok := slices.BinarySearchFunc(b.views, id, func(v corpus.View, id corpus.PassageID) int { return cmp.Compare(v.Passage.ID, id) })
	if !ok {
		return nil
	}
	return []int{i}
}

// dimensionsCache returns the dimensions, computed once.
func (b *builder) dimensionsCache() []Dimension {
	if b.dims == nil {
		b.dims = b.dimensions()
	}
	return b.dims
}

func (b *builder) evidence(dims []Dimension) []Evidence {
	versions := map[corpus.DocID]int{}
	sources := map[corpus.DocID][]string{}
	for _, id := range sortedKeys(b.docs) {
		if d := b.docs[id]; d.Skip == corpus.NotSkipped {
			w := b.workOf(id)
			versions[w]++
			if id != w {
				sources[w] = append(sources[w], d.Path)
			}
		}
	}
	type row struct {
		ev  Evidence
		doc *corpus.Document
	}
	var rows []row
	for _, w := range sortedKeys(b.workDocs) {
		d := b.docs[w]
		if d == nil {
			d = b.docs[sortedKeys(b.workDocs[w])[0]]
		}
		if d == nil {
			d = &corpus.Document{ID: w}
		}
		ev := Evidence{Work: w, Citation: citation(d), Kind: d.Kind, Lang: d.Lang, Versions: max(versions[w], 1), Units: sortedKeys(b.workUnits[w])}
		ev.Sources = append([]string{d.Path}, sources[w]...)
		for _, dim := range dims {
			ed := EvidenceDim{Dimension: dim.ID}
			for _, c := range dim.Codes {
				vs := b.workCodes[w][c]
				if len(vs) == 0 {
					continue
				}
				ce := CodeEvidence{Code: c, Passages: len(vs)}
				for _, vi := range vs {
					p := b.views[vi].Passage
					ce.Where = append(ce.Where, Loc{Passage: p.ID, Page: p.Page, Section: p.Section})
				}
				// The preferred version's passages first.
				slices.SortStableFunc(ce.Where, func(x, y Loc) int {
					return cmp.Compare(btoi(x.Passage.Doc() != w), btoi(y.Passage.Doc() != w))
				})
				ed.Codes = append(ed.Codes, ce)
			}
			ev.Dims = append(ev.Dims, ed)
		}
		rows = append(rows, row{ev, d})
	}
	slices.SortStableFunc(rows, func(x, y row) int {
		if c := cmp.Compare(text.Family(first(x.doc.Authors)), text.Family(first(y.doc.Authors))); c != 0 {
			return c
		}
		if c := cmp.Compare(x.doc.Year, y.doc.Year); c != 0 {
			return c
		}
		return cmp.Compare(text.Title(work(x.doc)), text.Title(work(y.doc)))
	})
	out := make([]Evidence, len(rows))
	for i, r := range rows {
		out[i] = r.ev
	}
	return out
}

func first(as []string) string {
	if len(as) == 0 {
		return ""
	}
	return as[0]
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
