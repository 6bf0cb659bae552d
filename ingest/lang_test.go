package ingest

import "testing"

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"حَبيبي habibi حَبيبي", "ar"},
		{"Les pairs aidants accompagnent les personnes vivant avec un trouble de santé mentale dans leur rétablissement, en partageant leur expérience.", "fr"},
		{"Community health workers visit families at home to talk about asthma triggers and to help them reach the clinic.", "en"},
		{"42", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.text); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDetectLangShortUnreliable(t *testing.T) {
	for _, s := range []string{"Peer navigators help.", "not a zip"} {
		if got := DetectLang(s); got != "" && got != "en" {
			t.Errorf("DetectLang(%q) = %q, want en or unknown", s, got)
		}
	}
}
