package ingest

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTEIYear reads the year of real GROBID files whose header has no
// date, from where each file states it.
func TestTEIYear(t *testing.T) {
	dir := sharedCorpus(t, "peer/tei")
	tests := []struct {
		file string
		want int
		from string
	}{
		{"abdalla-nd-bp-control-chw.tei.xml", 2023, "running header with its DOI"},
		{"carrera-nd-financial-toxicity-patient-navigators.tei.xml", 2018, "download banner with its DOI"},
		{"baumel-nd-mental-health-apps-peer-support.tei.xml", 2019, "running footer J Med Internet Res 2019 | vol. 21"},
		{"messina-nd-isupport-caregivers-peer-support.tei.xml", 2024, "running footer JMIR Form Res 2024 | vol. 8"},
		{"lindson-nd-motivational-interviewing-peer-educators.tei.xml", 2019, "Copyright © 2019 The Cochrane Collaboration"},
		{"cochrane-cd012675-mobile-adherence-chw.tei.xml", 2021, "Copyright © 2021 The Cochrane Collaboration"},
		{"leya-nd-sms-mental-health-peer-support.tei.xml", 2022, "Originally published in …, 03.05.2022"},
		{"bombard-nd-patient-engagement-peer-educators.tei.xml", 2018, "submission note: accepted"},
		{"catania-nd-digital-mental-health-peer-specialists.tei.xml", 2024, "submission note: submitted"},
		{"gyawali-nd-ehealth-breast-cancer-support-groups.tei.xml", 2023, "header date"},
		{"liu-nd-sroi-mental-health-peer-support.tei.xml", 0, "months without years"},
		{"colaci-nd-mhealth-maternal-chw.tei.xml", 0, "no date; years of cited work only"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, _, err := File(context.Background(), filepath.Join(dir, tt.file), Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Year != tt.want {
				t.Errorf("Year = %d, want %d (%s)", doc.Year, tt.want, tt.from)
			}
		})
	}
}

