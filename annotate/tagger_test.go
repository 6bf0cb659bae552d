package annotate_test

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

// defaultTagger is built once: a Tagger is safe for concurrent use.
var defaultTagger = sync.OnceValues(func() (*annotate.Tagger, error) {
	return annotate.New(annotate.Default(), annotate.Options{})
})

func tagger(t testing.TB) *annotate.Tagger {
	t.Helper()
	tg, err := defaultTagger()
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// labels returns "family=matched text" for each label annotation, with a
// "neg:" prefix for negated mentions, checking that spans point into text.
func labels(t *testing.T, text string, anns []corpus.Annotation) []string {
	t.Helper()
	var out []string
	for _, a := range anns {
		if a.Type != corpus.AnnLabel {
			continue
		}
		s := a.Spans[0]
		if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
			t.Fatalf("span %+v outside %q", s, text)
		}
		x := a.Family + "=" + text[s.Start:s.End]
		if a.Negated {
			x = "neg:" + x
		}
		out = append(out, x)
	}
	slices.Sort(out)
	return out
}

func TestLabels(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"en singular", "en", "A peer navigator met her.", []string{"peer navigator=peer navigator"}},
		{"en plural", "en", "Peer Navigators met them.", []string{"peer navigator=Peer Navigators"}},
		{"en hyphen variant", "en", "Two peer-support workers joined.", []string{"peer support worker=peer-support workers"}},
		{"en multi-word longest", "en", "Street outreach workers walked.", []string{"outreach worker=Street outreach workers"}},
		{"en counsellor spelling", "en", "Lay counselors and lay counsellors.", []string{"community health worker=Lay counselors", "community health worker=lay counsellors"}},
		{"en promotoras", "en", "Promotoras de salud visited.", []string{"community health worker=Promotoras de salud"}},
		{"en navigator alone", "en", "The navigator called.", []string{"peer navigator=navigator"}},
		{"en support group", "en", "She joined a support group.", []string{"mutual aid group=support group"}},
		{"fr accents", "fr", "Les pairs aidants et les médiateurs de santé-pair.", []string{"mediator=médiateurs de santé-pair", "peer support worker=pairs aidants"}},
		{"fr without accents", "fr", "Les mediateurs de sante pair.", []string{"mediator=mediateurs de sante pair"}},
		{"fr hyphen", "fr", "Une pair-aidante intervient.", []string{"peer support worker=pair-aidante"}},
		{"fr apostrophe", "fr", "Un groupe d’entraide et un groupe d'entraide.", []string{"mutual aid group=groupe d'entraide", "mutual aid group=groupe d’entraide"}},
		{"fr travailleuses", "fr", "Des travailleuses de rue.", []string{"outreach worker=travailleuses de rue"}},
		{"fr agents", "fr", "Les agents de santé communautaires.", []string{"community health worker=agents de santé communautaires"}},
		{"abbr caps", "en", "CHWs and one CHW.", []string{"community health worker=CHW", "community health worker=CHWs"}},
		{"abbr ASHA", "en", "ASHAs in India.", []string{"community health worker=ASHAs"}},
		{"abbr lower is not a label", "en", "chws and Chw and chw.", nil},
		{"abbr inside a word is not a label", "en", "CHWX and PSWs-led.", []string{"peer support worker=PSWs"}},
		{"no label inside a longer word", "en", "A peer mentorship programme and peer mentoring.", nil},
		{"peer mentor is a label", "en", "Each peer mentor met two youths.", []string{"peer support worker=peer mentor"}},
		{"practice names are not labels", "en", "Peer support, patient navigation and peer-led groups.", nil},
		{"hard negative peer review", "en", "A peer-reviewed journal; peer reviewers agreed after peer review.", nil},
		{"hard negative peer-to-peer", "en", "A peer-to-peer network.", nil},
		{"hard negative technical support group", "en", "Call the technical support group.", nil},
		{"support group of technicians", "en", "The project's support group, three IT technicians who run the helpdesk, answered 140 tickets.", nil},
		{"support group kept in another sentence", "en", "Patients joined a support group. The helpdesk answered tickets.", []string{"mutual aid group=support group"}},
		{"peers as colleagues", "en", "Physicians discussed it with their peers and classmates.", nil},
		{"negated label", "en", "No peer navigator was involved.", []string{"neg:peer navigator=peer navigator"}},
		{"negated label later", "en", "The trial did not use community health workers.", []string{"neg:community health worker=community health workers"}},
		{"negation ends at clause", "en", "Not in that trial, but peer navigators helped.", []string{"peer navigator=peer navigators"}},
		{"negated label fr", "fr", "Il n'y avait pas de pair aidant.", []string{"neg:peer support worker=pair aidant"}},
		{"negated label sans", "fr", "Une équipe sans pairs aidants.", []string{"neg:peer support worker=pairs aidants"}},
	}
	tg := tagger(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := labels(t, tt.text, tg.TagText(tt.text, tt.lang))
			if !slices.Equal(got, tt.want) {
				t.Errorf("TagText(%q) labels = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func codes(anns []corpus.Annotation) []string {
	var out []string
	for _, a := range anns {
		if a.Type == corpus.AnnCode {
			c := a.Code
			if a.Negated {
				c = "neg:" + c
			}
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCodes(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string // codes that must be present
		not              []string // codes that must be absent
	}{
		{"knowledge.lived_experience en", "en", "Peers with lived experience of psychosis.", []string{"knowledge.lived_experience"}, nil},
		{"knowledge.lived_experience fr", "fr", "Des personnes ayant un savoir expérientiel.", []string{"knowledge.lived_experience"}, nil},
		{"knowledge.community_insider en", "en", "Workers from the same community who speak the local language.", []string{"knowledge.community_insider"}, nil},
		{"knowledge.community_insider fr", "fr", "Des pairs issus de la même communauté.", []string{"knowledge.community_insider"}, nil},
		{"knowledge.trained_lay en", "en", "Trained lay people delivered it.", []string{"knowledge.trained_lay"}, nil},
		{"knowledge.trained_lay fr", "fr", "Des bénévoles formés non professionnels.", []string{"knowledge.trained_lay"}, nil},
		{"population.condition en", "en", "Adults living with diabetes.", []string{"population.condition"}, nil},
		{"population.condition fr", "fr", "Des personnes vivant avec le VIH.", []string{"population.condition"}, nil},
		{"population.underserved en", "en", "Homeless migrants in rural areas.", []string{"population.underserved"}, nil},
		{"population.underserved fr", "fr", "Des personnes en situation de précarité.", []string{"population.underserved"}, nil},
		{"population.families en", "en", "Support for caregivers and parents.", []string{"population.families"}, nil},
		{"population.families fr", "fr", "Le soutien aux familles et aux proches aidants.", []string{"population.families"}, nil},
		{"population.families exclusion", "en", "Clinics of family medicine.", nil, []string{"population.families"}},
		{"population.general en", "en", "Open to the general population.", []string{"population.general"}, nil},
		{"population.general fr", "fr", "Une campagne pour le grand public.", []string{"population.general"}, nil},
		{"role.emotional_social en", "en", "They offer emotional support and reduce isolation.", []string{"role.emotional_social"}, nil},
		{"role.emotional_social fr", "fr", "Une écoute et un soutien émotionnel.", []string{"role.emotional_social"}, nil},
		{"role.navigation en", "en", "Navigators link clients to care and make referrals.", []string{"role.navigation"}, nil},
		{"role.navigation fr", "fr", "Ils orientent et accompagnent les usagers dans leur parcours de soins.", []string{"role.navigation"}, nil},
		{"a word with a stem shorter than three letters (rue: ru)", "fr", "Le travail de rue auprès des jeunes dans les rues.", []string{"role.outreach", "setting.community"}, nil},
		{"role.navigation not from a label", "en", "The patient navigator was hired.", nil, []string{"role.navigation"}},
		{"role.education en", "en", "They provide health education and prevention.", []string{"role.education"}, nil},
		{"role.education fr", "fr", "Des ateliers de prévention.", []string{"role.education"}, nil},
		{"role.outreach en", "en", "Workers made home visits and street outreach.", []string{"role.outreach"}, nil},
		{"role.outreach fr", "fr", "Une démarche d'aller vers en maraude.", []string{"role.outreach"}, nil},
		{"role.advocacy en", "en", "Peers advocate for the rights of patients.", []string{"role.advocacy"}, nil},
		{"role.advocacy fr", "fr", "Un travail de plaidoyer pour la défense des droits.", []string{"role.advocacy"}, nil},
		{"role.clinical_support en", "en", "CHWs did screening and measured blood pressure.", []string{"role.clinical_support"}, nil},
		{"role.clinical_support fr", "fr", "Le dépistage et l'observance du traitement.", []string{"role.clinical_support"}, nil},
		{"role.partnership en", "en", "Patients co-designed the service and sat on the advisory board.", []string{"role.partnership"}, nil},
		{"role.partnership fr", "fr", "Une démarche de co-construction et de gouvernance partagée.", []string{"role.partnership"}, nil},
		{"pathway.recruitment en", "en", "Peers were recruited with selection criteria.", []string{"pathway.recruitment"}, nil},
		{"pathway.recruitment exclusion", "en", "Participants were recruited from clinics.", nil, []string{"pathway.recruitment"}},
		{"pathway.recruitment fr", "fr", "Les critères de recrutement des pairs.", []string{"pathway.recruitment"}, nil},
		{"pathway.training en", "en", "A 40-hour training curriculum and certification.", []string{"pathway.training"}, nil},
		{"pathway.training fr", "fr", "Une formation certifiante.", []string{"pathway.training"}, nil},
		{"pathway.status en", "en", "Peers were paid a stipend; others were volunteers.", []string{"pathway.status"}, nil},
		{"pathway.status fr", "fr", "Une rémunération et un contrat de travail.", []string{"pathway.status"}, nil},
		{"pathway.status not from position", "en", "Patients tested positive.", nil, []string{"pathway.status"}},
		{"pathway.supervision en", "en", "Regular supervision and debriefing sessions.", []string{"pathway.supervision"}, nil},
		{"pathway.supervision fr", "fr", "La supervision et l'analyse de la pratique.", []string{"pathway.supervision"}, nil},
		{"setting.community en", "en", "Services in community-based organisations and shelters.", []string{"setting.community"}, nil},
		{"setting.community fr", "fr", "Au domicile des personnes et dans le quartier.", []string{"setting.community"}, nil},
		{"setting.primary_care en", "en", "Embedded in primary care practices.", []string{"setting.primary_care"}, nil},
		{"setting.primary_care fr", "fr", "Dans les centres de santé et en médecine générale.", []string{"setting.primary_care"}, nil},
		{"setting.hospital en", "en", "In the emergency department of the hospital.", []string{"setting.hospital"}, nil},
		{"setting.hospital not hospitalization", "en", "Fewer hospitalizations.", nil, []string{"setting.hospital"}},
		{"setting.hospital fr", "fr", "Aux urgences de l'hôpital.", []string{"setting.hospital"}, nil},
		{"setting.social_services en", "en", "In housing services and the justice system.", []string{"setting.social_services"}, nil},
		{"setting.social_services fr", "fr", "Dans les services sociaux et le logement.", []string{"setting.social_services"}, nil},
		{"setting.peer_run en", "en", "A peer-run drop-in and self-help groups.", []string{"setting.peer_run"}, nil},
		{"setting.peer_run fr", "fr", "Un groupe d'entraide mutuelle.", []string{"setting.peer_run"}, nil},
		{"setting.remote en", "en", "Support by telephone and text messaging.", []string{"setting.remote"}, nil},
		{"setting.remote fr", "fr", "Un soutien par téléphone et en ligne.", []string{"setting.remote"}, nil},
		{"relationship.integrated en", "en", "Peers are members of the care team.", []string{"relationship.integrated"}, nil},
		{"relationship.integrated fr", "fr", "Le pair est intégré à l'équipe de soins.", []string{"relationship.integrated"}, nil},
		{"relationship.bridge en", "en", "They act as a bridge between the community and services.", []string{"relationship.bridge"}, nil},
		{"relationship.bridge fr", "fr", "Ils font le lien et servent de passerelle.", []string{"relationship.bridge"}, nil},
		{"relationship.autonomous en", "en", "A grassroots, independent association.", []string{"relationship.autonomous"}, nil},
		{"relationship.autonomous fr", "fr", "Une association autonome et autogérée.", []string{"relationship.autonomous"}, nil},
		{"relationship.reciprocal en", "en", "Members help each other in mutual support.", []string{"relationship.reciprocal"}, nil},
		{"relationship.reciprocal fr", "fr", "Une aide réciproque entre pairs.", []string{"relationship.reciprocal"}, nil},
		{"negation en", "en", "Peers did not provide emotional support.", []string{"neg:role.emotional_social"}, []string{"role.emotional_social"}},
		{"negated copula after the cue", "en", "Lived experience is not required for the post.", nil, []string{"knowledge.lived_experience"}},
		{"copula without negation", "en", "Lived experience is required for the post.", []string{"knowledge.lived_experience"}, nil},
		{"negation after the clause ends", "en", "Lived experience matters, and training is not paid.", []string{"knowledge.lived_experience"}, nil},
		{"negation without", "en", "They worked without supervision.", []string{"neg:pathway.supervision"}, []string{"pathway.supervision"}},
		{"not only is not a negation", "en", "Not only education but also screening.", []string{"role.education"}, nil},
		{"negation fr ne pas", "fr", "Les pairs ne sont pas rémunérés.", []string{"neg:pathway.status"}, []string{"pathway.status"}},
		{"negation fr sans", "fr", "Ils travaillent sans supervision.", []string{"neg:pathway.supervision"}, []string{"pathway.supervision"}},
		{"several codes", "en", "CHWs made home visits to families affected by HIV.", []string{"role.outreach", "population.families", "population.condition", "setting.community"}, nil},
		{"language guessed", "", "Les pairs aidants sont rémunérés et reçoivent une formation.", []string{"pathway.status", "pathway.training"}, nil},
	}
	// The cues fire only in sentences about peers: each text is given as
	// what peers do, after a label.
	tg := rulesTagger(t)
	prefix := map[string]string{"en": "Peer workers: ", "fr": "Les pairs aidants : "}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(tg.TagText(prefix[tt.lang]+tt.text, tt.lang))
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("TagText(%q) = %q, want %s", tt.text, got, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("TagText(%q) = %q, want no %s", tt.text, got, n)
				}
			}
		})
	}
}

