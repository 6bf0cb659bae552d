package ingest

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, file, in string
		format         string
		title          string
		year           int
		lang           string
		authors        []string
		sections       []string
		has, hasNot    []string
	}{
		{
			name: "yaml front matter and markdown", file: "a.md",
			in:     "---\ntitle: \"Peer navigators\"\ndate: 2021-03-04\nauthor:\n  - Jane Roe\n  - Ann Doe\nlang: en\n---\n\n# Overview\n\nPeer **navigators** help *patients* find [clinics](https://x.org) and `services` in the city.\n\n## Training\n\nThey train for ![a photo](p.png) six weeks with __senior__ peers.\n",
			format: FormatMarkdown, title: "Peer navigators", year: 2021, lang: "en", authors: []string{"Jane Roe", "Ann Doe"},
			sections: []string{"Overview", "Training"},
			has:      []string{"Peer navigators help patients find clinics and services in the city.", "They train for a photo six weeks with senior peers."},
			hasNot:   []string{"---", "date:", "**", "](", "`"},
		},
		{
			name: "toml front matter", file: "b.md",
			in:     "+++\ntitle = \"Pair aidant\"\ndate = 2019-01-01\nauthors = [\"Marie Curie\"]\n+++\n\nLes pairs aidants accompagnent les personnes dans leur parcours de soins et partagent leur expérience.\n",
			format: FormatMarkdown, title: "Pair aidant", year: 2019, lang: "fr", authors: []string{"Marie Curie"},
			has: []string{"Les pairs aidants accompagnent"}, hasNot: []string{"+++", "title ="},
		},
		{
			name: "setext headings, quotes, comments, shortcodes", file: "c.md",
			in:     "Programme\n=========\n\n> Peer workers are employed by the health service.\n\n<!-- a comment -->\n{{< callout >}}\nThey are paid.\n\nRoles\n-----\n\n- outreach\n- advocacy\n",
			format: FormatMarkdown, title: "Programme", sections: []string{"Programme", "Roles"},
			has: []string{"Peer workers are employed by the health service.", "They are paid.", "- outreach\n- advocacy"}, hasNot: []string{"a comment", "callout", ">"},
		},
		{
			name: "plain text keeps lines", file: "d.txt",
			in:     "Community health workers\n\nThey visit homes.\nThey refer patients to clinics.\n\n\n\nThey are supervised monthly.",
			format: FormatText, title: "Community health workers",
			has: []string{"They visit homes.\nThey refer patients to clinics.\n\nThey are supervised monthly."},
		},
		{
			name: "latin-1 text", file: "e.txt",
			in:     "Les m\xe9diateurs de sant\xe9 pairs travaillent \xe0 l'h\xf4pital avec les \xe9quipes soignantes.",
			format: FormatText, lang: "fr",
			has: []string{"Les médiateurs de santé pairs travaillent à l'hôpital"},
		},
		{
			name: "front matter prose goes to text", file: "f.md",
			in:     "---\ntitle: Form\nWhat will you do?: >-\n  We will train twenty five residents as promotores who visit their neighbours, share health information and help them reach clinics and social services in the area.\nshort: yes\n---\n",
			format: FormatMarkdown, title: "Form", sections: []string{"What will you do"},
			has: []string{"We will train twenty five residents as promotores"}, hasNot: []string{"short"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, ps, err := Bytes(context.Background(), tt.file, []byte(tt.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, tt.file, doc, ps)
			if doc.Format != tt.format {
				t.Errorf("Format = %q, want %q", doc.Format, tt.format)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("Title = %q, want %q", doc.Title, tt.title)
			}
			if doc.Year != tt.year {
				t.Errorf("Year = %d, want %d", doc.Year, tt.year)
			}
			if tt.lang != "" && doc.Lang != tt.lang {
				t.Errorf("Lang = %q, want %q", doc.Lang, tt.lang)
			}
			if tt.authors != nil && !slices.Equal(doc.Authors, tt.authors) {
				t.Errorf("Authors = %q, want %q", doc.Authors, tt.authors)
			}
			var heads []string
			for _, s := range doc.Sections {
				heads = append(heads, s.Heading)
			}
			if !slices.Equal(heads, tt.sections) {
				t.Errorf("sections = %q, want %q", heads, tt.sections)
			}
			for _, s := range tt.has {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("text lacks %q; text = %q", s, doc.Text)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(doc.Text, s) {
					t.Errorf("text holds %q; text = %q", s, doc.Text)
				}
			}
		})
	}
}

