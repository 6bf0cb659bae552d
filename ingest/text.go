package ingest

import (
	"context"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/text"
)

// extractText reads plain text or Markdown. YAML (---) or TOML (+++) front
// matter gives title, date, author(s), language and DOI and is removed.
// For Markdown, headings (ATX "#" and setext underlines) open sections and
// inline markup is stripped ([text](url) → text, **x** → x, `x` → x, HTML
// tags and comments, template shortcodes), so Text is the stripped form
// and offsets into it stay consistent. Plain text keeps its lines.
func extractText(ctx context.Context, doc *corpus.Document, data []byte) {
	s := decodeText(doc, data)
	if ctx.Err() != nil {
		return
	}
	s = text.Normalize(s)
	if ctx.Err() != nil {
		return
	}
	s, prose := frontMatter(doc, s)
	if doc.Format != FormatMarkdown && isStory(s) {
		story(doc, s)
		return
	}
	textHeader(doc, s)
	var b builder
	for _, f := range prose {
		b.heading(f.key)
		for _, p := range blocks(f.value) {
			b.raw(p)
		}
	}
	if doc.Format == FormatMarkdown {
		doc.Extractor = "markdown"
		markdown(ctx, &b, s)
	} else {
		doc.Extractor = "text"
		for i, p := range blocks(s) {
			if i%1024 == 0 && ctx.Err() != nil {
				return
			}
			b.raw(p)
		}
	}
	doc.Text, doc.Sections = b.done()
	if doc.Title == "" {
		if doc.Format == FormatMarkdown {
			doc.Title = mdTitle(s)
		} else {
			doc.Title = firstLineTitle(s)
		}
	}
}

// firstLineTitle returns the first line of a plain text if it reads as a
// title (see titleLine), "" otherwise.
func firstLineTitle(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Trim(strings.TrimSpace(line), " .:"); line != "" {
			if titleLine(line) {
				return collapse(line)
			}
			return ""
		}
	}
	return ""
}

// mdTitle returns the title a Markdown document gives itself without
// front matter: a level-1 heading that opens the document and is the only
// level-1 heading (a document with several has sections, not a title,
// like Pandoc's rule for promoting a lone top heading). A glossary entry,
// an instruction or a heading of a lower level is not a title.
func mdTitle(s string) string {
	lines := strings.Split(mdComment().ReplaceAllString(s, ""), "\n")
	title, top, first := "", 0, true
	inFence := false
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = !inFence
			first = false
			continue
		}
		if inFence || t == "" {
			continue
		}
		h, level := "", 0
		if n := strings.IndexFunc(t, func(r rune) bool { return r != '#' }); n > 0 {
			if text, ok := atxHeading(t); ok {
				h, level = text, n
			}
		} else if i+1 < len(lines) && strings.Trim(strings.TrimSpace(lines[i+1]), "=") == "" && len(strings.TrimSpace(lines[i+1])) >= 2 {
			h, level = t, 1 // setext: text underlined with ===
			i++
		}
		if level == 1 {
			top++
			if first {
				title = stripInline(h)
			}
		}
		first = false
	}
	if top != 1 || title == "" || !titleLine(title) {
		return ""
	}
	return collapse(title)
}

// decodeText returns data as a string: UTF-8 (a BOM is dropped), UTF-16
// with a BOM, or else a detected legacy charset (windows-1252 by default).
func decodeText(doc *corpus.Document, data []byte) string {
	switch {
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		enc := "utf-16le"
		if data[0] == 0xFE {
			enc = "utf-16be"
		}
		return decodeLabel(enc, data)
	case utf8.Valid(data):
		return strings.TrimPrefix(string(data), "\uFEFF")
	}
	name := detectCharset(data)
	doc.Warnings = append(doc.Warnings, "not UTF-8; decoded as "+name)
	return decodeLabel(name, data)
}

// A field is a front-matter entry holding prose.
type field struct{ key, value string }

// minProseWords is how many words make a front-matter value prose that
// belongs in the text (application forms keep their answers there).
const minProseWords = 20

