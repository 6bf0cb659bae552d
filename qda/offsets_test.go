package qda

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestRuneIndex checks byte ↔ position conversion against a plain count of
// code points (the oracle), on accented French, non-Latin scripts and
// characters outside the BMP (two UTF-16 units, one code point).
func TestRuneIndex(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"ascii", "peer navigators help"},
		{"french", "Les pairs aidants « médiateurs » accompagnent l’œuvre… à l'hôpital."},
		{"decomposed accent", "me\u0301diateur"},
		{"cjk", "同伴支持者帮助患者。社区卫生工作者"},
		{"arabic", "الدعم من الأقران"},
		{"astral", "pair 𠀀 aidant 😀 fin"},
		{"crlf", "ligne un\r\nligne deux\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newRuneIndex(tt.text, false)
			if x.n != utf8.RuneCountInString(tt.text) {
				t.Fatalf("positions = %d, want %d", x.n, utf8.RuneCountInString(tt.text))
			}
			p := 0
			for b := range tt.text {
				got, ok := x.Pos(b)
				if !ok || got != p {
					t.Errorf("Pos(%d) = %d, %v; want %d", b, got, ok, p)
				}
				back, ok := x.Byte(p)
				if !ok || back != b {
					t.Errorf("Byte(%d) = %d, %v; want %d", p, back, ok, b)
				}
				if _, size := utf8.DecodeRuneInString(tt.text[b:]); size > 1 {
					if _, ok := x.Pos(b + 1); ok {
						t.Errorf("Pos(%d) inside a UTF-8 sequence was accepted", b+1)
					}
				}
				p++
			}
			if got, ok := x.Pos(len(tt.text)); !ok || got != p {
				t.Errorf("Pos(len) = %d, %v; want %d", got, ok, p)
			}
			if _, ok := x.Byte(p + 1); ok {
				t.Errorf("Byte(%d) past the end was accepted", p+1)
			}
		})
	}
}

// TestCRLFOne checks ATLAS.ti's counting, where CR LF is one position.
func TestCRLFOne(t *testing.T) {
	text := "é un\r\ndeux\r\ntrois"
	x := newRuneIndex(text, true)
	lf := strings.ReplaceAll(text, "\r\n", "\n")
	if x.n != utf8.RuneCountInString(lf) {
		t.Fatalf("positions = %d, want %d (as in the LF text)", x.n, utf8.RuneCountInString(lf))
	}
	m := newCRLFMap(text)
	// "deux" starts at position 5 in the LF text and in ATLAS.ti's count.
	b, ok := x.Byte(5)
	if !ok || !strings.HasPrefix(text[b:], "deux") {
		t.Fatalf("Byte(5) = %d, %v: %q", b, ok, text[b:])
	}
	if got := m.lf(b); !strings.HasPrefix(lf[got:], "deux") {
		t.Errorf("lf(%d) = %d: %q", b, got, lf[got:])
	}
}
