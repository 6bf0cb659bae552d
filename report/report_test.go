package report_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/golden"
	"github.com/peermap/peermap/report"
)

var formats = []struct {
	ext   string
	write func(io.Writer, *report.Report) error
}{
	{"md", report.Markdown},
	{"html", report.HTML},
	{"csv", report.CSV},
	{"json", report.JSON},
}

func build(t testing.TB, in report.Input, opts report.Options) *report.Report {
	t.Helper()
	r, err := report.Build(context.Background(), in, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return r
}

func render(t testing.TB, r *report.Report, write func(io.Writer, *report.Report) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, r); err != nil {
		t.Fatalf("write: %v", err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	in, _ := fixtureInput(t)
	cases := []struct {
		name string
		opts report.Options
		exts []string
	}{
		{"fixture", report.Options{FindingWorks: 2}, []string{"md", "html", "csv", "json"}},
		{"fixture-label", report.Options{By: report.ByLabel, MinDocs: 1, Top: 2}, []string{"md"}},
	}
	for _, tc := range cases {
		r := build(t, in, tc.opts)
		for _, f := range formats {
			if !slices.Contains(tc.exts, f.ext) {
				continue
			}
			t.Run(tc.name+"."+f.ext, func(t *testing.T) {
				golden.Check(t, "testdata/"+tc.name+".golden."+f.ext, render(t, r, f.write))
			})
		}
	}
}

// TestDeterministic builds twice, the second time from the input in
// reverse order, and wants the same bytes in every format.
func TestDeterministic(t *testing.T) {
	in, _ := fixtureInput(t)
	rev := in
	rev.Docs = slices.Clone(in.Docs)
	slices.Reverse(rev.Docs)
	rev.Views = slices.Clone(in.Views)
	slices.Reverse(rev.Views)
	rev.Sources = slices.Clone(in.Sources)
	slices.Reverse(rev.Sources)
	for _, by := range []string{report.ByFamily, report.ByLabel} {
		a := build(t, in, report.Options{By: by})
		b := build(t, rev, report.Options{By: by})
		for _, f := range formats {
			if x, y := render(t, a, f.write), render(t, b, f.write); !bytes.Equal(x, y) {
				t.Errorf("%s by %s: two builds differ (%d vs %d bytes)", f.ext, by, len(x), len(y))
			}
		}
	}
}

// checkQuotes fails unless every quote is its passage's text[Start:End]
// and carries a citation naming the passage.
func checkQuotes(t *testing.T, r *report.Report, byID map[corpus.PassageID]corpus.Passage) {
	t.Helper()
	for _, q := range r.Quotes() {
		p, ok := byID[q.Passage]
		if !ok {
			t.Errorf("quote cites unknown passage %s", q.Passage)
			continue
		}
		if q.Start < 0 || q.End > len(p.Text) || q.Start > q.End || p.Text[q.Start:q.End] != q.Text {
			t.Errorf("quote %s [%d:%d] = %q, not the passage's text", q.Passage, q.Start, q.End, q.Text)
		}
		if q.Doc != p.Doc {
			t.Errorf("quote %s: doc %s, want %s", q.Passage, q.Doc, p.Doc)
		}
		if strings.TrimSpace(q.Text) == "" {
			t.Errorf("quote %s is empty", q.Passage)
		}
		if !strings.Contains(q.Citation, q.Passage.Short()) {
			t.Errorf("citation %q lacks passage ID %s", q.Citation, q.Passage.Short())
		}
	}
}

func TestQuotes(t *testing.T) {
	in, byID := fixtureInput(t)
	for _, opts := range []report.Options{{}, {By: report.ByLabel, MinDocs: 1}} {
		r := build(t, in, opts)
		if len(r.Quotes()) == 0 {
			t.Fatalf("by %q: no quotes", opts.By)
		}
		checkQuotes(t, r, byID)
	}
}

func TestFixtureFindings(t *testing.T) {
	in, _ := fixtureInput(t)
	r := build(t, in, report.Options{})

	f := r.Flow
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"files", f.Files, 12},
		{"documents", f.Documents, 10},
		{"ingested", f.Ingested, 9},
		{"skipped", f.Skipped, 1},
		{"groups", f.Groups, 1},
		{"grouped", f.Grouped, 2},
		{"works", f.Works, 8},
		{"passages", f.Passages, 14},
		{"labelled", f.Labelled, 12},
		{"human", f.Human, 2},
	} {
		if c.got != c.want {
			t.Errorf("Flow.%s = %d, want %d", c.name, c.got, c.want)
		}
	}

	units := map[string]report.Unit{}
	for _, u := range r.Units {
		units[u.Name] = u
	}
	// The preprint and the journal version are one work.
	if u := units["peer navigator"]; u.Works != 2 || u.Passages != 4 {
		t.Errorf("peer navigator = %d works, %d passages; want 2, 4", u.Works, u.Passages)
	}
	if len(r.Rare) != 1 || r.Rare[0].Name != "patient partner" {
		t.Errorf("Rare = %+v, want patient partner alone", r.Rare)
	}

	spread := map[string]report.Spread{}
	for _, s := range r.Spread {
		spread[s.Unit] = s
	}
	// peer support worker and community health worker hide different roles;
	// mediator does not.
	for _, u := range []string{"peer support worker", "community health worker"} {
		s := spread[u]
		if s.Contrast == nil {
			t.Errorf("%s: no contrast", u)
			continue
		}
		if s.Contrast.A.Doc == s.Contrast.B.Doc {
			t.Errorf("%s: contrast quotes one document", u)
		}
		if slices.Equal(s.Contrast.ACodes, s.Contrast.BCodes) {
			t.Errorf("%s: contrast codes are the same: %v", u, s.Contrast.ACodes)
		}
		if s.Score <= spread["mediator"].Score {
			t.Errorf("%s spread %.3f <= mediator's %.3f", u, s.Score, spread["mediator"].Score)
		}
	}
	// mediator and peer navigator describe the same role: their pair is the
	// closest one.
	if len(r.Pairs) == 0 {
		t.Fatal("no pairs")
	}
	p := r.Pairs[0]
	if got := []string{p.A, p.B}; !slices.Contains(got, "mediator") || !slices.Contains(got, "peer navigator") {
		t.Errorf("closest pair = %v (%.3f), want mediator and peer navigator", got, p.JSD)
	}
	if p.Shared[0] != "role.navigation" {
		t.Errorf("closest pair shares first %s, want role.navigation", p.Shared[0])
	}
	if p.QuoteA == nil || p.QuoteB == nil || p.QuoteA.Doc == p.QuoteB.Doc {
		t.Errorf("closest pair quotes = %v, %v; want two documents", p.QuoteA, p.QuoteB)
	}
	// Evidence: one row per work.
	if len(r.Evidence) != 8 {
		t.Errorf("evidence rows = %d, want 8", len(r.Evidence))
	}
}

