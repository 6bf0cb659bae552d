package ingest

import (
	"context"
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