// frontMatter parses and removes YAML or TOML front matter, filling doc's
// metadata. It returns the body and, in order, the YAML entries whose
// values are prose (at least minProseWords words), which the caller puts
// in the text under their keys.
func frontMatter(doc *corpus.Document, s string) (string, []field) {
	var delim string
	switch {
	case strings.HasPrefix(s, "---\n"):
		delim = "---"
	case strings.HasPrefix(s, "+++\n"):
		delim = "+++"
	default:
		return s, nil
	}
	rest := s[4:]
	end := -1
	for off := 0; off <= len(rest); {
		line, _, _ := strings.Cut(rest[off:], "\n")
		if t := strings.TrimRight(line, " \t"); t == delim || delim == "---" && t == "..." {
			end = off
			break
		}
		nl := strings.IndexByte(rest[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return s, nil
	}
	head := rest[:end]
	body := rest[end:]
	if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		body = body[nl+1:]
	} else {
		body = ""
	}
	var fields map[string]any
	var prose []field
	if delim == "---" {
		var err error
		fields, prose, err = yamlFront(head)
		if err != nil {
			doc.Warnings = append(doc.Warnings, "front matter: "+firstLine(err.Error()))
		}
	} else {
		fields = tomlFields(head)
	}
	lower := map[string]any{}
	for k, v := range fields {
		lower[strings.ToLower(strings.TrimSpace(k))] = v
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if v := scalar(lower[k]); v != "" {
				return v
			}
		}
		return ""
	}
	doc.Title = str("title", "titre", "name")
	doc.Year = parseYear(str("date", "year", "year_submitted", "published", "publishdate", "created"))
	doc.Lang = str("lang", "language", "langue", "locale")
	doc.DOI = str("doi")
	doc.Venue = str("publisher", "journal", "site", "source_name")
	for _, k := range []string{"authors", "author", "auteur", "auteurs", "creator"} {
		if list := cleanAuthors(listOf(lower[k])); len(list) > 0 {
			doc.Authors = list
			break
		}
	}
	if len(doc.Authors) == 0 {
		// A group author: the organisation that wrote an application,
		// a position description or a programme page.
		if org := str("organization_name", "organisation_name", "organization", "organisation", "org_name"); org != "" {
			doc.Authors = []string{org}
		}
	}
	if kw := listOf(lower["keywords"]); len(kw) > 0 {
		doc.Keywords = kw
	} else if tags := listOf(lower["tags"]); len(tags) > 0 {
		doc.Keywords = tags
	}
	return body, prose
}

// metaKeys are front-matter keys read as metadata, never as prose.
var metaKeys = map[string]bool{
	"title": true, "titre": true, "name": true, "date": true, "author": true, "authors": true, "auteur": true,
	"lang": true, "language": true, "keywords": true, "tags": true, "doi": true, "layout": true, "source": true,
}

// yamlFront reads YAML front matter entry by entry, so that one bad value
// does not lose the others. It returns the top-level values and, in
// document order, the entries whose value (a string or a list of strings)
// has at least minProseWords words and is not metadata.
func yamlFront(head string) (map[string]any, []field, error) {
	fields := map[string]any{}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(head), &n); err != nil {
		return fields, nil, err
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return fields, nil, nil
	}
	m := n.Content[0]
	var out []field
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		var x any
		if err := v.Decode(&x); err == nil {
			fields[k.Value] = x
		}
		if metaKeys[strings.ToLower(k.Value)] {
			continue
		}
		var parts []string
		switch v.Kind {
		case yaml.ScalarNode:
			parts = []string{v.Value}
		case yaml.SequenceNode:
			for _, c := range v.Content {
				if c.Kind == yaml.ScalarNode {
					parts = append(parts, c.Value)
				}
			}
		}
		val := strings.Join(parts, "\n\n")
		if len(strings.Fields(val)) >= minProseWords && !strings.HasPrefix(strings.TrimSpace(val), "http") {
			out = append(out, field{collapse(strings.TrimRight(k.Value, ":?")), text.Normalize(val)})
		}
	}
	return fields, out, nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// scalar returns a front-matter value as text if it is a scalar.
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(t)
	case []any, map[string]any:
		return ""
	default:
		return strings.TrimSpace(strings.Trim(yamlString(t), "\n"))
	}
}

