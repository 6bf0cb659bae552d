// Package plant generates an annotated corpus with planted structure, for
// known-answer tests of the report: which label families share which
// configurations (sets of codes of the peer-support map) is decided here,
// written into passages of text with annotations that follow the
// annotator's contract, and returned as the Truth the report must recover.
//
// The planted structure: 'peer navigator' is split across two
// configurations (trained lay staff navigating hospital care; peers with
// lived experience doing street outreach), one configuration (community
// insiders teaching families) goes by three families (community health
// worker, mediator, peer educator), and every other family has one
// configuration. Each profile drops or gains a code at random, and every
// work carries distractors that must not count: codes linked at passage
// or document scope in articles, links to a label that is not in the
// sentence, codes below the confidence threshold, codes beside a negated
// label, labels and codes in a heading line, and machine codes that a
// human code of the same passage replaces. 'recovery coach' is named in
// three works that hold distractors only: it must come out with no
// configuration.
//
// Generate is deterministic: the same seed gives the same corpus. It
// imports corpus only and does no I/O.
package plant

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/peermap/peermap/corpus"
)

// Truth is the planted structure.
type Truth struct {
	Configs  map[string][]string // configuration name → its codes
	Links    map[string][]string // family → configurations it was planted in, sorted
	Profiles map[Profile]string  // (work, family) → configuration
	Empty    []string            // families named only beside distractors
}

// A Profile is one family in one work.
type Profile struct {
	Work   corpus.DocID
	Family string
}

// A Corpus is the generated input of a report.
type Corpus struct {
	Vocab corpus.Vocabulary
	Docs  []*corpus.Document
	Views []corpus.View
	Truth Truth
}

// Annotator is the annotator string of the machine annotations.
const Annotator = "model@v1+plant+00000000"

// configs are the planted configurations.
var configs = map[string][]string{
	"hospital navigation": {"knowledge.trained_lay", "role.navigation", "role.clinical_support", "setting.hospital", "relationship.integrated"},
	"street outreach":     {"knowledge.lived_experience", "role.outreach", "role.emotional_social", "setting.community", "relationship.bridge", "population.underserved"},
	"home education":      {"knowledge.community_insider", "role.education", "population.families", "population.condition", "setting.primary_care"},
	"mutual aid":          {"setting.peer_run", "relationship.autonomous", "relationship.reciprocal", "role.emotional_social", "knowledge.lived_experience"},
	"partnership":         {"role.partnership", "role.advocacy", "population.general", "setting.social_services"},
}

// plan says how many works plant each family in each configuration.
var plan = []struct {
	family, config string
	works          int
}{
	{"peer navigator", "hospital navigation", 4},
	{"peer navigator", "street outreach", 3},
	{"outreach worker", "street outreach", 4},
	{"community health worker", "home education", 4},
	{"mediator", "home education", 3},
	{"peer educator", "home education", 3},
	{"mutual aid group", "mutual aid", 4},
	{"peer support worker", "mutual aid", 3},
	{"patient partner", "partnership", 3},
}

// empty is named in works of distractors only.
const empty = "recovery coach"

// labels are the canonical labels of each family the texts use.
var labels = map[string][]string{
	"peer navigator":          {"peer navigator", "patient navigator"},
	"outreach worker":         {"outreach worker", "street worker"},
	"community health worker": {"community health worker", "promotora", "lay health worker"},
	"mediator":                {"cultural mediator", "health mediator"},
	"peer educator":           {"peer educator", "peer leader"},
	"mutual aid group":        {"mutual aid group", "self-help group"},
	"peer support worker":     {"peer support worker", "peer specialist"},
	"patient partner":         {"patient partner", "expert patient"},
	"recovery coach":          {"recovery coach"},
}

