package text

import (
	"strings"
	"testing"
)

func TestInText(t *testing.T) {
	tests := []struct {
		w    Work
		want string
	}{
		{Work{Authors: []string{"Okafor, Harriet"}, Year: 2021, Title: "T"}, "Okafor 2021"},
		{Work{Authors: []string{"Okafor, Harriet", "Mensah, K"}, Year: 2021}, "Okafor & Mensah 2021"},
		{Work{Authors: []string{"A, B", "C, D", "E, F"}}, "A et al. n.d."},
		{Work{Title: "Peer navigators in hospital care.", Year: 2020}, "Peer navigators in hospital care 2020"},
		{Work{Path: "in/navigators.pdf"}, "navigators.pdf n.d."},
		{Work{Title: strings.Repeat("word ", 20), Year: 1999}, "word word word word word word word word word word word word… 1999"},
	}
	for _, tt := range tests {
		if got := InText(tt.w); got != tt.want {
			t.Errorf("InText(%+v) = %q, want %q", tt.w, got, tt.want)
		}
	}
}