func yamlString(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// listOf returns a front-matter value as a list of names: a list of
// scalars (or of objects with a name), or one scalar split on " and " / ";".
func listOf(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			if m, ok := x.(map[string]any); ok {
				x = m["name"]
			}
			if s := scalar(x); s != "" {
				out = append(out, s)
			}
		}
	default:
		if s := scalar(t); s != "" {
			for _, a := range strings.FieldsFunc(strings.ReplaceAll(s, " and ", ";"), func(r rune) bool { return r == ';' }) {
				if a = strings.TrimSpace(a); a != "" {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// tomlFields reads the top-level key = value lines of TOML front matter:
// strings, numbers, dates, and arrays of strings.
func tomlFields(head string) map[string]any {
	out := map[string]any{}
	for _, line := range strings.Split(head, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			break // a table: top-level keys are done
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if strings.HasPrefix(v, "[") {
			var list []any
			for _, it := range strings.Split(strings.Trim(v, "[]"), ",") {
				if it = strings.Trim(strings.TrimSpace(it), `"'`); it != "" {
					list = append(list, it)
				}
			}
			out[k] = list
			continue
		}
		out[k] = strings.Trim(v, `"'`)
	}
	return out
}

// blocks splits text at blank lines into trimmed blocks.
func blocks(s string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = cur[:0]
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	flush()
	return out
}

var (
	mdImage     = text.Regexp(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink      = text.Regexp(`\[([^\]]*)\]\([^)]*\)`)
	mdRefLink   = text.Regexp(`\[([^\]]+)\]\[[^\]]*\]`)
	mdRefDef    = text.Regexp(`^\s{0,3}\[[^\]]+\]:\s+\S+`)
	mdStrong    = text.Regexp(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdEm        = text.Regexp(`(^|[\s(\[])[*_](\S(?:[^*_]*?\S)?)[*_]([\s.,;:!?)\]]|$)`)
	mdCode      = text.Regexp("`+([^`]*)`+")
	mdShortcode = text.Regexp(`\{\{[<%].*?[%>]\}\}`)
	mdTag       = text.Regexp(`</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>`)
	mdComment   = text.Regexp(`(?s)<!--.*?-->`)
	mdAutoLink  = text.Regexp(`<(https?://[^>\s]+)>`)
	mdStrike    = text.Regexp(`~~(.+?)~~`)
)

// stripInline removes Markdown inline markup from one line.
func stripInline(s string) string {
	s = mdShortcode().ReplaceAllString(s, "")
	s = mdImage().ReplaceAllString(s, "$1")
	s = mdLink().ReplaceAllString(s, "$1")
	s = mdRefLink().ReplaceAllString(s, "$1")
	s = mdAutoLink().ReplaceAllString(s, "$1")
	s = mdTag().ReplaceAllString(s, "")
	s = mdCode().ReplaceAllString(s, "$1")
	s = mdStrong().ReplaceAllString(s, "$2")
	s = mdEm().ReplaceAllString(s, "$1$2$3")
	s = mdStrike().ReplaceAllString(s, "$1")
	return s
}

// markdown writes a Markdown document to b, block by block.
func markdown(ctx context.Context, b *builder, s string) {
	s = mdComment().ReplaceAllString(s, "")
	lines := strings.Split(s, "\n")
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			b.raw(strings.Join(cur, "\n"))
			cur = cur[:0]
		}
	}
	inFence := false
	for i := 0; i < len(lines); i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return
		}
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			flush()
			inFence = !inFence
			continue
		}
		if inFence {
			cur = append(cur, line)
			continue
		}
		if trimmed == "" {
			flush()
			continue
		}
		if h, ok := atxHeading(trimmed); ok {
			flush()
			b.heading(stripInline(h))
			continue
		}
		if len(cur) == 0 && i+1 < len(lines) && isSetext(lines[i+1]) && !isRule(trimmed) {
			flush()
			b.heading(stripInline(trimmed))
			i++
			continue
		}
		if isRule(trimmed) || mdRefDef().MatchString(line) || isTableRule(trimmed) {
			flush()
			continue
		}
		line = strings.TrimLeft(line, " \t")
		for strings.HasPrefix(line, ">") {
			line = strings.TrimLeft(line[1:], " ")
		}
		line = stripInline(line)
		if strings.TrimSpace(line) != "" {
			cur = append(cur, line)
		}
	}
	flush()
}

// atxHeading returns the text of an ATX heading line ("## Title ##").
func atxHeading(line string) (string, bool) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(line) && line[n] != ' ' && line[n] != '\t' {
		return "", false
	}
	h := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[n:]), "#"))
	return h, h != ""
}

