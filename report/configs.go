package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// minCodes is the fewest codes a label-in-work profile needs to be
// clustered: one code ("they support people with diabetes") says which
// population, not which configuration.
const minCodes = 2

// Shares that make a code defining: in more than definingIn of the
// configuration's profiles (most of them), and in at most half that share
// elsewhere.
const definingIn = 0.5

// A profile is the set of codes one work links to one unit, under any of
// its canonical labels.
type profile struct {
	unit   string
	labels []string // canonical labels of the unit the work links codes to, sorted
	work   corpus.DocID
	codes  []string // sorted
}

// profiles returns the unit-in-work profiles with at least minCodes codes,
// in (work, unit) order, and how many had fewer.
func (b *builder) profiles() (out []profile, thin int) {
	byUnit := map[string][]string{}
	for _, l := range sortedKeys(b.labelUnit) {
		byUnit[b.labelUnit[l]] = append(byUnit[b.labelUnit[l]], l)
	}
	for _, u := range sortedKeys(b.unitCodes) {
		for _, w := range sortedKeys(b.unitCodes[u]) {
			p := profile{unit: u, work: w, codes: sortedKeys(b.unitCodes[u][w])}
			if len(p.codes) < minCodes {
				thin++
				continue
			}
			for _, l := range byUnit[u] {
				if len(b.labelCodes[l][w]) > 0 {
					p.labels = append(p.labels, l)
				}
			}
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(x, y profile) int { return cmp.Compare(x.work, y.work) })
	return out, thin
}

// configurations clusters the profiles and describes each cluster.
func (b *builder) configurations(ctx context.Context) ([]Configuration, Clustering, error) {
	ps, thin := b.profiles()
	cl := Clustering{Profiles: len(ps), Thin: thin}
	ws := map[corpus.DocID]bool{}
	for _, p := range ps {
		ws[p.work] = true
	}
	cl.Works = len(ws)
	if len(ps) == 0 {
		return nil, cl, nil
	}
	var codes []string
	for _, d := range b.dimensionsCache() {
		codes = append(codes, d.Codes...)
	}
	index := map[string]int{}
	for i, c := range codes {
		index[c] = i
	}
	var sp space
	for _, d := range b.dimensionsCache() {
		m := newBitset(len(codes))
		for _, c := range d.Codes {
			m.set(index[c])
		}
		sp = append(sp, m)
	}
	// Distinct code sets, in order of first profile.
	var pts []point
	of := make([]int, len(ps)) // profile → point
	seen := map[string]int{}
	for i, p := range ps {
		k := strings.Join(p.codes, " ")
		j, ok := seen[k]
		if !ok {
			j = len(pts)
			seen[k] = j
			set := newBitset(len(codes))
			for _, c := range p.codes {
				set.set(index[c])
			}
			pts = append(pts, point{set: set})
		}
		pts[j].w++
		of[i] = j
	}
	if err := ctx.Err(); err != nil {
		return nil, cl, fmt.Errorf("build report: %w", err)
	}
	labels, k, score, tried := bestCut(pts, b.opts.MaxConfigs, sp.gower)
	cl.Distinct, cl.K, cl.Silhouette, cl.Tried = len(pts), k, score, tried

	members := make([][]profile, k)
	for i, p := range ps {
		c := labels[of[i]]
		members[c] = append(members[c], p)
	}
	var out []Configuration
	for c := range k {
		out = append(out, b.describe(members[c], ps, codes))
	}
	// Most works first, then most profiles, then by summary and first work.
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := cmp.Compare(len(out[y].Works), len(out[x].Works)); c != 0 {
			return c
		}
		if c := cmp.Compare(out[y].Profiles, out[x].Profiles); c != 0 {
			return c
		}
		return cmp.Compare(out[x].Summary, out[y].Summary)
	})
	sorted := make([]Configuration, k)
	for i, j := range order {
		sorted[i] = out[j]
		sorted[i].ID = configID(i)
	}
	for i := range sorted {
		b.quoteConfig(&sorted[i], members[order[i]])
	}
	return sorted, cl, nil
}