// phrases say each code; the cue is the evidence span.
var phrases = map[string]struct{ text, cue string }{
	"knowledge.trained_lay":       {"were chosen for their reliability and trained for the task", "trained for the task"},
	"knowledge.lived_experience":  {"draw on their own experience of the same hardship", "own experience"},
	"knowledge.community_insider": {"come from the same neighbourhood as the families", "same neighbourhood"},
	"population.underserved":      {"serve people who are homeless or use drugs", "homeless"},
	"population.families":         {"support parents and carers", "parents and carers"},
	"population.condition":        {"work with people living with diabetes", "diabetes"},
	"population.general":          {"speak for all the patients of the service", "all the patients"},
	"role.navigation":             {"accompany patients to their appointments", "accompany patients"},
	"role.clinical_support":       {"measure blood pressure and check adherence", "measure blood pressure"},
	"role.outreach":               {"look for people on the street", "on the street"},
	"role.emotional_social":       {"listen and offer hope", "offer hope"},
	"role.education":              {"teach healthy eating at home", "teach healthy eating"},
	"role.advocacy":               {"defend the rights of service users", "defend the rights"},
	"role.partnership":            {"sit on the steering committee and co-design services", "co-design services"},
	"setting.hospital":            {"work on the hospital wards", "hospital wards"},
	"setting.community":           {"work in shelters and parks", "shelters and parks"},
	"setting.primary_care":        {"are based in the health centre", "health centre"},
	"setting.peer_run":            {"meet in a group run by its own members", "run by its own members"},
	"setting.social_services":     {"work in the housing services", "housing services"},
	"relationship.integrated":     {"are members of the care team", "care team"},
	"relationship.bridge":         {"act as a bridge to services", "bridge to services"},
	"relationship.autonomous":     {"are independent of any service", "independent of any service"},
	"relationship.reciprocal":     {"give and receive support as equals", "as equals"},
	"pathway.training":            {"complete a six-week course", "six-week course"},
	"pathway.status":              {"are paid a salary", "paid a salary"},
	"pathway.recruitment":         {"are recruited through local associations", "recruited through local associations"},
	"pathway.supervision":         {"meet a supervisor every week", "meet a supervisor"},
}

// common codes are added to profiles at random: pathway codes that every
// configuration may have.
var common = []string{"pathway.training", "pathway.status", "pathway.recruitment", "pathway.supervision"}

// Vocab returns the vocabulary of the generated corpus: the v1 codes with
// their names, and the labels above.
func Vocab() corpus.Vocabulary {
	dims := []struct {
		dim   string
		codes [][2]string // id suffix, name
	}{
		{"knowledge", [][2]string{{"lived_experience", "lived experience"}, {"community_insider", "community insider"}, {"trained_lay", "trained lay person"}}},
		{"population", [][2]string{{"condition", "health condition"}, {"underserved", "underserved groups"}, {"families", "families and caregivers"}, {"general", "general population"}}},
		{"role", [][2]string{{"emotional_social", "emotional and social support"}, {"navigation", "navigation"}, {"education", "education"}, {"outreach", "outreach"}, {"advocacy", "advocacy"}, {"clinical_support", "clinical support"}, {"partnership", "partnership"}}},
		{"pathway", [][2]string{{"recruitment", "recruitment"}, {"training", "training"}, {"status", "status"}, {"supervision", "supervision and support of peers"}}},
		{"setting", [][2]string{{"community", "community"}, {"primary_care", "primary care"}, {"hospital", "hospital"}, {"social_services", "social services"}, {"peer_run", "peer-run organisations"}, {"remote", "remote"}}},
		{"relationship", [][2]string{{"integrated", "integrated in care"}, {"bridge", "bridge"}, {"autonomous", "autonomous"}, {"reciprocal", "reciprocal"}}},
	}
	v := corpus.Vocabulary{Version: "v1+plant"}
	for _, d := range dims {
		for _, c := range d.codes {
			v.Codes = append(v.Codes, corpus.CodeInfo{ID: d.dim + "." + c[0], Dimension: d.dim, Name: c[1]})
		}
	}
	for _, f := range sortedKeys(labels) {
		v.Families = append(v.Families, f)
		for _, l := range labels[f] {
			v.Labels = append(v.Labels, corpus.LabelInfo{Label: l, Family: f})
		}
	}
	return v
}

// gen holds the state of one generation.
type gen struct {
	rng   *rand.Rand
	out   Corpus
	fams  map[string]string // label → family
	works int
}

