package report_test

import (
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/report"
)

// cellWorks returns the works in which code describes unit in r (0 when
// the unit is no row).
func cellWorks(r *report.Report, unit, code string) int {
	for _, m := range r.Matrices {
		for _, row := range m.Rows {
			for _, c := range row.Cells {
				if row.Unit == unit && c.Code == code {
					return c.Works
				}
			}
		}
	}
	for _, u := range r.Rare {
		for _, c := range u.Codes {
			if u.Name == unit && c.Code == code {
				return c.Works
			}
		}
	}
	return 0
}

// TestLinksHold builds one-passage corpora whose annotations carry the
// mistakes that put quotes under the wrong label (issue 11), and checks
// that none of them counts, and that the right link next to it does.
func TestLinksHold(t *testing.T) {
	const (
		nav = "peer navigator"
		out = "outreach worker"
		mag = "mutual aid group"
		chw = "community health worker"
	)
	type want struct {
		unit, code string
		works      int
	}
	tests := []struct {
		name  string
		kind  corpus.Kind
		text  string
		anns  []ann
		wants []want
	}{
		{
			// The navigators, not the outreach workers, give the support; the
			// annotator linked the code to both families.
			name: "support given by the navigators is not the outreach workers'",
			kind: corpus.KindArticle,
			text: "They work alongside two peer outreach workers who hand out harm-reduction supplies. " +
				"The navigators share their own experience of living with HIV to build trust and reduce isolation.",
			anns: []ann{lab("peer outreach worker", "peer outreach workers"), lab("navigator", "navigators"),
				code("role.emotional_social", "reduce isolation", out, nav)},
			wants: []want{{out, "role.emotional_social", 0}, {nav, "role.emotional_social", 1}},
		},
		{
			name: "a passage-scope link in an article counts for nothing",
			kind: corpus.KindArticle,
			text: "Peer outreach workers hand out supplies in the park. The navigators listen and reduce isolation.",
			anns: []ann{lab("peer outreach worker", "Peer outreach workers"), lab("navigator", "navigators"),
				code("role.emotional_social", "reduce isolation", out).passageScope()},
			wants: []want{{out, "role.emotional_social", 0}, {nav, "role.emotional_social", 0}},
		},
		{
			// "A carers' support group run by a hospital social worker is a
			// different model": the annotator's contract marks that mention
			// (not mutual aid) negated, or gives the link a low confidence.
			name: "a hospital-run group said not to be mutual aid, negated",
			kind: corpus.KindGrey,
			text: "Similar groups are called self-help groups. A carers' support group run by a hospital social worker is a different model.",
			anns: []ann{lab("self-help group", "self-help groups"), ann{label: "support group", cue: "support group", negated: true},
				code("setting.hospital", "hospital", mag), code("setting.peer_run", "self-help groups", mag)},
			wants: []want{{mag, "setting.hospital", 0}, {mag, "setting.peer_run", 1}},
		},
		{
			name: "a hospital-run group said not to be mutual aid, unlikely link",
			kind: corpus.KindGrey,
			text: "Similar groups are called self-help groups. A carers' support group run by a hospital social worker is a different model.",
			anns: []ann{lab("self-help group", "self-help groups"), lab("support group", "support group"),
				code("setting.hospital", "hospital", mag).withConf(0.2), code("setting.peer_run", "self-help groups", mag)},
			wants: []want{{mag, "setting.hospital", 0}, {mag, "setting.peer_run", 1}},
		},
		{
			// A dosing sentence names no community health worker: neither a
			// document-scope nor a (wrong) sentence-scope link makes it one.
			name: "a malaria dosing sentence is no CHW pathway, document scope",
			kind: corpus.KindArticle,
			text: "Community health workers delivered the drugs in two trials. IPTc was administered either monthly or every 2 months after training.",
			anns: []ann{lab("community health worker", "Community health workers"),
				code("pathway.training", "training", chw).docScope()},
			wants: []want{{chw, "pathway.training", 0}},
		},
		{
			name: "a malaria dosing sentence is no CHW pathway, sentence scope",
			kind: corpus.KindArticle,
			text: "Community health workers delivered the drugs in two trials. IPTc was administered either monthly or every 2 months after training.",
			anns: []ann{lab("community health worker", "Community health workers"),
				code("pathway.training", "training", chw)},
			wants: []want{{chw, "pathway.training", 0}},
		},
		{
			name: "anaphora: the label is the subject of the sentence before",
			kind: corpus.KindArticle,
			text: "Community health workers are chosen by the village. They make home visits to every family.",
			anns: []ann{lab("community health worker", "Community health workers"),
				code("role.outreach", "home visits", chw).anaphora()},
			wants: []want{{chw, "role.outreach", 1}},
		},
		{
			name: "anaphora reaches back one sentence, not two",
			kind: corpus.KindArticle,
			text: "Community health workers are chosen by the village. The village is remote. They make home visits to every family.",
			anns: []ann{lab("community health worker", "Community health workers"),
				code("role.outreach", "home visits", chw).anaphora()},
			wants: []want{{chw, "role.outreach", 0}},
		},
		{
			name: "a label in a heading carries nothing",
			kind: corpus.KindGrey,
			text: "Community health workers in the clinic\n\nThe clinic serves rural families with diabetes.",
			anns: []ann{lab("community health worker", "Community health workers"),
				code("setting.primary_care", "clinic", chw)},
			wants: []want{{chw, "setting.primary_care", 0}},
		},
		{
			name: "a heading line above a paragraph carries nothing",
			kind: corpus.KindGrey,
			text: "Selection and training of the workers\nThe community health workers are local residents chosen by the clinic manager after an interview.",
			anns: []ann{lab("community health worker", "community health workers"),
				code("pathway.training", "training", chw), code("pathway.recruitment", "chosen by the clinic manager", chw)},
			wants: []want{{chw, "pathway.training", 0}, {chw, "pathway.recruitment", 1}},
		},
		{
			name: "a record links work-wide",
			kind: corpus.KindRecord,
			text: "Community health workers for diabetes in rural Kenya. Visits were made at home every month.",
			anns: []ann{lab("community health worker", "Community health workers"),
				code("role.outreach", "Visits were made at home", chw).passageScope()},
			wants: []want{{chw, "role.outreach", 1}},
		},
		{
			name: "a negated code counts for nothing",
			kind: corpus.KindArticle,
			text: "Community health workers do not make home visits.",
			anns: []ann{lab("community health worker", "Community health workers"),
				ann{code: "role.outreach", cue: "home visits", links: []string{chw}, scope: "sentence", negated: true}},
			wants: []want{{chw, "role.outreach", 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.doc("one.html", tt.kind, "en", 2020, "One", "Doe, Jane").p(0, "", tt.text, tt.anns...)
			r := build(t, f.in, report.Options{MinDocs: 1})
			for _, w := range tt.wants {
				if got := cellWorks(r, w.unit, w.code); got != w.works {
					t.Errorf("%s × %s = %d works, want %d", w.unit, w.code, got, w.works)
				}
			}
			checkQuotes(t, r, f.byID)
			checkHolds(t, r, f.in)
		})
	}
}

// checkHolds fails unless every quote of r holds a non-negated mention of
// its label (of the quote's unit) and an evidence span of a code annotation
// of its code, as the input's annotations say.
func checkHolds(t *testing.T, r *report.Report, in report.Input) {
	t.Helper()
	views := map[corpus.PassageID]corpus.View{}
	for _, v := range in.Views {
		views[v.Passage.ID] = v
	}
	for _, q := range r.Quotes() {
		v := views[q.Passage]
		label, evidence := false, q.Evidence == nil
		for _, a := range v.Annotations {
			for _, sp := range a.Spans {
				inside := sp.Start >= q.Start && sp.End <= q.End
				switch {
				case a.Type == corpus.AnnLabel && !a.Negated && inside && sp == q.LabelAt && (a.Label == q.Label || a.Family == q.Label) &&
					(q.Unit == a.Family || q.Unit == a.Label):
					label = true
				case a.Type == corpus.AnnCode && !a.Negated && a.Code == q.Code && inside && q.Evidence != nil && sp == *q.Evidence:
					evidence = true
				}
			}
		}
		if !label || !evidence {
			t.Errorf("quote %s (%s, %s) %q: label inside %v, evidence inside %v", q.ID, q.Unit, q.Code, q.Text, label, evidence)
		}
	}
}

// TestHumanOverride checks that a human code replaces the machine codes of
// its passage, and only of its passage.
func TestHumanOverride(t *testing.T) {
	const chw = "community health worker"
	f := newFixture(t)
	f.doc("a.html", corpus.KindGrey, "en", 2020, "A", "Doe, Jane").
		p(0, "", "Community health workers measure blood pressure in the clinic.",
			lab("community health worker", "Community health workers"),
			code("role.clinical_support", "measure blood pressure", chw), code("setting.primary_care", "clinic", chw),
			ann{code: "role.education", cue: "blood pressure", human: true}).
		p(0, "", "Community health workers also visit families at home.",
			lab("community health worker", "Community health workers"), code("role.outreach", "visit families at home", chw))
	r := build(t, f.in, report.Options{MinDocs: 1})
	for _, c := range []struct {
		code string
		want int
	}{{"role.clinical_support", 0}, {"setting.primary_care", 0}, {"role.education", 1}, {"role.outreach", 1}} {
		if got := cellWorks(r, chw, c.code); got != c.want {
			t.Errorf("%s × %s = %d, want %d", chw, c.code, got, c.want)
		}
	}
	if got := r.Method.Links.Overridden; got != 2 {
		t.Errorf("Links.Overridden = %d, want 2", got)
	}
}

// TestMinConfidence checks the confidence threshold: its default, a
// stricter one and none at all.
func TestMinConfidence(t *testing.T) {
	const chw = "community health worker"
	f := newFixture(t)
	f.doc("a.html", corpus.KindGrey, "en", 2020, "A", "Doe, Jane").
		p(0, "", "Community health workers make home visits and teach families about diabetes in the clinic.",
			lab("community health worker", "Community health workers"),
			code("role.outreach", "home visits", chw).withConf(0.9),
			code("role.education", "teach families", chw).withConf(0.6),
			code("setting.primary_care", "clinic", chw).withConf(0.3))
	tests := []struct {
		min  float64
		want []string
	}{
		{0, []string{"role.education", "role.outreach"}},
		{0.8, []string{"role.outreach"}},
		{-1, []string{"role.education", "role.outreach", "setting.primary_care"}},
	}
	for _, tt := range tests {
		r := build(t, f.in, report.Options{MinDocs: 1, MinConfidence: tt.min})
		var got []string
		for _, c := range []string{"role.education", "role.outreach", "setting.primary_care"} {
			if cellWorks(r, chw, c) > 0 {
				got = append(got, c)
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("MinConfidence %v: codes %v, want %v", tt.min, got, tt.want)
		}
	}
	if _, err := report.Build(t.Context(), f.in, report.Options{MinConfidence: 1.5}); err == nil {
		t.Error("MinConfidence 1.5: no error")
	}
}
