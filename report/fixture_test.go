package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/report"
)

// vocab is a codebook vocabulary shaped like the v1 codebook.
func vocab() corpus.Vocabulary {
	dims := []struct {
		dim, q string
		codes  []string
	}{
		{"knowledge", "What do the peers draw on?", []string{"lived_experience", "community_insider", "trained_lay"}},
		{"population", "Whom do they support?", []string{"condition", "underserved", "families", "general"}},
		{"role", "What do they do?", []string{"emotional_social", "navigation", "education", "outreach", "advocacy", "clinical_support", "partnership"}},
		{"pathway", "How do they come to and hold the role?", []string{"recruitment", "training", "status", "supervision"}},
		{"setting", "Where do they practise?", []string{"community", "primary_care", "hospital", "social_services", "peer_run", "remote"}},
		{"relationship", "How are they placed between people and formal care?", []string{"integrated", "bridge", "autonomous", "reciprocal"}},
	}
	// Names as in the v1 codebook, where they differ from the ID.
	names := map[string]string{
		"trained_lay": "trained lay person", "condition": "health condition", "underserved": "underserved groups",
		"families": "families and caregivers", "general": "general population", "emotional_social": "emotional and social support",
		"clinical_support": "clinical support", "supervision": "supervision and support of peers", "primary_care": "primary care",
		"social_services": "social services", "peer_run": "peer-run organisations", "integrated": "integrated in care",
	}
	v := corpus.Vocabulary{Version: "v1+fixture0"}
	for _, d := range dims {
		for _, c := range d.codes {
			name := names[c]
			if name == "" {
				name = strings.ReplaceAll(c, "_", " ")
			}
			v.Codes = append(v.Codes, corpus.CodeInfo{ID: d.dim + "." + c, Dimension: d.dim, Name: name, Question: d.q})
		}
	}
	for _, l := range [][2]string{
		{"peer support worker", "peer support worker"}, {"pair aidant", "peer support worker"},
		{"peer navigator", "peer navigator"}, {"patient navigator", "peer navigator"},
		{"community health worker", "community health worker"}, {"lay health worker", "community health worker"},
		{"health mediator", "mediator"}, {"cultural mediator", "mediator"},
		{"patient partner", "patient partner"}, {"peer educator", "peer educator"},
		{"navigator", "peer navigator"}, {"peer outreach worker", "outreach worker"},
		{"self-help group", "mutual aid group"}, {"support group", "mutual aid group"},
	} {
		v.Labels = append(v.Labels, corpus.LabelInfo{Label: l[0], Family: l[1]})
		if !contains(v.Families, l[1]) {
			v.Families = append(v.Families, l[1])
		}
	}
	return v
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// fixture builds a small corpus in memory.
type fixture struct {
	t      testing.TB
	vocab  corpus.Vocabulary
	in     report.Input
	byID   map[corpus.PassageID]corpus.Passage
	family map[string]string
}

func newFixture(t testing.TB) *fixture {
	v := vocab()
	f := &fixture{t: t, vocab: v, byID: map[corpus.PassageID]corpus.Passage{}, family: map[string]string{}}
	for _, l := range v.Labels {
		f.family[l.Label] = l.Family
	}
	f.in.Vocab = v
	f.in.Annotator = "rules@" + v.Version
	return f
}

// ann describes an annotation by the text it points at.
type ann struct {
	label, code string
	cue         string   // evidence: the first occurrence of cue in the passage (every occurrence for a label)
	links       []string // for codes: label families; nil means none
	scope       string
	negated     bool
	human       bool
	conf        float64 // 0 means 0.9
}

// lab names label at every occurrence of cue, as the annotator does.
func lab(label, cue string) ann { return ann{label: label, cue: cue} }

// code links to the families named in links, with sentence scope (the
// label is named in the evidence's sentence).
func code(c, cue string, links ...string) ann {
	a := ann{code: c, cue: cue, links: links}
	if len(links) > 0 {
		a.scope = "sentence"
	}
	return a
}

// docB adds passages to one document.
type docB struct {
	f    *fixture
	d    *corpus.Document
	text strings.Builder
	n    int
}

func (f *fixture) doc(name string, kind corpus.Kind, lang string, year int, title string, authors ...string) *docB {
	d := &corpus.Document{
		ID: corpus.NewDocID([]byte(name)), Path: "in/" + name, Format: formatOf(name), Kind: kind, Lang: lang,
		Title: title, Authors: authors, Year: year, Size: int64(1000 + len(name)),
		Added: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	f.in.Docs = append(f.in.Docs, d)
	f.in.Sources = append(f.in.Sources, corpus.Source{Path: d.Path, SHA256: string(d.ID), Size: d.Size, Format: d.Format, Status: corpus.StatusIngested, Docs: []corpus.DocID{d.ID}})
	return &docB{f: f, d: d}
}

func formatOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return "text"
}

// p adds a passage on page (0: unpaged) under section, with annotations.
func (b *docB) p(page int, section, text string, anns ...ann) *docB {
	t := b.f.t
	if b.text.Len() > 0 {
		b.text.WriteString("\n\n")
	}
	start := b.text.Len()
	b.text.WriteString(text)
	ps := corpus.Passage{
		ID: corpus.NewPassageID(b.d.ID, b.n), Doc: b.d.ID, N: b.n, Section: section, Page: page,
		Start: start, End: start + len(text), Text: text,
	}
	b.n++
	if page > 0 {
		b.d.Pages = append(b.d.Pages, corpus.Page{N: page, Start: ps.Start, End: ps.End})
	}
	v := corpus.View{Passage: ps, Doc: b.d}
	for _, a := range anns {
		i := strings.Index(text, a.cue)
		if i < 0 {
			t.Fatalf("fixture: cue %q not in passage %q", a.cue, text)
		}
		conf := a.conf
		if conf == 0 {
			conf = 0.9
		}
		x := corpus.Annotation{
			Passage: ps.ID, Negated: a.negated, Spans: []corpus.Span{{Start: i, End: i + len(a.cue)}},
			Annotator: b.f.in.Annotator, Codebook: b.f.vocab.Version, Confidence: conf,
		}
		if a.human {
			x.Annotator, x.Codebook, x.Confidence = "human:ana", "", 1
		}
		if a.label == "" {
			x.Type, x.Code, x.Links, x.LinkScope, x.Rule = corpus.AnnCode, a.code, a.links, a.scope, "cue:"+a.code
			v.Annotations = append(v.Annotations, x)
			continue
		}
		x.Type, x.Label, x.Family, x.Rule = corpus.AnnLabel, a.label, b.f.family[a.label], "label:"+a.label
		for off := i; off >= 0; {
			x.Spans = []corpus.Span{{Start: off, End: off + len(a.cue)}}
			v.Annotations = append(v.Annotations, x)
			next := strings.Index(text[off+len(a.cue):], a.cue)
			if next < 0 {
				break
			}
			off += len(a.cue) + next
		}
	}
	corpus.SortAnnotations(v.Annotations)
	b.f.in.Views = append(b.f.in.Views, v)
	b.f.byID[ps.ID] = ps
	return b
}

// fixtureInput is the corpus of the golden tests: two families that hide
// different roles (peer support worker, community health worker), two that
// share one (peer navigator, mediator), a rare family (patient partner), a
// negated mention, a human code, a version group, a skipped document, a
// duplicate file and a failed file.
func fixtureInput(t testing.TB) (report.Input, map[corpus.PassageID]corpus.Passage) {
	f := newFixture(t)
	const (
		psw = "peer support worker"
		nav = "peer navigator"
		chw = "community health worker"
		med = "mediator"
	)
	f.doc("smith2019.pdf", corpus.KindArticle, "en", 2019, "Peer support workers on acute psychiatric wards", "Smith, Jane", "Okafor, Chidi", "Brown, Lee").
		p(1, "Abstract", "Peer support workers joined the inpatient team of two acute psychiatric wards.",
			lab("peer support worker", "Peer support workers"), code("setting.hospital", "acute psychiatric wards", psw), code("relationship.integrated", "joined the inpatient team", psw)).
		p(3, "Results", "Patients valued the peer support workers because they had lived through psychosis themselves. "+
			"They spent long evenings listening to patients and offering hope for recovery. "+
			"Ward staff reported that the peer support workers took part in every team meeting and were treated as colleagues. "+
			"No peer navigator was involved in discharge planning.",
			lab("peer support worker", "peer support workers"), ann{label: "peer navigator", cue: "peer navigator", negated: true},
			code("knowledge.lived_experience", "lived through psychosis", psw), code("role.emotional_social", "listening to patients and offering hope", psw).anaphora(),
			code("relationship.integrated", "treated as colleagues", psw), code("population.condition", "psychosis", psw),
			// The annotator linked the navigator sentence to the peer support workers; no label is there.
			code("pathway.recruitment", "discharge planning", psw))
	f.doc("tremblay2021.html", corpus.KindGrey, "fr", 2021, "Les pairs aidants dans les organismes communautaires", "Tremblay, Marie").
		p(0, "Le rôle des pairs", "Les pairs aidants défendent les droits des personnes utilisatrices auprès des établissements.",
			lab("pair aidant", "pairs aidants"), code("role.advocacy", "défendent les droits", psw)).
		p(0, "Organisation", "Les pairs aidants travaillent dans des organismes gérés par les usagers, sans lien avec le réseau public. "+
			"Un patient partner siège au conseil d'administration et participe à la planification des services avec les pairs aidants.",
			lab("pair aidant", "pairs aidants"), lab("patient partner", "patient partner"),
			code("setting.peer_run", "gérés par les usagers", psw), code("relationship.autonomous", "sans lien avec le réseau public", psw),
			code("role.partnership", "participe à la planification des services", "patient partner"))
	f.doc("garcia2020.pdf", corpus.KindArticle, "en", 2020, "Community health workers as bridges to care for migrant families", "Garcia, Luis", "Ahmed, Sara").
		p(2, "Methods", "Community health workers from the same neighbourhood accompanied migrant families to clinics and social services.",
			lab("community health worker", "Community health workers"), code("knowledge.community_insider", "from the same neighbourhood", chw),
			code("role.navigation", "accompanied migrant families to clinics", chw), code("population.underserved", "migrant families", chw),
			code("setting.community", "neighbourhood", chw)).
		p(4, "Discussion", "They acted as a bridge between the community and health institutions.",
			code("relationship.bridge", "acted as a bridge", chw).docScope())
	f.doc("exports.ris", corpus.KindRecord, "en", 2018, "Task sharing with lay health workers for hypertension in primary care", "Nguyen, Thi").
		p(0, "", "Lay health workers were trained to measure blood pressure and support medication adherence in primary care clinics, working within the clinical team. "+
			"Selected villagers with no prior health experience completed a two-week course.",
			lab("lay health worker", "Lay health workers"), code("role.clinical_support", "measure blood pressure", chw),
			code("setting.primary_care", "primary care clinics", chw), code("relationship.integrated", "working within the clinical team", chw),
			code("knowledge.trained_lay", "no prior health experience", chw).passageScope(), code("pathway.training", "two-week course", chw).passageScope(),
			code("population.condition", "hypertension", chw).withCue("blood pressure"))
	f.doc("lee2022.pdf", corpus.KindArticle, "en", 2022, "Peer navigators for people leaving homelessness", "Lee, Min", "Park, Joon", "Kim, Ara", "Cho, Eun").
		p(1, "Introduction", "Peer navigators, themselves formerly homeless, linked clients to housing and primary care.",
			lab("peer navigator", "Peer navigators"), code("knowledge.lived_experience", "formerly homeless", nav),
			code("role.navigation", "linked clients to housing", nav), code("population.underserved", "homeless", nav)).
		p(2, "Programme", "Navigators met clients in shelters and street corners and acted as a go-between with services.",
			code("setting.community", "shelters and street corners", nav).docScope(), code("relationship.bridge", "go-between with services", nav).docScope(),
			ann{code: "role.outreach", cue: "met clients in shelters", human: true}).
		p(3, "Programme", "The patient navigator role was paid and supervised weekly by a social worker.",
			lab("patient navigator", "patient navigator"), code("pathway.status", "paid", nav), code("pathway.supervision", "supervised weekly", nav),
			code("role.education", "social worker", nav).withConf(0.3),
			ann{code: "role.navigation", cue: "patient navigator role", human: true})
	pre := f.doc("rossi2020-preprint.pdf", corpus.KindArticle, "en", 2020, "Hospital-based peer navigation after overdose (preprint)", "Rossi, Paolo", "Bianchi, Anna")
	pre.p(1, "Abstract", "Peer navigators in the emergency department connected overdose survivors to treatment.",
		lab("peer navigator", "Peer navigators"), code("setting.hospital", "emergency department", nav), code("role.navigation", "connected overdose survivors to treatment", nav))
	pub := f.doc("rossi2021.pdf", corpus.KindArticle, "en", 2021, "Hospital-based peer navigation after overdose", "Rossi, Paolo", "Bianchi, Anna")
	pub.p(2, "Results", "Peer navigators in the emergency department connected overdose survivors to treatment and served as a bridge to community services.",
		lab("peer navigator", "Peer navigators"), code("setting.hospital", "emergency department", nav), code("role.navigation", "connected overdose survivors to treatment", nav),
		code("population.condition", "overdose", nav), code("relationship.bridge", "bridge to community services", nav))
	f.in.Groups = append(f.in.Groups, corpus.Group{ID: "g1", Members: []corpus.DocID{pre.d.ID, pub.d.ID}, Preferred: pub.d.ID, Reasons: []string{"same title, preprint"}})
	pre.d.Group, pub.d.Group, pub.d.Preferred = "g1", "g1", true
	f.doc("dupont2017.html", corpus.KindGrey, "fr", 2017, "La médiation en santé auprès des personnes migrantes", "Dupont, Claire").
		p(0, "Missions", "Les médiateurs de santé accompagnent les personnes migrantes vers les services de santé du quartier et font le lien avec les institutions.",
			lab("health mediator", "médiateurs de santé"), code("role.navigation", "accompagnent les personnes migrantes vers les services", med),
			code("population.underserved", "personnes migrantes", med), code("setting.community", "du quartier", med), code("relationship.bridge", "font le lien avec les institutions", med))
	f.doc("osei2023.html", corpus.KindGrey, "en", 2023, "Cultural mediators in refugee health", "Osei, Kwame", "Haddad, Rana").
		p(0, "", "Cultural mediators from refugee communities guide newcomers through the health system and act as bridges to clinicians.",
			lab("cultural mediator", "Cultural mediators"), code("knowledge.community_insider", "from refugee communities", med),
			code("role.navigation", "guide newcomers through the health system", med), code("population.underserved", "refugee", med),
			code("relationship.bridge", "act as bridges", med))
	// A skipped document and two files that gave no document of their own.
	skipped := &corpus.Document{ID: corpus.NewDocID([]byte("scan.pdf")), Path: "in/scan.pdf", Format: "pdf", Kind: corpus.KindArticle,
		Skip: corpus.SkipNoText, SkipDetail: "no text layer on 12 of 12 pages", Size: 4096, Added: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	f.in.Docs = append(f.in.Docs, skipped)
	f.in.Sources = append(f.in.Sources,
		corpus.Source{Path: "in/scan.pdf", Size: 4096, Format: "pdf", Status: corpus.StatusSkipped, Reason: "no text layer (needs OCR)", Docs: []corpus.DocID{skipped.ID}},
		corpus.Source{Path: "in/smith2019-copy.pdf", Size: 1013, Format: "pdf", Status: corpus.StatusDuplicate, Reason: "same bytes as in/smith2019.pdf"},
		corpus.Source{Path: "in/broken.docx", Size: 12, Format: "docx", Status: corpus.StatusFailed, Reason: "not a valid zip file"},
	)
	f.in.Eval = &corpus.Eval{Gold: "gold/dev.jsonl", N: 195, MicroF1: 0.78, MacroF1: 0.7, LabelF1: 0.96,
		Kappa: map[string]float64{"role": 0.71, "setting": 0.8, "knowledge": 0.66}}
	return f.in, f.byID
}

// withCue returns a with another evidence cue.
func (a ann) withCue(cue string) ann { a.cue = cue; return a }

// withConf returns a with another confidence.
func (a ann) withConf(c float64) ann { a.conf = c; return a }

// docScope makes a code link at document scope.
func (a ann) docScope() ann { a.scope = "document"; return a }

// passageScope makes a code link at passage scope.
func (a ann) passageScope() ann { a.scope = "passage"; return a }

// anaphora makes a code link to the label of the sentence before.
func (a ann) anaphora() ann { a.scope = "anaphora"; return a }