// Generate returns the corpus of seed.
func Generate(seed uint64) Corpus {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), fams: map[string]string{}}
	g.out.Vocab = Vocab()
	for _, l := range g.out.Vocab.Labels {
		g.fams[l.Label] = l.Family
	}
	g.out.Truth = Truth{Configs: configs, Links: map[string][]string{}, Profiles: map[Profile]string{}, Empty: []string{empty}}
	for _, p := range plan {
		for range p.works {
			g.work(p.family, p.config)
		}
		g.out.Truth.Links[p.family] = append(g.out.Truth.Links[p.family], p.config)
	}
	for f := range g.out.Truth.Links {
		slices.Sort(g.out.Truth.Links[f])
	}
	for range 3 {
		g.work(empty, "")
	}
	return g.out
}

// passage is one passage being written: its text and annotations.
type passage struct {
	text strings.Builder
	anns []corpus.Annotation
	sec  string
}

// sentence appends s (with a space before it unless first); returns its offset.
func (p *passage) sentence(s string) int {
	if p.text.Len() > 0 {
		p.text.WriteByte(' ')
	}
	off := p.text.Len()
	p.text.WriteString(s)
	return off
}

func (p *passage) label(label, family string, at, n int, negated bool) {
	p.anns = append(p.anns, corpus.Annotation{Type: corpus.AnnLabel, Label: label, Family: family, Negated: negated,
		Spans: []corpus.Span{{Start: at, End: at + n}}, Annotator: Annotator, Confidence: 0.97})
}

func (p *passage) code(code string, at, n int, links []string, scope string, conf float64) {
	p.anns = append(p.anns, corpus.Annotation{Type: corpus.AnnCode, Code: code, Links: links, LinkScope: scope,
		Spans: []corpus.Span{{Start: at, End: at + n}}, Annotator: Annotator, Confidence: conf})
}

// say writes "<Subject> <phrase>.", annotates the code's cue and returns
// the sentence's offset.
func (p *passage) say(subject, code string, links []string, scope string, conf float64) int {
	ph := phrases[code]
	off := p.sentence(subject + " " + ph.text + ".")
	i := strings.Index(ph.text, ph.cue)
	p.code(code, off+len(subject)+1+i, len(ph.cue), links, scope, conf)
	return off
}

