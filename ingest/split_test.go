package ingest

import (
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
)

func docOf(text string) *corpus.Document {
	return &corpus.Document{ID: corpus.NewDocID([]byte(text)), Text: text}
}

func texts(ps []corpus.Passage) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Text)
	}
	return out
}

// sentence returns a sentence of about n bytes.
func sentence(word string, n int) string {
	s := strings.Repeat(word+" ", n/(len(word)+1))
	return strings.ToUpper(s[:1]) + s[1:len(s)-1] + "."
}

func TestSplit(t *testing.T) {
	long1, long2, long3 := sentence("alpha", 500), sentence("beta", 500), sentence("gamma", 500)
	para := "Peer workers visit patients at home every week and refer them to clinics when needed."
	tests := []struct {
		name, text string
		opts       SplitOptions
		want       []string
	}{
		{"empty", "", SplitOptions{}, nil},
		{"only space", " \n\n \t\n", SplitOptions{}, nil},
		{"one paragraph", para, SplitOptions{}, []string{para}},
		{"trimmed", "\n\n  " + para + "  \n\n", SplitOptions{}, []string{para}},
		{"blank lines split", para + "\n\n" + para, SplitOptions{}, []string{para, para}},
		{"blank line with spaces splits", para + "\n  \t\n" + para, SplitOptions{}, []string{para, para}},
		{"single newline keeps", para + "\n" + para, SplitOptions{}, []string{para + "\n" + para}},
		{"tiny merged with next", "Short.\n\n" + para, SplitOptions{}, []string{"Short.\n\n" + para}},
		{"tiny last merged with previous", para + "\n\nEnd.", SplitOptions{}, []string{para + "\n\nEnd."}},
		{"all tiny merged", "A.\n\nB.\n\nC.", SplitOptions{}, []string{"A.\n\nB.\n\nC."}},
		{"long split at sentences", long1 + " " + long2 + " " + long3, SplitOptions{}, []string{long1 + " " + long2, long3}},
		{"small max", "One two three. Four five six. Seven eight nine.", SplitOptions{MaxLen: 20, MinLen: 1}, []string{"One two three.", "Four five six.", "Seven eight nine."}},
		{"abbreviation not a sentence end", "Smith et al. found this. Then more text here.", SplitOptions{MaxLen: 30, MinLen: 1}, []string{"Smith et al. found this.", "Then more text here."}},
		{"no sentence end: cut at space", strings.Repeat("word ", 10), SplitOptions{MaxLen: 12, MinLen: 1}, []string{"word word", "word word", "word word", "word word", "word word"}},
		{"no space: cut at rune boundary", strings.Repeat("é", 10), SplitOptions{MaxLen: 5, MinLen: 1}, []string{"éé", "éé", "éé", "éé", "éé"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := docOf(tt.text)
			ps := Split(doc, tt.opts)
			checkPassages(t, tt.name, doc, ps)
			if got := texts(ps); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", trunc(tt.text, 60), got, tt.want)
			}
		})
	}
}

func TestSplitSectionsAndPages(t *testing.T) {
	var b builder
	b.heading("Introduction")
	b.para("Peer support workers are people with lived experience who are employed to support others in recovery.")
	b.para("Tiny.")
	b.heading("Methods")
	b.para("We interviewed peer support workers and their managers in four services over a period of one year.")
	text, sections := b.done()
	doc := &corpus.Document{ID: "d", Text: text, Sections: sections}
	mid := strings.Index(text, "Methods")
	doc.Pages = []corpus.Page{{N: 1, Start: 0, End: mid}, {N: 2, Start: mid, End: len(text)}}
	ps := Split(doc, SplitOptions{})
	checkDoc(t, "sections", doc, ps)
	if len(ps) != 2 {
		t.Fatalf("Split = %q, want 2 passages", texts(ps))
	}
	// "Tiny." is merged within Introduction, never across into Methods;
	// headings stay out of the passages, in Section.
	if ps[0].Section != "Introduction" || ps[0].Page != 1 || !strings.HasPrefix(ps[0].Text, "Peer support workers") || !strings.HasSuffix(ps[0].Text, "Tiny.") {
		t.Errorf("passage 0 = %+v", ps[0])
	}
	if ps[1].Section != "Methods" || ps[1].Page != 2 || !strings.HasPrefix(ps[1].Text, "We interviewed") {
		t.Errorf("passage 1 = %+v", ps[1])
	}
	if ps[1].ID != corpus.NewPassageID("d", 1) {
		t.Errorf("ID = %s", ps[1].ID)
	}
}

// TestSplitSectionBreak checks that a section start inside a paragraph
// (as a PDF extractor may record) cuts the paragraph.
func TestSplitSectionBreak(t *testing.T) {
	text := "Abstract text that runs on for a while and on. Results start here and go on for a while longer."
	at := strings.Index(text, "Results")
	doc := &corpus.Document{ID: "d", Text: text, Sections: []corpus.Section{{Heading: "Abstract", Start: 0, End: at}, {Heading: "Results", Start: at, End: len(text)}}}
	ps := Split(doc, SplitOptions{MinLen: 10})
	checkDoc(t, "break", doc, ps)
	if got := texts(ps); len(got) != 2 || ps[1].Section != "Results" || !strings.HasPrefix(got[1], "Results") {
		t.Errorf("Split = %q", got)
	}
}

// TestSplitHeadings checks that a section's heading line is part of no
// passage, on a line of its own or glued to its paragraph, and that a
// section that starts with text other than its heading keeps it.
func TestSplitHeadings(t *testing.T) {
	tests := []struct {
		name, text, heading string
		want                []string
	}{
		{"heading above a blank line", "Link with the health centre\n\nThe promotoras are not clinicians.", "Link with the health centre", []string{"The promotoras are not clinicians."}},
		{"heading on the line above", "Selection and training\nThe CHWs are local residents chosen by the clinic manager.", "Selection and training", []string{"The CHWs are local residents chosen by the clinic manager."}},
		{"heading written otherwise", "LINK WITH THE HEALTH CENTRE:\n\nThe promotoras are not clinicians.", "Link with the health centre", []string{"The promotoras are not clinicians."}},
		{"a heading and nothing else", "Results", "Results", nil},
		{"text that only starts like the heading", "Results start here and go on for a while longer.", "Results", []string{"Results start here and go on for a while longer."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &corpus.Document{ID: "d", Text: tt.text, Sections: []corpus.Section{{Heading: tt.heading, Start: 0, End: len(tt.text)}}}
			ps := Split(doc, SplitOptions{MinLen: 10})
			checkDoc(t, tt.name, doc, ps)
			if got := texts(ps); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", tt.text, got, tt.want)
			}
			for _, p := range ps {
				if p.Section != tt.heading {
					t.Errorf("passage %q: section %q, want %q", p.Text, p.Section, tt.heading)
				}
			}
		})
	}
}

func TestSplitNil(t *testing.T) {
	if ps := Split(nil, SplitOptions{}); ps != nil {
		t.Errorf("Split(nil) = %v", ps)
	}
}