// configID returns "A", "B", …, "Z", "AA", "AB", ….
func configID(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// describe makes the Configuration of the profiles in ms, out of all.
func (b *builder) describe(ms, all []profile, codes []string) Configuration {
	cfg := Configuration{Profiles: len(ms)}
	var shares []Share
	in, tot := map[string]int{}, map[string]int{}
	for _, p := range all {
		for _, c := range p.codes {
			tot[c]++
		}
	}
	for _, p := range ms {
		for _, c := range p.codes {
			in[c]++
		}
	}
	others := len(all) - len(ms)
	for _, c := range codes {
		if in[c] == 0 {
			continue
		}
		sh := Share{Code: c, Name: b.codeName(c), In: round3(float64(in[c]) / float64(len(ms)))}
		if others > 0 {
			sh.Out = round3(float64(tot[c]-in[c]) / float64(others))
		}
		shares = append(shares, sh)
		switch {
		case sh.In > definingIn && sh.Out <= sh.In/2:
			cfg.Defining = append(cfg.Defining, sh)
		case sh.In > definingIn:
			cfg.Common = append(cfg.Common, sh)
		}
	}
	byShare := func(x, y Share) int { return cmp.Compare(y.In-y.Out, x.In-x.Out) }
	slices.SortStableFunc(cfg.Defining, byShare)
	slices.SortStableFunc(cfg.Common, byShare)
	words := cfg.Defining
	if len(words) == 0 {
		words = cfg.Common
	}
	if len(words) == 0 {
		// No code in most profiles: the codes most of them share.
		top := 0.0
		for _, sh := range shares {
			top = max(top, sh.In)
		}
		for _, sh := range shares {
			if sh.In == top {
				words = append(words, sh)
			}
		}
	}
	cfg.Summary = b.summary(words)

	works := map[corpus.DocID]bool{}
	units := map[string]map[corpus.DocID]bool{}
	labels := map[string]map[string]map[corpus.DocID]bool{}
	for _, p := range ms {
		works[p.work] = true
		if units[p.unit] == nil {
			units[p.unit] = map[corpus.DocID]bool{}
			labels[p.unit] = map[string]map[corpus.DocID]bool{}
		}
		units[p.unit][p.work] = true
		for _, l := range p.labels {
			if labels[p.unit][l] == nil {
				labels[p.unit][l] = map[corpus.DocID]bool{}
			}
			labels[p.unit][l][p.work] = true
		}
	}
	cfg.Works = b.cites(works)
	for _, u := range sortedKeys(units) {
		cu := ConfigUnit{Unit: u, Works: b.cites(units[u])}
		for _, l := range sortedKeys(labels[u]) {
			cu.Labels = append(cu.Labels, Count{l, len(labels[u][l])})
		}
		slices.SortStableFunc(cu.Labels, func(x, y Count) int { return cmp.Compare(y.N, x.N) })
		cfg.Units = append(cfg.Units, cu)
	}
	slices.SortStableFunc(cfg.Units, func(x, y ConfigUnit) int { return cmp.Compare(len(y.Works), len(x.Works)) })
	return cfg
}

// quoteConfig quotes, for each unit of cfg, a passage of a member work in
// which one of the unit's labels carries the configuration's most defining
// code that has a quotable hit.
func (b *builder) quoteConfig(cfg *Configuration, ms []profile) {
	var codes []string
	for _, s := range slices.Concat(cfg.Defining, cfg.Common) {
		codes = append(codes, s.Code)
	}
	for i := range cfg.Units {
		cu := &cfg.Units[i]
	codes:
		for _, c := range codes {
			best := -1
			for _, p := range ms {
				if p.unit != cu.Unit {
					continue
				}
				for _, l := range p.labels {
					for _, hi := range b.labelHits[link{l, c}] {
						h := b.hits[hi]
						if h.work != p.work || !h.quotable() {
							continue
						}
						if best < 0 || better(h, b.hits[best]) {
							best = hi
						}
					}
				}
			}
			if best >= 0 {
				q := b.quoteOf(b.hits[best])
				cu.Quote = &q
				break codes
			}
		}
	}
}

// summary puts codes in words, from the codebook's names: "{knowledge}
// peers doing {role} in {setting} ({other dimension}: {names}; …)".
func (b *builder) summary(codes []Share) string {
	by := map[string][]string{}
	for _, s := range codes {
		d := corpus.Dimension(s.Code)
		by[d] = append(by[d], s.Name)
	}
	var sb strings.Builder
	if k := by["knowledge"]; len(k) > 0 {
		sb.WriteString(and(k) + " ")
	}
	sb.WriteString("peers")
	if r := by["role"]; len(r) > 0 {
		sb.WriteString(" doing " + and(r))
	}
	if s := by["setting"]; len(s) > 0 {
		sb.WriteString(" in " + and(s))
	}
	var rest []string
	for _, d := range b.dimensionsCache() {
		if d.ID == "knowledge" || d.ID == "role" || d.ID == "setting" || len(by[d.ID]) == 0 {
			continue
		}
		rest = append(rest, d.ID+": "+and(by[d.ID]))
	}
	if len(rest) > 0 {
		sb.WriteString(" (" + strings.Join(rest, "; ") + ")")
	}
	return sb.String()
}

// and joins words as "a", "a and b", "a, b and c".
func and(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// codeName returns the short name of code c.
func (b *builder) codeName(c string) string {
	for _, d := range b.dimensionsCache() {
		if i := slices.Index(d.Codes, c); i >= 0 {
			return d.Names[i]
		}
	}
	return c
}

// cites returns the in-text citations of works, in citation order.
func (b *builder) cites(works map[corpus.DocID]bool) []Cite {
	out := make([]Cite, 0, len(works))
	for w := range works {
		d := b.docs[w]
		if d == nil {
			d = &corpus.Document{ID: w}
		}
		out = append(out, Cite{Work: w, Text: text.InText(work(d))})
	}
	slices.SortFunc(out, func(x, y Cite) int {
		if c := cmp.Compare(x.Text, y.Text); c != 0 {
			return c
		}
		return cmp.Compare(x.Work, y.Work)
	})
	return out
}

// crosswalk returns, for every unit in a configuration (main units first,
// in their order, then rare ones), its works in each configuration.
func crosswalk(units, rare []Unit, cfgs []Configuration) []CrossRow {
	var out []CrossRow
	for _, u := range slices.Concat(units, rare) {
		row := CrossRow{Unit: u.Name, Works: u.Works, Cells: make([]int, len(cfgs))}
		any := false
		for j, c := range cfgs {
			for _, cu := range c.Units {
				if cu.Unit == u.Name {
					row.Cells[j] = len(cu.Works)
					any = true
				}
			}
		}
		if any {
			out = append(out, row)
		}
	}
	return out
}
