package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
)

// maxCites is how many works a Findings sentence cites before "and N
// more" (Finding.Works lists them all).
const maxCites = 6

// A unit's sentence describes a configuration it names when the
// configuration holds at least minWorks of the unit's works or minShare of
// those placed in a configuration; it lists the others by letter only
// ("and one work each in (C) and (D)"). Finding.Configs lists them all.
const (
	minWorks = 2
	minShare = 0.25
)

// findings writes the Findings sentences of r: one per unit named in at
// least FindingWorks works (the configurations it names), then one per
// configuration (the units it goes by). r's configurations, units and
// quotes must be final.
func (b *builder) findings(r *Report) []Finding {
	byID := map[string]*Configuration{}
	for i := range r.Configurations {
		byID[r.Configurations[i].ID] = &r.Configurations[i]
	}
	var out []Finding
	for _, u := range slices.Concat(r.Units, r.Rare) {
		if u.Works < b.opts.FindingWorks {
			continue
		}
		out = append(out, b.unitFinding(r, u))
	}
	for i := range r.Configurations {
		out = append(out, configFinding(&r.Configurations[i], r.By))
	}
	return out
}

// unitFinding: "'peer navigator' names two configurations: (A) … in 1 work
// (Okafor & Whitcombe 2021); and (B) … in 1 work (Delaney 2017)."
func (b *builder) unitFinding(r *Report, u Unit) Finding {
	f := Finding{Kind: FindingUnit, Subject: u.Name, Units: []string{u.Name}}
	type item struct {
		cfg  *Configuration
		unit *ConfigUnit
	}
	var items []item
	for i := range r.Configurations {
		c := &r.Configurations[i]
		for j := range c.Units {
			if c.Units[j].Unit == u.Name {
				items = append(items, item{c, &c.Units[j]})
			}
		}
	}
	slices.SortStableFunc(items, func(x, y item) int { return len(y.unit.Works) - len(x.unit.Works) })
	if len(items) == 0 {
		works := map[corpus.DocID]bool{}
		for w := range b.unitWorks[u.Name] {
			works[w] = true
		}
		f.Works = b.cites(works)
		f.Text = fmt.Sprintf("%s is named in %s (%s), but none of them says enough about what the peers it names do, whom for, where or how to place it in a configuration.",
			quoted(u.Name), plural(u.Works, "work"), citeList(f.Works))
		return f
	}
	placed := 0
	for _, it := range items {
		placed += len(it.unit.Works)
	}
	var parts, minor []string
	works := map[corpus.DocID]Cite{}
	for _, it := range items {
		f.Configs = append(f.Configs, it.cfg.ID)
		for _, c := range it.unit.Works {
			works[c.Work] = c
		}
		if it.unit.Quote != nil {
			f.Quotes = append(f.Quotes, it.unit.Quote.ID)
		}
		n := len(it.unit.Works)
		if n < minWorks && float64(n) < minShare*float64(placed) {
			minor = append(minor, "("+it.cfg.ID+")")
			continue
		}
		parts = append(parts, fmt.Sprintf("(%s) %s, in %s (%s)", it.cfg.ID, it.cfg.Summary, plural(n, "work"), citeList(it.unit.Works)))
	}
	f.Works = sortCites(works)
	lead := fmt.Sprintf("%s names %s: ", quoted(u.Name), plural(len(items), "configuration"))
	if len(items) == 1 {
		lead = fmt.Sprintf("%s names one configuration: ", quoted(u.Name))
	}
	var text string
	switch {
	case len(parts) == 0:
		text = lead + "one work each in " + and(minor)
	case len(minor) > 0:
		text = lead + joinItems(parts) + "; and one work each in " + and(minor)
	default:
		text = lead + joinItems(parts)
	}
	if rest := u.Works - len(f.Works); rest > 0 {
		text += fmt.Sprintf("; %s naming it %s too little to place it", plural(rest, "other work"), says(rest))
	}
	f.Text = text + "."
	return f
}

// configFinding: "Configuration (B), … , goes by two label families:
// 'peer navigator' (1 work: Delaney 2017) and 'outreach worker', as 'peer
// outreach worker' (1 work: Delaney 2017)."
func configFinding(c *Configuration, by string) Finding {
	f := Finding{Kind: FindingConfiguration, Subject: c.ID, Configs: []string{c.ID}, Works: c.Works}
	noun := "label family"
	if by == ByLabel {
		noun = "label"
	}
	var parts []string
	for _, cu := range c.Units {
		f.Units = append(f.Units, cu.Unit)
		if cu.Quote != nil {
			f.Quotes = append(f.Quotes, cu.Quote.ID)
		}
		s := quoted(cu.Unit)
		var as []string
		for _, l := range cu.Labels {
			as = append(as, quoted(l.Name))
		}
		if len(as) > 1 || len(as) == 1 && cu.Labels[0].Name != cu.Unit {
			s += ", as " + and(as) + ","
		}
		parts = append(parts, fmt.Sprintf("%s in %s (%s)", s, plural(len(cu.Works), "work"), citeList(cu.Works)))
	}
	count := plural(len(c.Units), noun)
	if len(c.Units) == 1 {
		count = "one " + noun
	}
	f.Text = fmt.Sprintf("Configuration (%s), %s, goes by %s: %s.", c.ID, c.Summary, count, joinItems(parts))
	return f
}

// joinItems joins clauses that may hold commas: "a", "a and b", "a; b; and c".
func joinItems(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	case 2:
		return parts[0] + "; and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], "; ") + "; and " + parts[len(parts)-1]
}

// citeList is "A 2020; B 2021" with at most maxCites works, then "and N more".
func citeList(cs []Cite) string {
	var ts []string
	for i, c := range cs {
		if i == maxCites {
			ts = append(ts, fmt.Sprintf("and %d more", len(cs)-maxCites))
			break
		}
		ts = append(ts, c.Text)
	}
	return strings.Join(ts, "; ")
}

func sortCites(m map[corpus.DocID]Cite) []Cite {
	out := make([]Cite, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	slices.SortFunc(out, func(x, y Cite) int {
		if x.Text != y.Text {
			return strings.Compare(x.Text, y.Text)
		}
		return strings.Compare(string(x.Work), string(y.Work))
	})
	return out
}

// quoted is a label in single quotes.
func quoted(s string) string { return "'" + s + "'" }

var numbers = []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// plural is "one work", "two works", "12 works", "three label families".
func plural(n int, noun string) string {
	w := fmt.Sprint(n)
	if n >= 0 && n < len(numbers) {
		w = numbers[n]
	}
	if n == 1 {
		return w + " " + noun
	}
	if stem, ok := strings.CutSuffix(noun, "y"); ok && !strings.HasSuffix(stem, "a") && !strings.HasSuffix(stem, "e") && !strings.HasSuffix(stem, "o") {
		return w + " " + stem + "ies"
	}
	return w + " " + noun + "s"
}

func says(n int) string {
	if n == 1 {
		return "says"
	}
	return "say"
}
