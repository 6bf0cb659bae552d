package ingest

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Repairs of GROBID output. Two defects meet in "insurance. 4 dditional
// barriers": GROBID writes a numeric citation callout as bare text
// (<ref type="bibr">4</ref>), so the number floats between sentences, and
// when a callout ends a sentence GROBID often drops the first letter or
// two of the next sentence (86 sentences in the 34 TEI files of the peer
// corpus start in lower case right after a callout: "dditional",
// "irst-line", "mmunity-Level"; elsewhere such starts are rare and not
// damaged). The letters are not in the TEI file at all. teiCallouts puts
// numeric callouts in brackets, as the JATS reader does ("insurance. [4]");
// restoreLetters puts lost letters back when the document's own words
// leave exactly one way to do it.

// teiCallouts wraps runs of numeric bibliographic callouts under n in
// square brackets ("4", "4,", "6" → "[4,6]") unless the source already
// brackets them. Author-year callouts are left as they are.
func teiCallouts(n *xnode, depth int) {
	if n == nil || depth > maxXMLDepth {
		return
	}
	for i := 0; i < len(n.kids); i++ {
		k := n.kids[i]
		if !isBibRef(k) {
			teiCallouts(k, depth+1)
			continue
		}
		// The run: callouts separated by nothing but white space or commas.
		run := []*xnode{k}
		j := i + 1
		for ; j < len(n.kids); j++ {
			c := n.kids[j]
			if isBibRef(c) {
				run = append(run, c)
				continue
			}
			if c.name == "" && strings.Trim(c.text, " \t\n,") == "" {
				continue
			}
			break
		}
		var parts []string
		for _, r := range run {
			parts = append(parts, strings.TrimSpace(r.plain()))
		}
		label := strings.TrimRight(strings.Join(parts, ""), ", ")
		before := textBefore(n.kids[:i])
		after := ""
		if j < len(n.kids) && n.kids[j].name == "" {
			after = strings.TrimLeft(n.kids[j].text, " ")
		}
		if numericCallout(label) && !strings.HasSuffix(before, "[") && !strings.HasSuffix(before, "(") &&
			!strings.HasPrefix(after, "]") && !strings.HasPrefix(after, ")") {
			run[0].kids = []*xnode{{text: "[" + label + "]"}}
			for _, r := range run[1:] {
				r.kids = nil
			}
			for m := i + 1; m < j; m++ { // commas between the callouts are now inside the brackets
				if c := n.kids[m]; c.name == "" {
					c.text = ""
				}
			}
		}
		i = j - 1
	}
}

// isBibRef reports whether n is a bibliographic callout.
func isBibRef(n *xnode) bool { return n.name == "ref" && n.attr("type") == "bibr" }

// numericCallout reports whether s is a numeric callout label: digits,
// commas, dashes and spaces, with at least one digit.
func numericCallout(s string) bool {
	if !strings.ContainsAny(s, "0123456789") {
		return false
	}
	return strings.Trim(s, "0123456789,–-— ") == ""
}

// textBefore returns the text of the last text node of kids, right-trimmed.
func textBefore(kids []*xnode) string {
	for i := len(kids) - 1; i >= 0; i-- {
		if kids[i].name == "" {
			if t := strings.TrimRight(kids[i].text, " \t\n"); t != "" {
				return t
			}
			continue
		}
		return ""
	}
	return ""
}

// A vocab counts the words (lower case, letters only) of a document.
type vocab map[string]int

// newVocab counts the words of s.
func newVocab(s string) vocab {
	v := vocab{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		v[strings.ToLower(w)]++
	}
	return v
}