// isSetext reports whether line underlines a heading (=== or ---).
func isSetext(line string) bool {
	t := strings.TrimSpace(line)
	if len(t) < 2 {
		return false
	}
	return strings.Trim(t, "=") == "" || strings.Trim(t, "-") == ""
}

// isRule reports whether line is a thematic break.
func isRule(t string) bool {
	c := strings.ReplaceAll(t, " ", "")
	return len(c) >= 3 && (strings.Trim(c, "-") == "" || strings.Trim(c, "*") == "" || strings.Trim(c, "_") == "")
}

// isTableRule reports whether line is a Markdown table's header rule.
func isTableRule(t string) bool {
	return strings.HasPrefix(t, "|") && strings.Trim(t, "|-: ") == ""
}

// textHeaderRE matches the "Title: …", "Author: …", "Organization: …" and
// "Date: …" lines that plain-text reports and Markdown pages (MultiMarkdown
// and Pelican metadata, bold "**Author**:" lines, a metadata block in a
// leading HTML comment) carry near their top, in English and French.
var textHeaderRE = text.Regexp(`(?im)^[ \t]*(?:\*\*|__)?(titles?|titre|authors?|auteure?s?|by|par|organi[sz]ation|organisme|year|date|année|annee|published|publié|publie)[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(.+?)[ \t]*$`)

// placeholderRE matches a template's blank: "[Date]", "<author>", "TBD".
var placeholderRE = text.Regexp(`(?i)^(\[.*\]|<.*>|\{.*\}|tbd|tba|n/?a|-+)$`)

// textHeader fills Title, Authors and Year from header lines within the
// first 20 lines of a plain-text or Markdown document, when the metadata
// is not known yet; an organisation line gives a group author when no
// person is named. Template placeholders are ignored. The lines stay in
// the text.
func textHeader(doc *corpus.Document, s string) {
	lines := strings.SplitN(s, "\n", 21)
	head := strings.Join(lines[:min(len(lines), 20)], "\n")
	hadAuthors := len(doc.Authors) > 0
	var org string
	for _, m := range textHeaderRE().FindAllStringSubmatch(head, -1) {
		key := strings.ToLower(m[1])
		val := strings.TrimSpace(strings.Trim(strings.TrimSpace(m[2]), "*_`"))
		if val == "" || placeholderRE().MatchString(val) {
			continue
		}
		switch key {
		case "title", "titles", "titre":
			if doc.Title == "" && !junkTitle(val) {
				doc.Title = val
			}
		case "author", "authors", "auteur", "auteure", "auteurs", "auteures", "by", "par":
			if !hadAuthors {
				for _, a := range strings.FieldsFunc(val, func(r rune) bool { return r == ';' }) {
					if a = strings.TrimSpace(a); a != "" {
						doc.Authors = append(doc.Authors, a)
					}
				}
			}
		case "organization", "organisation", "organisme":
			if org == "" {
				org = val
			}
		default:
			if doc.Year == 0 {
				doc.Year = parseYear(val)
			}
		}
	}
	if len(doc.Authors) == 0 && org != "" {
		doc.Authors = []string{org}
	}
}