func TestSkips(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		opts       Options
		want       corpus.Skip
		detail     string
	}{
		{"empty", "a.txt", nil, Options{}, corpus.SkipEmpty, "empty"},
		{"too large", "a.txt", []byte(strings.Repeat("a", 100)), Options{MaxBytes: 10}, corpus.SkipTooLarge, "too large"},
		{"binary", "a.bin", []byte{0x89, 'P', 'N', 'G', 0, 0, 1, 2}, Options{}, corpus.SkipUnsupported, "unsupported format"},
		{"reference export", "refs.ris", []byte("TY  - JOUR\nTI  - Peer support\nER  - \n"), Options{}, corpus.SkipUnsupported, "reference export"},
		{"blank text", "a.txt", []byte("  \n\n\t "), Options{}, corpus.SkipNoText, "no text"},
		{"bad xml", "a.xml", []byte("<article"), Options{}, corpus.SkipInvalid, "not valid"},
		{"unknown xml", "a.xml", []byte("<?xml version=\"1.0\"?><svg><g/></svg>"), Options{}, corpus.SkipUnsupported, "unsupported"},
		{"zip not docx", "a.zip", []byte("PK\x03\x04rest"), Options{}, corpus.SkipUnsupported, "unsupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, ps, err := Bytes(context.Background(), tt.file, tt.data, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Skip != tt.want || !strings.Contains(doc.SkipDetail, tt.detail) || len(ps) != 0 {
				t.Errorf("Bytes(%s) skip = %v %q, %d passages; want %v %q", tt.name, doc.Skip, doc.SkipDetail, len(ps), tt.want, tt.detail)
			}
			if doc.ID != corpus.NewDocID(tt.data) || doc.Path != tt.file || doc.Size != int64(len(tt.data)) {
				t.Errorf("ID, Path, Size = %s, %q, %d", doc.ID, doc.Path, doc.Size)
			}
		})
	}
}