func TestNegatedMentionIgnored(t *testing.T) {
	in, _ := fixtureInput(t)
	r := build(t, in, report.Options{})
	for _, e := range r.Evidence {
		if strings.HasPrefix(e.Citation, "Smith") && slices.Contains(e.Units, "peer navigator") {
			t.Errorf("Smith names peer navigator only negated, but evidence lists it: %v", e.Units)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	in, _ := fixtureInput(t)
	if _, err := report.Build(context.Background(), in, report.Options{By: "colour"}); err == nil {
		t.Error("Build with By colour: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := report.Build(ctx, in, report.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Build with cancelled ctx = %v, want context.Canceled", err)
	}
}

func TestEmpty(t *testing.T) {
	r := build(t, report.Input{}, report.Options{})
	for _, f := range formats {
		if b := render(t, r, f.write); len(b) == 0 {
			t.Errorf("%s of an empty corpus is empty", f.ext)
		}
	}
}

func TestStamp(t *testing.T) {
	in, _ := fixtureInput(t)
	r := build(t, in, report.Options{})
	if r.Stamp != "" {
		t.Errorf("Stamp = %q without Options.Stamp", r.Stamp)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("EST", -5*3600))
	r = build(t, in, report.Options{Stamp: at})
	for _, f := range formats {
		if b := render(t, r, f.write); !bytes.Contains(b, []byte("2026-03-04T10:06:07Z")) {
			t.Errorf("%s with Options.Stamp lacks the UTC time stamp", f.ext)
		}
	}
}