// restoreLetters puts back the letters GROBID lost at the start of a
// sentence that follows a sentence ending in a callout, under roots. The
// damaged word (its letters up to the first non-letter) is repaired only
// if it occurs nowhere else in the document and exactly one word of the
// document (text() returns it all; it is read only if a sentence is
// damaged) is it with one letter in front ("dditional" → "Additional"),
// or, failing any, with two ("mmunity" → "Community"); otherwise it is
// left as it is ("ight": eight, light, right...). It returns how many
// sentences it repaired.
func restoreLetters(roots []*xnode, text func() string) int {
	var starts []*xnode // the text nodes that start a damaged sentence
	var walk func(*xnode, int)
	walk = func(x *xnode, depth int) {
		if x == nil || depth > maxXMLDepth {
			return
		}
		var prev *xnode
		for _, k := range x.kids {
			if k.name == "" {
				continue
			}
			if k.name == "s" && prev != nil && endsWithCallout(prev) {
				if t := firstText(k); t != nil {
					if r, _ := utf8.DecodeRuneInString(t.text); unicode.IsLower(r) {
						starts = append(starts, t)
					}
				}
			}
			prev = k
			walk(k, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	if len(starts) == 0 {
		return 0
	}
	v := newVocab(text())
	damaged := map[string]int{}
	for _, t := range starts {
		damaged[strings.ToLower(leadingWord(t.text))]++
	}
	fixed := 0
	for _, t := range starts {
		w := leadingWord(t.text)
		if v[strings.ToLower(w)] > damaged[strings.ToLower(w)] {
			continue // a word of its own ("he", "is", "that"): nothing lost, or nothing to tell
		}
		full := v.complete(strings.ToLower(w))
		if full == "" {
			continue
		}
		r, size := utf8.DecodeRuneInString(full)
		t.text = string(unicode.ToUpper(r)) + full[size:len(full)-len(w)] + t.text
		fixed++
	}
	return fixed
}

// complete returns the one document word that is w with one letter in
// front, or else with two; "" if there is none or more than one.
func (v vocab) complete(w string) string {
	for _, n := range []int{1, 2} {
		var found []string
		for _, p := range prefixes(n) {
			if v[p+w] > 0 {
				found = append(found, p+w)
			}
		}
		switch len(found) {
		case 1:
			return found[0]
		case 0:
			continue
		}
		return ""
	}
	return ""
}

// prefixes returns every string of n lower-case ASCII letters.
func prefixes(n int) []string {
	out := []string{""}
	for range n {
		var next []string
		for _, p := range out {
			for c := 'a'; c <= 'z'; c++ {
				next = append(next, p+string(c))
			}
		}
		out = next
	}
	return out
}

// endsWithCallout reports whether the last content of sentence s is a
// bibliographic callout.
func endsWithCallout(s *xnode) bool {
	for i := len(s.kids) - 1; i >= 0; i-- {
		k := s.kids[i]
		if k.name == "" {
			if strings.TrimSpace(k.text) == "" {
				continue
			}
			return false
		}
		return isBibRef(k)
	}
	return false
}

// firstText returns the first text node of x if x starts with text.
func firstText(x *xnode) *xnode {
	for _, k := range x.kids {
		if k.name != "" {
			return nil
		}
		if strings.TrimSpace(k.text) != "" {
			return k
		}
	}
	return nil
}

// leadingWord returns the letters at the start of s.
func leadingWord(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		return s
	}
	return s[:i]
}

// A ligature split is a word that PDF extraction cut after a ligature
// ("Eff ects", "signifi cant"): a head ending in ff, fi or fl that is
// always followed by a lower-case tail, and a tail that never occurs but
// after such a head. ("Staff members" is no split where "staff" is also
// followed by other words or ends a sentence.)
type ligatureSplits struct{ heads, tails map[string]bool }

// findLigatureSplits finds the ligature splits of a document's text.
func findLigatureSplits(s string) ligatureSplits {
	tails, after := map[string]int{}, map[string]int{}
	heads := map[string]bool{} // head → always followed by a lower-case word
	var prev string
	for _, tok := range strings.Fields(s) {
		w := strings.ToLower(leadingWord(tok))
		lower := false
		if r, _ := utf8.DecodeRuneInString(tok); unicode.IsLower(r) && w != "" {
			lower = true
			tails[w]++
		}
		if prev != "" {
			if lower {
				after[w]++
				if _, seen := heads[prev]; !seen {
					heads[prev] = true
				}
			} else {
				heads[prev] = false
			}
		}
		prev = ""
		if endsInLigature(w) && len(w) == len(tok) {
			prev = w
		} else if endsInLigature(w) {
			heads[w] = false // "staff." ends a sentence
		}
	}
	if prev != "" {
		heads[prev] = false
	}
	out := ligatureSplits{map[string]bool{}, map[string]bool{}}
	for w, n := range after {
		if n == tails[w] {
			out.tails[w] = true
		}
	}
	for h, ok := range heads {
		if ok {
			out.heads[h] = true
		}
	}
	return out
}

// mayHaveLigatureSplit reports whether s has a token ending in a ligature
// followed by a lower-case one, the only place join can change anything.
func mayHaveLigatureSplit(s string) bool {
	f := strings.Fields(s)
	for i := 1; i < len(f); i++ {
		if r, _ := utf8.DecodeRuneInString(f[i]); unicode.IsLower(r) && endsInLigature(f[i-1]) {
			return true
		}
	}
	return false
}

func endsInLigature(w string) bool {
	w = strings.ToLower(w)
	return strings.HasSuffix(w, "ff") || strings.HasSuffix(w, "fi") || strings.HasSuffix(w, "fl")
}

// join rejoins, in s, the words cut after a ligature ("Eff ects of a
// mobile phone" → "Effects of a mobile phone").
func (ls ligatureSplits) join(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 || len(ls.tails) == 0 {
		return s
	}
	out := []string{f[0]}
	for _, w := range f[1:] {
		prev := out[len(out)-1]
		if ls.heads[strings.ToLower(prev)] && ls.tails[strings.ToLower(leadingWord(w))] {
			out[len(out)-1] = prev + w
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// repairWarning describes the letters restoreLetters put back.
func repairWarning(n int) string {
	return fmt.Sprintf("restored the lost first letters of %d sentences that follow a citation callout", n)
}
