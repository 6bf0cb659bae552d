package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
	"github.com/peermap/peermap/report"
)

// reportJSON runs report -format json in ws and decodes it.
func reportJSON(t *testing.T, ws string, args ...string) *report.Report {
	t.Helper()
	code, out, errs := peermap(t, ws, append([]string{"report", "-format", "json", "-o", "-"}, args...)...)
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	return &r
}

// configsOf returns the configurations in which unit has a profile from a
// work whose citation starts with author.
func configsOf(r *report.Report, unit, author string) []string {
	var out []string
	for _, c := range r.Configurations {
		for _, cu := range c.Units {
			if cu.Unit != unit {
				continue
			}
			for _, w := range cu.Works {
				if strings.HasPrefix(w.Text, author) {
					out = append(out, c.ID)
				}
			}
		}
	}
	return out
}

// TestDemoFindings runs the demo and checks that its Findings name what the
// demo corpus was written to contain (internal/democorpus/README.md): one
// label, different roles (the hospital peer navigators of Okafor and the
// street HIV navigators of Delaney; the clinic CHWs of Ramanathan and the
// promotoras of Márquez), and different labels, one role (pair aidant and
// certified peer specialist in the peer support work of Tremblay-Roy and
// Brightwater; promotoras, relais communautaires and lay health workers).
// It also checks what the report files are: mode 0644, relative passage
// links in HTML unless -base-url is given.
func TestDemoFindings(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out, errs := peermap(t, ws, "demo"); code != 0 {
		t.Fatalf("demo exit %d\n%s%s", code, out, errs)
	}
	r := reportJSON(t, ws)
	finding := map[string]report.Finding{}
	for _, f := range r.Findings {
		if f.Kind == report.FindingUnit {
			finding[f.Subject] = f
		}
		t.Logf("%s", f.Text)
	}
	splits := []struct{ unit, a, b string }{
		{"peer navigator", "Okafor", "Delaney"},
		{"community health worker", "Ramanathan", "Márquez"},
	}
	for _, s := range splits {
		f, ok := finding[s.unit]
		if !ok {
			t.Errorf("no finding on %s", s.unit)
			continue
		}
		ca, cb := configsOf(r, s.unit, s.a), configsOf(r, s.unit, s.b)
		if len(ca) != 1 || len(cb) != 1 || ca[0] == cb[0] {
			t.Errorf("%s: %s in configurations %v, %s in %v; want one each, different", s.unit, s.a, ca, s.b, cb)
			continue
		}
		for _, id := range []string{ca[0], cb[0]} {
			if !slices.Contains(f.Configs, id) || !strings.Contains(f.Text, "("+id+")") {
				t.Errorf("finding on %s does not name configuration %s: %s", s.unit, id, f.Text)
			}
		}
		if len(f.Quotes) == 0 {
			t.Errorf("finding on %s links to no quote", s.unit)
		}
	}
	same := []struct {
		unit, a, b string
		labels     []string // canonical labels the shared configuration goes by
	}{
		{"peer support worker", "Tremblay-Roy", "Brightwater", []string{"pair aidant", "certified peer specialist"}},
		{"community health worker", "Márquez", "Márquez", []string{"promotora", "relais communautaire", "lay health worker"}},
	}
	for _, s := range same {
		ca, cb := configsOf(r, s.unit, s.a), configsOf(r, s.unit, s.b)
		if len(ca) != 1 || len(cb) != 1 || ca[0] != cb[0] {
			t.Errorf("%s: %s in %v, %s in %v; want one configuration", s.unit, s.a, ca, s.b, cb)
			continue
		}
		for _, c := range r.Configurations {
			if c.ID != ca[0] {
				continue
			}
			var got []string
			for _, cu := range c.Units {
				if cu.Unit == s.unit {
					for _, l := range cu.Labels {
						got = append(got, l.Name)
					}
				}
			}
			for _, l := range s.labels {
				if !slices.Contains(got, l) {
					t.Errorf("configuration %s goes by %v, not %q", c.ID, got, l)
				}
			}
		}
	}

	// Report files: 0644, relative passage links, -base-url when asked.
	for _, name := range []string{"report.md", "report.html"} {
		fi, err := os.Stat(filepath.Join(ws, "reports", name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", name, fi.Mode().Perm())
		}
	}
	page, err := os.ReadFile(filepath.Join(ws, "reports", "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `href="passage/`) || strings.Contains(string(page), "localhost:8080") {
		t.Error("HTML report: passage links are not relative (passage/ID)")
	}
	code, out, _ := peermap(t, ws, "report", "-format", "html", "-o", "-", "-base-url", "http://127.0.0.1:9000")
	if code != 0 || !strings.Contains(out, `href="http://127.0.0.1:9000/passage/`) {
		t.Errorf("report -base-url: exit %d, no absolute passage links", code)
	}
}

// TestPeerQuoteAudit audits every quote of the report on the shared peer
// corpus against the store: it holds a mention of the row's label as the
// annotator found it and an evidence span of its code, begins at a
// sentence start, ends at a sentence end or is marked trimmed, and holds
// no heading (no line that is one of its document's section headings, and
// no sentence that is a line of its own without closing punctuation).
func TestPeerQuoteAudit(t *testing.T) {
	ws := peerWorkspace(t)
	r := reportJSON(t, ws)
	s, err := corpus.Open(filepath.Join(ws, "corpus.db"), corpus.StoreOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	quotes := r.Quotes()
	if len(quotes) == 0 {
		t.Fatal("no quotes")
	}
	var n struct{ quotes, label, evidence, start, end, trimmed, clean int }
	headings := map[corpus.DocID][]string{}
	for _, q := range quotes {
		n.quotes++
		p, err := s.Passage(q.Passage)
		if err != nil {
			t.Fatalf("quote %s: %v", q.ID, err)
		}
		if p.Text[q.Start:q.End] != q.Text {
			t.Errorf("quote %s is not its passage's text", q.ID)
			continue
		}
		anns, err := s.Annotations(p.Doc)
		if err != nil {
			t.Fatal(err)
		}
		label, evidence := false, false
		for _, a := range anns {
			if a.Passage != q.Passage || a.Negated {
				continue
			}
			for _, sp := range a.Spans {
				inside := sp.Start >= q.Start && sp.End <= q.End
				if a.Type == corpus.AnnLabel && inside && sp == q.LabelAt && (a.Family == q.Unit || a.Label == q.Unit) {
					label = true
				}
				if a.Type == corpus.AnnCode && a.Code == q.Code && inside && q.Evidence != nil && sp == *q.Evidence {
					evidence = true
				}
			}
		}
		if label {
			n.label++
		} else {
			t.Errorf("quote %s (%s): no mention of %q inside: %q", q.ID, q.Passage.Short(), q.Unit, q.Text)
		}
		if evidence {
			n.evidence++
		} else {
			t.Errorf("quote %s (%s): no evidence of %s inside: %q", q.ID, q.Passage.Short(), q.Code, q.Text)
		}
		starts, ends := map[int]bool{}, map[int]bool{}
		for _, sp := range text.Sentences(p.Text) {
			starts[sp.Start], ends[sp.End] = true, true
		}
		if starts[q.Start] {
			n.start++
		} else {
			t.Errorf("quote %s does not begin at a sentence start: %q", q.ID, q.Text)
		}
		switch {
		case q.Trimmed:
			n.trimmed++
		case ends[q.End]:
			n.end++
		default:
			t.Errorf("quote %s ends neither at a sentence end nor with …: %q", q.ID, q.Text)
		}
		if _, ok := headings[p.Doc]; !ok {
			d, err := s.Document(p.Doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, sec := range d.Sections {
				headings[p.Doc] = append(headings[p.Doc], text.Key(sec.Heading))
			}
		}
		if h := headingIn(q.Text, headings[p.Doc]); h != "" {
			t.Errorf("quote %s holds the heading %q: %q", q.ID, h, q.Text)
		} else {
			n.clean++
		}
	}
	t.Logf("quote audit on the peer corpus: %d quotes; label inside %d, evidence inside %d, begin at a sentence start %d, end at a sentence end %d, trimmed with … %d, without heading %d",
		n.quotes, n.label, n.evidence, n.start, n.end, n.trimmed, n.clean)
}

// headingIn returns a line of q that is a heading: one of the document's
// section headings (by text.Key), or a line of at most 120 bytes that
// another line follows and that ends without punctuation.
func headingIn(q string, headings []string) string {
	lines := strings.Split(q, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if slices.Contains(headings, text.Key(l)) {
			return l
		}
		last := l[len(l)-1]
		if i < len(lines)-1 && len(l) <= 120 && (last >= 'a' && last <= 'z' || last >= 'A' && last <= 'Z') && strings.TrimSpace(lines[i+1]) == "" {
			return l
		}
	}
	return ""
}