func TestKindOverride(t *testing.T) {
	doc, _, err := Bytes(context.Background(), "a.txt", []byte("Some grey literature text about peer workers."), Options{Kind: corpus.KindArticle, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != corpus.KindArticle || !doc.Added.Equal(fixedNow()) {
		t.Errorf("Kind, Added = %q, %v", doc.Kind, doc.Added)
	}
}

func TestTextHeader(t *testing.T) {
	tests := []struct {
		name, in string
		authors  []string
		year     int
	}{
		{"english", "A report\n\nAuthor: Grace Mbeki\nYear: 2013\n\nBody text here.", []string{"Grace Mbeki"}, 2013},
		{"french", "Un rapport\n\nAuteur : Jeanne Roy; Paul Roy\nAnnée : 2019\n\nTexte.", []string{"Jeanne Roy", "Paul Roy"}, 2019},
		{"date line", "Title\nDate: March 2021\n\nText.", nil, 2021},
		{"too far down", strings.Repeat("line\n", 25) + "Author: Nobody\n", nil, 0},
		{"none", "Just text: with a colon.\n", nil, 0},
		{"organisation is a group author", "# Peer Worker Position Description\n\n**Organization**: NSW Users & AIDS Association (NUAA)\n**Closing Date**: [Date]\n", []string{"NSW Users & AIDS Association (NUAA)"}, 0},
		{"a person wins over the organisation", "Organisation: Some Org\nAuthor: Ann Roe\n", []string{"Ann Roe"}, 0},
		{"bold key with the colon inside", "**Author:** Ann Roe\n**Date:** 2020-03-01\n", []string{"Ann Roe"}, 2020},
		{"metadata comment", "<!--//meta\nAbout: x\nDate: August 23, 2025\nMeta Author: `GitHub Copilot`\n//meta-->\n# A\n", nil, 2025},
		{"placeholders", "Author: [Name]\nDate: <date>\n", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &corpus.Document{Format: FormatText}
			textHeader(doc, tt.in)
			if !slices.Equal(doc.Authors, tt.authors) || doc.Year != tt.year {
				t.Errorf("textHeader(%q) = %q, %d; want %q, %d", tt.in, doc.Authors, doc.Year, tt.authors, tt.year)
			}
		})
	}
}

func TestMarkdownTitle(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lone top heading", "# Peer Worker Position Description\n\n## About\n\ntext\n", "Peer Worker Position Description"},
		{"setext", "Peer Work\n=========\n\ntext\n", "Peer Work"},
		{"after a comment", "<!-- meta -->\n# Title Here\n\ntext\n", "Title Here"},
		{"several top headings are sections", "# Authentic Empathy\n\ntext\n\n# Reduced Hospitalizations\n", ""},
		{"a lower heading is a section", "### Systems of Power\n\n- a question\n", ""},
		{"text before the heading", "Some text.\n\n# Heading\n", ""},
		{"heading in a fence", "```\n# not a heading\n```\n# Real\n", ""},
		{"glossary entry", "# Peer worker: Any social service position reserved for people who share lived experience.\n", ""},
	}
	for _, tt := range tests {
		if got := mdTitle(tt.in); got != tt.want {
			t.Errorf("%s: mdTitle(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestTextMetadata reads real files of the peer corpus whose citation
// comes from the text itself: story-format trial records, front matter
// with a group author, header lines, Markdown without a title.
func TestTextMetadata(t *testing.T) {
	dir := sharedCorpus(t, "peer/text")
	tests := []struct {
		file, title string
		authors     []string
		year        int
		venue       string
	}{
		{"ctgov_NCT00375024_patient-navigator-tampa.story.txt", "Patient Navigator Project", nil, 0, "ClinicalTrials.gov NCT00375024"},
		{"ctgov_NCT01188941_health-system-navigator-durban.story.txt", "Linkage and Retention: A Randomized Trial to Optimize HIV/TB Care in South Africa", nil, 0, "ClinicalTrials.gov NCT01188941"},
		{"la2050_2016_collegesquad-peer-mentor-education.md", "#collegesquad: Promesa Boyle Heights Peer Mentor Program", []string{"Proyecto Pastoral"}, 2016, ""},
		{"nuaa_peer-worker-position-description.md", "Peer Worker Position Description", []string{"NSW Users & AIDS Association (NUAA)"}, 0, ""},
		{"nuaa_peer-led-harm-reduction-report.md", "Australia's peer-led harm reduction pioneer transforms drug use response", nil, 0, ""},
		{"fr_assemblee-facile_mediateur-sante-pair_ppl2393.md", "Reconnaître et sécuriser l’exercice de la fonction de médiateur de santé-pair en santé mentale - N° 2393", []string{"Sébastien Saint-Pasteur"}, 2026, ""},
		{"fr_lmc_universite-des-patients.md", "L'université des patients : une innovation française et une économie politique de l'espoir", nil, 2025, ""},
		{"vishwas_what-is-peer-support.md", "", nil, 2025, ""},
		{"spw_glossary_peer-worker.md", "", nil, 0, ""},
		{"spw_questions-for-agencies_peer-work.md", "", nil, 0, ""},
		{"rwjbarnabas_peer-recovery-program_readme.md", "", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, ps, err := File(context.Background(), filepath.Join(dir, tt.file), Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, tt.file, doc, ps)
			if doc.Title != tt.title || !slices.Equal(doc.Authors, tt.authors) || doc.Year != tt.year || doc.Venue != tt.venue {
				t.Errorf("Title, Authors, Year, Venue = %q, %q, %d, %q; want %q, %q, %d, %q",
					doc.Title, doc.Authors, doc.Year, doc.Venue, tt.title, tt.authors, tt.year, tt.venue)
			}
		})
	}
}

// TestStory checks a story-format trial record: no control token and no
// highlight marker in the text, the title as the first section and the
// highlights as a Summary section that is also the abstract.
func TestStory(t *testing.T) {
	path := filepath.Join(sharedCorpus(t, "peer/text"), "ctgov_NCT02508480_peer-led-photovoice.story.txt")
	doc, ps, err := File(context.Background(), path, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, path, doc, ps)
	for _, bad := range []string{"fifthQuint", "@highlight", "\n\n.\n\n"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("text holds %q", bad)
		}
	}
	var heads []string
	for _, s := range doc.Sections {
		heads = append(heads, s.Heading)
	}
	if want := []string{doc.Title, "Summary"}; !slices.Equal(heads, want) {
		t.Errorf("sections = %q, want %q", heads, want)
	}
	if !strings.HasPrefix(doc.Abstract, "We are conducting a randomized clinical trial (RCT) comparing the 10-week peer-led Photovoice program") {
		t.Errorf("Abstract = %q", trunc(doc.Abstract, 120))
	}
	if got := doc.SectionAt(strings.Index(doc.Text, doc.Abstract[:40])); got != "Summary" {
		t.Errorf("abstract in section %q, want Summary", got)
	}
	if doc.Extractor != "story" || doc.Kind != corpus.KindGrey {
		t.Errorf("Extractor, Kind = %q, %q", doc.Extractor, doc.Kind)
	}

	const plain = "(thirdQuint)A Short Title.\n\nBody.\n\n@highlight\n\nFirst point.\n\n@highlight\n\nSecond point.\n"
	doc, ps, err = Bytes(context.Background(), "x.story", []byte(plain), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, "x.story", doc, ps)
	if doc.Title != "A Short Title" || doc.Abstract != "First point. Second point." || doc.Venue != "" {
		t.Errorf("CNN-style story: Title, Abstract, Venue = %q, %q, %q", doc.Title, doc.Abstract, doc.Venue)
	}
}
