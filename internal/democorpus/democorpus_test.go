package democorpus_test

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"gopkg.in/yaml.v3"

	"github.com/peermap/peermap/internal/democorpus"
)

// codebookPath is CODEBOOK.md of the shared workspace, seen from this
// package's directory.
const codebookPath = "../../../shared/CODEBOOK.md"

const notice = "Example document written for the peermap demo; programmes and people are invented."

// families maps each label family of the codebook to the variants the demo
// documents use on purpose. It keeps the coverage test meaningful when
// CODEBOOK.md is not there; TestCodebookFamilies checks the real table.
var families = map[string][]string{
	"peer support worker":     {"peer support worker", "certified peer specialist", "pair aidant", "pair-aidant", "intervenant pair"},
	"peer navigator":          {"peer navigator", "navigator", "intervenant pivot"},
	"community health worker": {"community health worker", "promotora", "lay health worker", "relais communautaire", "agent de santé communautaire"},
	"outreach worker":         {"peer outreach worker", "travailleur de rue", "intervenant de proximité"},
	"peer educator":           {"peer educator", "peer leader"},
	"recovery coach":          {"recovery coach", "recovery support specialist", "coach de rétablissement"},
	"mediator":                {"médiateur de santé pair", "médiatrice en santé", "health mediator", "cultural mediator"},
	"patient partner":         {"patient partner", "patient partenaire", "patient advisor", "expert patient"},
	"mutual aid group":        {"mutual aid group", "groupe d'entraide", "self-help group", "peer support group"},
}