// work writes one work naming family; config "" writes distractors only.
func (g *gen) work(family, config string) {
	g.works++
	n := g.works
	label := labels[family][g.rng.IntN(len(labels[family]))]
	title := fmt.Sprintf("Study %d of %ss", n, label)
	kind := corpus.KindArticle
	if n%3 == 0 {
		kind = corpus.KindGrey
	}
	if config != "" && n%7 == 0 {
		kind = corpus.KindRecord
	}
	d := &corpus.Document{
		ID: corpus.NewDocID([]byte(fmt.Sprint("plant ", n))), Path: fmt.Sprintf("plant/work%02d.txt", n), Format: "text",
		Kind: kind, Lang: "en", Title: title, Authors: []string{fmt.Sprintf("Author%02d, A", n)}, Year: 2000 + n,
		Added: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	g.out.Docs = append(g.out.Docs, d)
	fam := []string{family}
	plural := label + "s"
	subject := strings.ToUpper(plural[:1]) + plural[1:]
	var ps []*passage

	if config != "" {
		codes := g.profile(config)
		g.out.Truth.Profiles[Profile{d.ID, family}] = config
		p := &passage{sec: "Programme"}
		if kind == corpus.KindRecord {
			// A title and abstract: the label in the title sentence, the
			// codes in sentences of their own, linked work-wide.
			off := p.sentence(subject + " in a community programme: a study.")
			p.label(label, family, off, len(plural), false)
			for _, c := range codes {
				p.say("The programme showed that workers", c, fam, "passage", 0.8)
			}
		} else {
			for i, c := range codes {
				conf := 0.6 + 0.39*g.rng.Float64()
				if i%3 == 2 {
					// "They ...": the label is the subject of the sentence before.
					p.say("They", c, fam, "anaphora", conf)
					continue
				}
				off := p.say(subject, c, fam, "sentence", conf)
				p.label(label, family, off, len(plural), false)
			}
		}
		ps = append(ps, p)
	}
	ps = append(ps, g.distractors(label, family, config, kind == corpus.KindRecord)...)
	g.write(d, ps)
}

// profile returns the codes of config with one dropped (at random) and a
// common code added (at random).
func (g *gen) profile(config string) []string {
	codes := slices.Clone(configs[config])
	if g.rng.Float64() < 0.4 {
		i := g.rng.IntN(len(codes))
		codes = slices.Delete(codes, i, i+1)
	}
	if g.rng.Float64() < 0.6 {
		c := common[g.rng.IntN(len(common))]
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	return codes
}

// distractors returns passages whose codes describe family in no way the
// report may count: each carries codes of another configuration than
// config, so that counting any of them would move the family's profile or
// give it a configuration it was not planted in.
func (g *gen) distractors(label, family, config string, record bool) []*passage {
	var other []string
	for _, c := range sortedKeys(configs) {
		if c != config && !slices.Contains(g.out.Truth.Links[family], c) {
			other = append(other, c)
		}
	}
	wrong := configs[other[g.rng.IntN(len(other))]]
	pick := func() string { return wrong[g.rng.IntN(len(wrong))] }
	fam := []string{family}
	plural := label + "s"
	subject := strings.ToUpper(plural[:1]) + plural[1:]
	var out []*passage

	// Passage and document scope in an article or web page (in a record
	// they hold work-wide), and links to a label that is not in the
	// sentence, or in the sentence before.
	p := &passage{sec: "Context"}
	off := p.sentence(subject + " were part of the programme.")
	p.label(label, family, off, len(plural), false)
	if !record {
		p.say("The nurses", pick(), fam, "passage", 0.9)
		p.say("The nurses", pick(), fam, "document", 0.9)
	}
	p.say("The physicians", pick(), fam, "sentence", 0.9)
	p.say("Three years later the nurses", pick(), fam, "anaphora", 0.9)
	out = append(out, p)

	// Below the confidence threshold, and beside a negated mention.
	p = &passage{sec: "Discussion"}
	off = p.say(subject, pick(), fam, "sentence", 0.2)
	p.label(label, family, off, len(plural), false)
	off = p.say("No "+label+" was there when they", pick(), fam, "sentence", 0.9)
	p.label(label, family, off+len("No "), len(label), true)
	out = append(out, p)

	// A heading line naming the label and a code, above a paragraph.
	p = &passage{sec: "Roles"}
	c := pick()
	head := subject + " and the " + phrases[c].cue
	p.text.WriteString(head + "\n\nThe programme ran for two years in three districts.")
	p.label(label, family, 0, len(plural), false)
	p.code(c, len(subject)+9, len(phrases[c].cue), fam, "sentence", 0.9)
	out = append(out, p)

	// Machine codes that a human coder replaced with no code of the map.
	p = &passage{sec: "Coding"}
	off = p.say(subject, pick(), fam, "sentence", 0.95)
	p.label(label, family, off, len(plural), false)
	p.anns = append(p.anns, corpus.Annotation{Type: corpus.AnnCode, Code: "setting.remote", Negated: true, Annotator: "human:planter", Confidence: 1})
	out = append(out, p)
	return out
}

// write stores the passages of d as views.
func (g *gen) write(d *corpus.Document, ps []*passage) {
	var text strings.Builder
	for n, p := range ps {
		if text.Len() > 0 {
			text.WriteString("\n\n")
		}
		start := text.Len()
		t := p.text.String()
		text.WriteString(t)
		id := corpus.NewPassageID(d.ID, n)
		v := corpus.View{
			Passage: corpus.Passage{ID: id, Doc: d.ID, N: n, Section: p.sec, Start: start, End: start + len(t), Text: t},
			Doc:     d,
		}
		for _, a := range p.anns {
			a.Passage = id
			a.Codebook = "v1+plant"
			v.Annotations = append(v.Annotations, a)
		}
		corpus.SortAnnotations(v.Annotations)
		g.out.Views = append(g.out.Views, v)
	}
	d.Size = int64(text.Len())
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