func TestTextYear(t *testing.T) {
	tests := []struct {
		name, text, licence, doi string
		want                     int
	}{
		{"own DOI", "Hypertension. 2023;80:e143-e157. DOI: 10.1161/HYP.0000000000000232", "", "10.1161/hyp.0000000000000232", 2023},
		{"another work's DOI", "Smith 2019;3:1. doi: 10.1/other", "", "10.1/mine", 0},
		{"running header thrice", strings.Repeat("text J Med Internet Res 2019 | vol. 21 | e1 more ", 3), "", "", 2019},
		{"running header once", "as in Lancet 2014;2:e323 and", "", "", 0},
		{"lone copyright in the body", "Figure reprinted. Copyright © 2010 Elsevier.", "", "", 0},
		{"copyright twice", "Copyright © 2019 The Cochrane Collaboration. x. Copyright © 2019 The Cochrane Collaboration.", "", "", 2019},
		{"licence in the header", "", "© 2023 Elsevier Ltd. All rights reserved.", "", 2023},
		{"originally published", "Originally published in JMIR Formative Research (https://formative.jmir.org), 03.05.2022.", "", "", 2022},
		{"most votes win", "Copyright © 2019 X. Copyright © 2019 X. Copyright © 2020 Y. Copyright © 2020 Y. Copyright © 2020 Y.", "", "", 2020},
		{"nothing", "Papers published between January 2000 and July 2015 were included.", "", "", 0},
	}
	for _, tt := range tests {
		if got := textYear(tt.text, tt.licence, tt.doi); got != tt.want {
			t.Errorf("%s: textYear(%q) = %d, want %d", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestSubmissionYear(t *testing.T) {
	tests := []struct {
		note string
		want int
	}{
		{"Received: 10 January 2018 Accepted: 20 June 2018", 2018},
		{"Received 17 October 2022; Received in revised form 18 January 2023; Accepted 20 January 2023", 2023},
		{"Submitted May 18, 2024; accepted September 24, 2024", 2024},
		{"ReCeIveD: July 5, 2023. ACCePTeD: March 26, 2024.", 2024},
		{"Submitted to: JMIR Mental Health on: February 15, 2024", 2024},
		{"Received: 11 December 2013 Accepted: 15 December 2014", 2014},
		{"RECEIVED June ACCEPTED November PUBLISHED December", 0},
		{"//ahajournals.org by on June 8, 2025", 0}, // a download stamp, not a submission date
	}
	for _, tt := range tests {
		if got := submissionYear(tt.note); got != tt.want {
			t.Errorf("submissionYear(%q) = %d, want %d", tt.note, got, tt.want)
		}
	}
}

// teiBody wraps sentences in a minimal TEI document.
func teiBody(ps string) string {
	return `<TEI><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader><text><body><div><head>H</head>` + ps + `</div></body></text></TEI>`
}

func TestTEICallouts(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bare number", `<p><s>Care matters. <ref type="bibr" target="#b3">4</ref></s><s>More text.</s></p>`, "Care matters. [4] More text."},
		{"a run", `<p><s>Care <ref type="bibr">4,</ref><ref type="bibr">6</ref> matters.</s></p>`, "Care [4,6] matters."},
		{"a range", `<p><s>Care <ref type="bibr">15 , 16</ref> matters.</s></p>`, "Care [15 , 16] matters."},
		{"already bracketed", `<p><s>Care <ref type="bibr">[20,</ref><ref type="bibr">21]</ref>.</s></p>`, "Care [20,21]."},
		{"in parentheses", `<p><s>Care (<ref type="bibr">3</ref>).</s></p>`, "Care (3)."},
		{"author and year", `<p><s>Care (<ref type="bibr">Smith et al. 2019</ref>).</s></p>`, "Care (Smith et al. 2019)."},
		{"not a citation", `<p><s>See <ref type="figure">2</ref>.</s></p>`, "See 2."},
	}
	for _, tt := range tests {
		doc, _, err := Bytes(context.Background(), "x.tei.xml", []byte(teiBody(tt.in)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc.Text, tt.want) {
			t.Errorf("%s: text = %q, want it to hold %q", tt.name, doc.Text, tt.want)
		}
	}
}

func TestRestoreLetters(t *testing.T) {
	const ps = `<p><s>Additional staff help. Costs rose. <ref type="bibr">4</ref></s><s>dditional barriers remain.</s>` +
		`<s>The right light at night. <ref type="bibr">5</ref></s><s>ight studies agree.</s>` +
		`<s>Other work. <ref type="bibr">6</ref></s><s>he results hold.</s>` +
		`<s>Community health. <ref type="bibr">7</ref></s><s>mmunity-level barriers.</s>` +
		`<s>No callout here.</s><s>ypically not repaired.</s></p>`
	doc, _, err := Bytes(context.Background(), "x.tei.xml", []byte(teiBody(ps)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"[4] Additional barriers remain.", // one word of the document fits
		"[5] ight studies agree.",         // eight, light, night, right: left alone
		"[6] The results hold.",           // "he" is no word of this document; "the" is
		"[7] Community-level barriers.",   // two letters lost
		"No callout here. ypically not repaired.",
	} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("text = %q, want it to hold %q", doc.Text, want)
		}
	}
	if !slices.Contains(doc.Warnings, repairWarning(3)) {
		t.Errorf("Warnings = %q, want %q", doc.Warnings, repairWarning(3))
	}

	// The sentence of issue 11 in the real file.
	path := filepath.Join(sharedCorpus(t, "peer/tei"), "abdalla-nd-bp-control-chw.tei.xml")
	doc, _, err = File(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "with health insurance. [4] Additional barriers include"; !strings.Contains(doc.Text, want) {
		t.Errorf("%s: text does not hold %q", path, want)
	}
}

func TestTEITitleAndSections(t *testing.T) {
	dir := sharedCorpus(t, "peer/tei")
	doc, _, err := File(context.Background(), filepath.Join(dir, "lester-2010-weltel-sms-support-groups.tei.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Effects of a mobile phone short message service on antiretroviral treatment adherence in Kenya (WelTel Kenya1): a randomised trial"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	doc, _, err = File(context.Background(), filepath.Join(dir, "ferretti-2023-youth-digital-health-peers.tei.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sections) < 2 || doc.Sections[0].Heading != "Abstract" || doc.Sections[1].Heading != "Introduction" {
		t.Errorf("sections start %+v, want Abstract then Introduction (no author query)", doc.Sections[:min(len(doc.Sections), 2)])
	}
	if strings.Contains(doc.Text, "Pleaseconfirm") {
		t.Errorf("text holds the proof's author query")
	}
	doc, _, err = File(context.Background(), filepath.Join(dir, "abdalla-nd-bp-control-chw.tei.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Authors); n != 9 || doc.Authors[n-1] != "Shimbo, Daichi" {
		t.Errorf("Authors = %q, want 9 ending with Shimbo (not GROBID's \"Et, Abdalla\")", doc.Authors)
	}
}

func TestLigatureSplits(t *testing.T) {
	text := "Eff ects of x. The eff ects were signifi cant. Staff members and staff meet; the staff. Signifi cant results."
	ls := findLigatureSplits(text)
	tests := []struct{ in, want string }{
		{"Eff ects of a mobile phone", "Effects of a mobile phone"},
		{"A signifi cant change", "A significant change"},
		{"Staff members", "Staff members"}, // "staff" also ends a sentence: a word of its own
	}
	for _, tt := range tests {
		if got := ls.join(tt.in); got != tt.want {
			t.Errorf("join(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