// text returns the text of a demo file, lower-cased with white space
// collapsed, so multi-word labels broken across lines still match. PDFs
// are read with ledongthuc/pdf; other files are used as they are.
func text(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(democorpus.FS(), name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	s := string(b)
	if path.Ext(name) == ".pdf" {
		r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("pdf.NewReader(%s): %v", name, err)
		}
		var sb strings.Builder
		for i := 1; i <= r.NumPage(); i++ {
			p, err := r.Page(i).GetPlainText(nil)
			if err != nil {
				t.Fatalf("%s page %d: GetPlainText: %v", name, i, err)
			}
			sb.WriteString(p)
			sb.WriteByte('\n')
		}
		s = sb.String()
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

var tag = regexp.MustCompile(`<[^>]*>`)

func TestFiles(t *testing.T) {
	names := democorpus.Names()
	if len(names) < 14 {
		t.Fatalf("Names() has %d files, want >= 14: %q", len(names), names)
	}
	entries, err := fs.ReadDir(democorpus.FS(), ".")
	if err != nil {
		t.Fatalf("ReadDir(FS()): %v", err)
	}
	if len(entries) != len(names) {
		t.Errorf("FS() has %d entries, Names() %d", len(entries), len(names))
	}
	langs := map[string]int{}
	formats := map[string]int{}
	for _, n := range names {
		lang, _, _ := strings.Cut(n, "-")
		langs[lang]++
		formats[path.Ext(n)]++
	}
	if langs["fr"] < 5 || langs["en"] < 5 || langs["fr"]+langs["en"] != len(names) {
		t.Errorf("languages by name prefix = %v, want >= 5 fr, >= 5 en, nothing else", langs)
	}
	for ext, min := range map[string]int{".html": 4, ".md": 4, ".txt": 2, ".pdf": 2} {
		if formats[ext] < min {
			t.Errorf("%d %s files, want >= %d (formats %v)", formats[ext], ext, min, formats)
		}
	}
	if len(formats) != 4 {
		t.Errorf("formats = %v, want exactly html, md, txt, pdf", formats)
	}
}

// TestDocuments checks each file: the notice, its length, and its author,
// year and language in the metadata its format carries.
func TestDocuments(t *testing.T) {
	for _, name := range democorpus.Names() {
		t.Run(name, func(t *testing.T) {
			s := text(t, name)
			if !strings.Contains(s, strings.ToLower(notice)) {
				t.Errorf("%s lacks the notice %q", name, notice)
			}
			words := len(strings.Fields(tag.ReplaceAllString(s, " ")))
			if words < 250 || words > 650 {
				t.Errorf("%s has %d words, want 250 to 650", name, words)
			}
			b, err := fs.ReadFile(democorpus.FS(), name)
			if err != nil {
				t.Fatal(err)
			}
			lang, _, _ := strings.Cut(name, "-")
			var author, year string
			switch path.Ext(name) {
			case ".md":
				author, year = frontMatter(t, name, b, lang)
			case ".html":
				author, year = htmlMeta(t, name, string(b), lang)
			case ".txt":
				author, year = textHeader(string(b))
			case ".pdf":
				author, year = pdfInfo(t, name, b)
			}
			if author == "" {
				t.Errorf("%s: no author", name)
			}
			if y, err := strconv.Atoi(year); err != nil || y < 2012 || y > 2024 {
				t.Errorf("%s: year %q, want 2012 to 2024", name, year)
			}
		})
	}
}

func frontMatter(t *testing.T, name string, b []byte, lang string) (author, year string) {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte("---\n"))
	head, _, ok2 := bytes.Cut(rest, []byte("\n---\n"))
	if !ok || !ok2 {
		t.Fatalf("%s: no YAML front matter", name)
	}
	var fm struct {
		Title, Author, Date, Lang string
	}
	if err := yaml.Unmarshal(head, &fm); err != nil {
		t.Fatalf("%s: front matter: %v", name, err)
	}
	if fm.Title == "" || fm.Lang != lang {
		t.Errorf("%s: front matter title %q lang %q, want a title and lang %q", name, fm.Title, fm.Lang, lang)
	}
	return fm.Author, firstN(fm.Date, 4)
}

func htmlMeta(t *testing.T, name, s, lang string) (author, year string) {
	t.Helper()
	if !regexp.MustCompile(`<html lang="` + lang + `(-[A-Z]+)?"`).MatchString(s) {
		t.Errorf(`%s: no <html lang="%s">`, name, lang)
	}
	if !regexp.MustCompile(`<title>[^<]+</title>`).MatchString(s) {
		t.Errorf("%s: no <title>", name)
	}
	meta := func(names ...string) string {
		for _, n := range names {
			if m := regexp.MustCompile(`<meta name="` + regexp.QuoteMeta(n) + `" content="([^"]+)"`).FindStringSubmatch(s); m != nil {
				return m[1]
			}
		}
		return ""
	}
	author = meta("citation_author", "DC.creator", "author")
	year = firstN(meta("citation_publication_date", "DC.date"), 4)
	if year == "" { // the byline, e.g. "Eleanor Pryce, 2012"
		year = regexp.MustCompile(`\b(20\d\d)\b`).FindString(s)
	}
	return author, year
}

func textHeader(s string) (author, year string) {
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "Author", "Auteur":
			author = strings.TrimSpace(v)
		case "Year", "Année":
			year = strings.TrimSpace(v)
		}
	}
	return author, year
}

func pdfInfo(t *testing.T, name string, b []byte) (author, year string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) {
		t.Errorf("%s does not start with %%PDF-1.4", name)
	}
	if len(b) > 16<<10 {
		t.Errorf("%s is %d bytes, want a small file (<= 16 KiB)", name, len(b))
	}
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("pdf.NewReader(%s): %v", name, err)
	}
	info := r.Trailer().Key("Info")
	if info.Key("Title").Text() == "" {
		t.Errorf("%s: no /Title", name)
	}
	return info.Key("Author").Text(), firstN(strings.TrimPrefix(info.Key("CreationDate").Text(), "D:"), 4)
}