func TestLinks(t *testing.T) {
	tg := rulesTagger(t)
	doc := &corpus.Document{ID: "d", Lang: "en"}
	ps := []corpus.Passage{
		{ID: "d/0000", Text: "Peer navigators helped. They made home visits."},
		{ID: "d/0001", Text: "Community health workers gave health education to families."},
		{ID: "d/0002", Text: "The peer support programme included training."},
		{ID: "d/0003", Text: "Peer navigators helped. Participants received home visits."},
	}
	anns := tg.Tag(doc, ps)
	find := func(p corpus.PassageID, code string) corpus.Annotation {
		for _, a := range anns {
			if a.Passage == p && a.Code == code {
				return a
			}
		}
		t.Fatalf("no %s in %s: %+v", code, p, anns)
		return corpus.Annotation{}
	}
	tests := []struct {
		p     corpus.PassageID
		code  string
		scope string
		links []string
	}{
		{"d/0000", "role.outreach", "anaphora", []string{"peer navigator"}},
		{"d/0001", "role.education", "sentence", []string{"community health worker"}},
		{"d/0002", "pathway.training", "document", []string{"community health worker", "peer navigator"}},
		// A code from a sentence about the people served describes the
		// programme of the passage, not a label of its sentence.
		{"d/0003", "role.outreach", "passage", []string{"peer navigator"}},
	}
	for _, tt := range tests {
		a := find(tt.p, tt.code)
		if a.LinkScope != tt.scope || !slices.Equal(a.Links, tt.links) {
			t.Errorf("%s %s: links %q (%s), want %q (%s)", tt.p, tt.code, a.Links, a.LinkScope, tt.links, tt.scope)
		}
	}
}

