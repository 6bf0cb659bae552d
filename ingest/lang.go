package ingest

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/abadojack/whatlanggo"
	"golang.org/x/text/language"
)

// Language detection reads up to langChunks chunks of about langChunk
// bytes of prose (whatlanggo is unreliable on long inputs) and votes,
// stopping at three reliable votes for one language.
const (
	langChunk  = 600
	langChunks = 9
	// langMinUnreliable is the length under which a detection that
	// whatlanggo itself calls unreliable is not counted.
	langMinUnreliable = 200
)

// detectLang returns the ISO 639-1 code of text's language. A reliable
// detection wins over declared (a page's lang attribute is often a
// template default); otherwise declared, normalised, is kept; "" if
// neither gives an answer.
func detectLang(text, declared string) string {
	declared = langCode(declared)
	votes := map[string]int{}
	total := 0
	for _, c := range langSamples(text) {
		g := detectWhatlang(c)
		code := wlCode(g.lang)
		if code == "" {
			continue
		}
		w := 1
		switch {
		case g.reliable():
			w = 3
		case len(c) < langMinUnreliable:
			continue // a guess on a few words is noise ("Peer navigators help." is not Kurdish)
		}
		votes[code] += w
		total += w
		if votes[code] >= 9 {
			break // three reliable votes: enough
		}
	}
	best, bestN := "", 0
	for _, code := range slices.Sorted(maps.Keys(votes)) {
		if votes[code] > bestN {
			best, bestN = code, votes[code]
		}
	}
	switch {
	case best == "" && declared == "":
		return scriptLang(text)
	case best == "":
		return declared
	case declared == "" || best == declared:
		return best
	case bestN*2 > total && total >= 3:
		return best // a clear majority overrides the declaration
	}
	return declared
}

// wlCodes are the ISO 639-1 codes of whatlanggo's languages.
var wlCodes = sync.OnceValue(func() map[whatlanggo.Lang]string {
	m := make(map[whatlanggo.Lang]string, len(whatlanggo.Langs))
	for l := range whatlanggo.Langs {
		m[l] = langCode(whatlanggo.LangToStringShort(l))
	}
	return m
})

// wlCode is langCode(whatlanggo.LangToStringShort(l)), "" for none.
func wlCode(l whatlanggo.Lang) string { return wlCodes()[l] }

// DetectLang returns the ISO 639-1 code of text's language, "" if unknown.
// It is what File uses; callers use it for documents made elsewhere (the
// records of reference exports).
func DetectLang(text string) string { return detectLang(text, "") }

// scriptLangs maps scripts used by essentially one language to it.
var scriptLangs = map[string]string{"Arabic": "ar", "Hebrew": "he", "Greek": "el", "Hangul": "ko", "Hiragana": "ja", "Katakana": "ja", "Thai": "th"}

// scriptLang names the language of a text too short for detection by its
// writing system, when that system is used by essentially one language.
func scriptLang(text string) string {
	counts := map[string]int{}
	letters := 0
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		for name, code := range scriptLangs {
			if unicode.Is(unicode.Scripts[name], r) {
				counts[code]++
			}
		}
	}
	for _, code := range slices.Sorted(maps.Keys(counts)) {
		if counts[code]*2 > letters {
			return code
		}
	}
	return ""
}

// langSamples cuts text into chunks of whole paragraphs for detection,
// preferring paragraphs of prose (over 100 bytes) and skipping the first
// chunk's headings.
func langSamples(text string) []string {
	var out []string
	var cur strings.Builder
	for p := range strings.SplitSeq(text, "\n\n") {
		p = strings.TrimSpace(p)
		if len(p) < 100 {
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(p)
		if cur.Len() >= langChunk {
			out = append(out, strings.ToValidUTF8(cur.String()[:min(cur.Len(), 5*langChunk/3)], ""))
			cur.Reset()
			if len(out) == langChunks {
				return out
			}
		}
	}
	if cur.Len() > 0 {
		out = append(out, strings.ToValidUTF8(cur.String()[:min(cur.Len(), 5*langChunk/3)], ""))
	}
	if len(out) == 0 && strings.TrimSpace(text) != "" {
		out = append(out, strings.ToValidUTF8(text[:min(len(text), 5*langChunk/3)], ""))
	}
	return out
}

// langCode turns a language tag or code ("en-US", "fra", "pt_BR") into an
// ISO 639-1 code, "" if it names no language.
func langCode(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", "-"))
	if s == "" {
		return ""
	}
	tag, err := language.Parse(s)
	if err != nil {
		if b, err := language.ParseBase(strings.ToLower(s)); err == nil {
			return b.String()
		}
		return ""
	}
	b, conf := tag.Base()
	if conf == language.No || b.String() == "und" {
		return ""
	}
	return b.String()
}