func firstN(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// TestLabels checks that every label family appears in some file, using
// the variants the documents mean to show.
func TestLabels(t *testing.T) {
	all := map[string]string{}
	for _, n := range democorpus.Names() {
		all[n] = text(t, n)
	}
	for fam, variants := range families {
		for _, v := range variants {
			found := false
			for _, s := range all {
				if strings.Contains(s, v) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("family %q: variant %q is in no file", fam, v)
			}
		}
	}
}

// TestContrasts checks the pairs the demo is built to show: one label,
// different roles; one role, different labels; a negated mention; a hard
// negative with no label at all.
func TestContrasts(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string
	}{
		{"navigator in hospital, integrated", "en-hospital-peer-navigators.html", []string{"peer navigator", "integrated in the care team", "hospital", "distress screening"}},
		{"navigator on the street, lived experience", "en-street-hiv-peer-navigators.md", []string{"peer navigator", "living with hiv", "street", "bridge"}},
		{"CHW doing clinical tasks", "en-rural-community-health-workers.txt", []string{"community health workers", "primary care", "adherence", "screen"}},
		{"CHW organising", "en-chw-community-organising.html", []string{"community health workers", "advocacy", "community organising", "community insiders"}},
		{"promotoras visit homes", "en-promotoras-home-visits.md", []string{"promotoras", "home visit", "health education"}},
		{"relais visit homes", "fr-relais-communautaires-visites.html", []string{"relais communautaires", "visites à domicile", "éducation à la santé"}},
		{"pair aidant shares lived experience", "fr-pair-aidance-sante-mentale.md", []string{"pair aidant", "savoir expérientiel", "soutien émotionnel"}},
		{"CPS shares lived experience", "en-certified-peer-specialists.html", []string{"certified peer specialist", "lived experience", "emotional and social support"}},
		{"negated mention", "en-peer-educators-youth.txt", []string{"no peer navigator was involved"}},
		{"hard negative", "en-data-platform-peer-review.md", []string{"peer review", "peer-to-peer", "peer-reviewed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := text(t, tt.file)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("%s does not contain %q", tt.file, w)
				}
			}
		})
	}
	// The hard negative names no peer label; "support group" there means
	// an IT helpdesk team, a hard negative of the codebook.
	s := strings.ReplaceAll(text(t, "en-data-platform-peer-review.md"), "support group", "")
	all := maps.Clone(families)
	if b, err := os.ReadFile(codebookPath); err == nil {
		for fam, vs := range codebookFamilies(string(b)) {
			all[fam] = append(all[fam], vs...)
		}
	}
	for fam, variants := range all {
		for _, v := range variants {
			if strings.Contains(s, v) {
				t.Errorf("hard negative contains %q (family %q)", v, fam)
			}
		}
	}
}

// TestCodebookFamilies checks against the label table of CODEBOOK.md that
// every family has at least one variant in some file.
func TestCodebookFamilies(t *testing.T) {
	b, err := os.ReadFile(codebookPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the shared workspace is not next to the repository", codebookPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	fams := codebookFamilies(string(b))
	if len(fams) < 9 {
		t.Fatalf("parsed %d label families from %s, want >= 9: %v", len(fams), codebookPath, fams)
	}
	var all strings.Builder
	for _, n := range democorpus.Names() {
		all.WriteString(text(t, n))
		all.WriteString("\n")
	}
	corpus := all.String()
	for fam, variants := range fams {
		found := false
		for _, v := range variants {
			if v != "" && strings.Contains(corpus, v) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("label family %q: none of %q is in the demo corpus", fam, variants)
		}
	}
}

var paren = regexp.MustCompile(`\s*\([^)]*\)`)

// codebookFamilies parses the "Peer labels" table of CODEBOOK.md into
// family → lower-case variants, without bracketed abbreviations or notes.
func codebookFamilies(md string) map[string][]string {
	_, table, ok := strings.Cut(md, "## Peer labels")
	if !ok {
		return nil
	}
	fams := map[string][]string{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(line, "|") {
			continue
		}
		fam := strings.TrimSpace(cells[1])
		if fam == "family" || strings.HasPrefix(fam, "---") {
			continue
		}
		for _, cell := range cells[2:4] {
			for _, v := range strings.Split(cell, ",") {
				v = strings.ToLower(strings.TrimSpace(paren.ReplaceAllString(v, "")))
				if v != "" {
					fams[fam] = append(fams[fam], v)
				}
			}
		}
	}
	return fams
}

func BenchmarkNames(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range democorpus.Names() {
			if _, err := fs.ReadFile(democorpus.FS(), n); err != nil {
				b.Fatal(err)
			}
		}
	}
}