func TestAnnotationFields(t *testing.T) {
	m, err := annotate.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tg   *annotate.Tagger
		want string
	}{
		{rulesTagger(t), "rules@" + annotate.Default().Version()},
		{tagger(t), "model@" + annotate.Default().Version() + "+" + m.Hash()},
	} {
		annotationFields(t, tt.tg, tt.want)
	}
}

func annotationFields(t *testing.T, tg *annotate.Tagger, want string) {
	text := "Les médiateurs de santé pairs font des visites à domicile."
	anns := tg.TagText(text, "fr")
	if len(anns) == 0 {
		t.Fatal("no annotations")
	}
	for _, a := range anns {
		if a.Annotator != want || a.Codebook != annotate.Default().Version() || a.Rule == "" || a.Confidence <= 0 || a.Confidence > 1 {
			t.Errorf("annotation %+v: want annotator %s, the codebook version, a rule and a confidence in (0,1]", a, want)
		}
		for _, s := range a.Spans {
			if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
				t.Errorf("span %+v outside the text", s)
			}
		}
	}
	// The span of the label covers the accented original text.
	for _, a := range anns {
		if a.Type == corpus.AnnLabel && text[a.Spans[0].Start:a.Spans[0].End] != "médiateurs de santé pairs" {
			t.Errorf("label span = %q, want %q", text[a.Spans[0].Start:a.Spans[0].End], "médiateurs de santé pairs")
		}
	}
}

