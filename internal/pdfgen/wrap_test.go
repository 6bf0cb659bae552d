package pdfgen_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/pdfgen"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width int
		want  []string
	}{
		{"empty", "", 10, nil},
		{"blank", " \n\n \t", 10, nil},
		{"fits", "peer navigator", 14, []string{"peer navigator"}},
		{"breaks", "peer navigator role", 14, []string{"peer navigator", "role"}},
		{"accents count as one", "pairs aidés ééé", 11, []string{"pairs aidés", "ééé"}},
		{"long word alone", "a extraordinarily b", 5, []string{"a", "extraordinarily", "b"}},
		{"newline is a space", "one\ntwo", 20, []string{"one two"}},
		{"blank line is a paragraph", "one\n\n\ntwo\r\n \r\nthree", 20, []string{"one", "", "two", "", "three"}},
		{"zero width", "a b", 0, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pdfgen.Wrap(tt.text, tt.width); !slices.Equal(got, tt.want) {
				t.Errorf("Wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

// FuzzWrap checks that Wrap keeps every word, in order, and never makes a
// line longer than width unless the line is one word.
func FuzzWrap(f *testing.F) {
	f.Add("Les pairs aidants partagent leur savoir expérientiel.\n\nSecond paragraphe.", 20)
	f.Add("a\n \n\nb c d", 1)
	f.Add("", 0)
	f.Add(french, pdfgen.CharsPerColumn)
	f.Fuzz(func(t *testing.T, text string, width int) {
		if !utf8.ValidString(text) {
			t.Skip()
		}
		lines := pdfgen.Wrap(text, width)
		if got, want := strings.Fields(strings.Join(lines, " ")), strings.Fields(text); !slices.Equal(got, want) {
			t.Fatalf("Wrap(%q, %d) words = %q, want %q", text, width, got, want)
		}
		for i, l := range lines {
			if l == "" {
				if i == 0 || i == len(lines)-1 || lines[i-1] == "" {
					t.Fatalf("Wrap(%q, %d) line %d: empty line not between paragraphs: %q", text, width, i, lines)
				}
				continue
			}
			if strings.TrimSpace(l) != l || strings.Contains(l, "  ") {
				t.Fatalf("Wrap(%q, %d) line %d = %q: stray spaces", text, width, i, l)
			}
			if utf8.RuneCountInString(l) > max(width, 1) && len(strings.Fields(l)) > 1 {
				t.Fatalf("Wrap(%q, %d) line %d = %q: longer than width", text, width, i, l)
			}
		}
	})
}

func BenchmarkWrap(b *testing.B) {
	text := strings.Repeat(french+"\n", 100)
	b.ReportAllocs()
	for b.Loop() {
		pdfgen.Wrap(text, pdfgen.CharsPerLine)
	}
}