func TestTagDeterministic(t *testing.T) {
	tg := tagger(t)
	ps := []corpus.Passage{
		{ID: "d/0001", Text: "CHWs made home visits, offered emotional support and linked clients to care by phone."},
		{ID: "d/0000", Text: strings.Repeat("Peer navigators in hospitals. ", 3)},
	}
	a := tg.Tag(nil, ps)
	b := tg.Tag(nil, slices.Clone(ps))
	if !reflect.DeepEqual(a, b) {
		t.Error("Tag is not deterministic")
	}
	if !slices.IsSortedFunc(a, corpus.Annotation.Compare) {
		t.Error("Tag output is not sorted by Annotation.Compare")
	}
}

func FuzzTagText(f *testing.F) {
	for _, s := range []string{"", "No peer navigator. CHWs made home visits.", "Peer navigators help.\n\n•\n\nThey visit homes.", "Les pairs-aidants n'étaient pas rémunérés.", "\xff\xfeCHW\u0130s", "İstanbul ﬁ peer\u00a0navigators"} {
		f.Add(s, "")
	}
	tg := tagger(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		for _, a := range tg.TagText(text, lang) {
			for _, s := range a.Spans {
				if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
					t.Fatalf("TagText(%q): span %+v outside the text", text, s)
				}
			}
		}
	})
}
