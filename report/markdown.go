package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/text"
)

// Markdown writes r as a Markdown document (GitHub-flavoured tables; each
// quote carries an HTML anchor, <a id="q1"></a>, that the Findings link to).
func Markdown(w io.Writer, r *Report) error {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	unit, units := unitTitle(r.By), unitsTitle(r.By)

	p("# %s\n\n", r.Title)
	p("Rows are %s. Codebook %s; annotator %s.", strings.ToLower(units), r.Method.Codebook, orNone(r.Method.Annotator))
	if r.Stamp != "" {
		p(" Generated %s.", r.Stamp)
	}
	p("\n\n")

	// 1. Findings.
	p("## 1. Findings\n\n%s\n\n", findingsIntro(r))
	for i, f := range r.Findings {
		p("%d. %s%s\n", i+1, f.Text, mdQuoteLinks(f.Quotes))
	}
	if len(r.Findings) > 0 {
		p("\n")
	}

	// 2. Configurations.
	p("## 2. Configurations\n\n")
	if len(r.Configurations) == 0 {
		p("No work links enough codes to a label to form a configuration.\n\n")
	} else {
		p("Each configuration with its defining codes (share of its profiles that carry the code, and of the other profiles), the codes it shares with others, and the %s it goes by.\n\n", strings.ToLower(units))
		p("| Configuration | Works | Profiles | Defining codes (in / out) | Common codes | %s |\n|---|---:|---:|---|---|---|\n", units)
		for _, c := range r.Configurations {
			var us []string
			for _, cu := range c.Units {
				us = append(us, fmt.Sprintf("%s (%d)", cu.Unit, len(cu.Works)))
			}
			p("| (%s) %s | %d | %d | %s | %s | %s |\n", c.ID, cell(c.Summary), len(c.Works), c.Profiles, cell(orDash(shareList(c.Defining, true))), cell(orDash(shareList(c.Common, false))), cell(strings.Join(us, "; ")))
		}
		p("\n### %s × configuration\n\n", unit)
		p("Works of each %s in each configuration, out of the works that name it.\n\n| %s | Works |", strings.ToLower(unit), unit)
		for _, c := range r.Configurations {
			p(" %s |", c.ID)
		}
		p("\n|---|---:|%s\n", strings.Repeat("---:|", len(r.Configurations)))
		for _, row := range r.Crosswalk {
			p("| %s | %d |", cell(row.Unit), row.Works)
			for _, n := range row.Cells {
				if n == 0 {
					p(" · |")
				} else {
					p(" %d |", n)
				}
			}
			p("\n")
		}
		p("\n")
		for _, c := range r.Configurations {
			p("### (%s) %s\n\n", c.ID, c.Summary)
			p("Works: %s.\n\n", citeAll(c.Works))
			for _, cu := range c.Units {
				p("%s%s, %s:\n\n", quoted(cu.Unit), labelsAs(cu), plural(len(cu.Works), "work"))
				if cu.Quote != nil {
					p("%s\n", mdQuote(*cu.Quote))
				} else {
					p("(no quotable passage)\n\n")
				}
			}
		}
	}

	// 3. Corpus flow.
	f := r.Flow
	p("## 3. Corpus flow\n\n")
	p("- Files found: %d%s\n", f.Files, statusList(f.Statuses))
	p("- Documents: %d (ingested %d, skipped %d)\n", f.Documents, f.Ingested, f.Skipped)
	p("- Version groups: %d, holding %d documents; ingested documents make %d works\n", f.Groups, f.Grouped, f.Works)
	p("- Passages: %d; annotated %d (about peers %d, naming a peer label %d, carrying a code %d, with a human code %d)\n\n", f.Passages, f.Annotated, f.Peer, f.Labelled, f.Coded, f.Human)
	if len(f.FileReasons) > 0 {
		p("| Files skipped or failed, by reason | Files |\n|---|---:|\n")
		for _, c := range f.FileReasons {
			p("| %s | %d |\n", cell(c.Name), c.N)
		}
		p("\n")
	}
	if len(f.SkipReasons) > 0 {
		p("| Documents skipped, by reason | Documents |\n|---|---:|\n")
		for _, c := range f.SkipReasons {
			p("| %s | %d |\n", cell(c.Name), c.N)
		}
		p("\n")
	}
	for _, t := range []struct {
		name string
		rows []Breakdown
	}{{"Kind", f.Kinds}, {"Language", f.Langs}} {
		if len(t.rows) == 0 {
			continue
		}
		p("| %s | Documents | Works | Passages |\n|---|---:|---:|---:|\n", t.name)
		for _, x := range t.rows {
			p("| %s | %d | %d | %d |\n", cell(x.Name), x.Docs, x.Works, x.Passages)
		}
		p("\n")
	}

	// 4. Matrices.
	p("## 4. %s × code\n\n", unit)
	p("Each cell: the works in which the code describes the %s, out of the works that name it, then the passages in brackets. Only %s named in at least %d works are rows; the others are listed at the end of this section.\n\n", strings.ToLower(unit), strings.ToLower(units), r.MinDocs)
	if len(r.Units) == 0 {
		p("No %s is named in %d or more works.\n\n", strings.ToLower(unit), r.MinDocs)
	}
	for _, m := range r.Matrices {
		if len(r.Units) == 0 {
			break
		}
		p("### %s", m.Dimension)
		if m.Question != "" {
			p(": %s", m.Question)
		}
		p("\n\n| %s | Works |", unit)
		for _, n := range m.Names {
			p(" %s |", cell(n))
		}
		p("\n|---|---:|%s\n", strings.Repeat("---:|", len(m.Names)))
		for _, row := range m.Rows {
			p("| %s | %d |", cell(row.Unit), row.Works)
			for _, c := range row.Cells {
				p(" %s |", cellCount(c, row.Works))
			}
			p("\n")
		}
		p("\n")
	}
	p("### %s named in fewer than %d works\n\n", units, r.MinDocs)
	if len(r.Rare) == 0 {
		p("None.\n\n")
	} else {
		p("| %s | Works | Passages | Codes (works) |\n|---|---:|---:|---|\n", unit)
		for _, u := range r.Rare {
			var cs []string
			for _, c := range u.Codes {
				cs = append(cs, fmt.Sprintf("%s (%d)", c.Code, c.Works))
			}
			p("| %s | %d | %d | %s |\n", cell(u.Name), u.Works, u.Passages, cell(orDash(strings.Join(cs, ", "))))
		}
		p("\n")
	}

	// 5. Evidence.
	p("## 5. Evidence table\n\n")
	p("One row per work; each code of the work with the number of its passages that carry it (×N when more than one) and the first place it was found. Every place and passage ID is in the JSON and CSV.\n\n")
	p("| Work | %s |", units)
	for _, d := range r.Dimensions {
		p(" %s |", d.ID)
	}
	p("\n|---|---|%s\n", strings.Repeat("---|", len(r.Dimensions)))
	for _, e := range r.Evidence {
		p("| %s | %s |", cell(e.Citation+alsoIn(e)), cell(orDash(strings.Join(e.Units, "; "))))
		for i, d := range e.Dims {
			p(" %s |", cell(orDash(evidenceCell(d, r.Dimensions[i], e.Work))))
		}
		p("\n")
	}
	p("\n")

	// 6. Method.
	writeMethodMarkdown(&b, r)
	_, err := w.Write(b.Bytes())
	if err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// findingsIntro says what the Findings rest on.
func findingsIntro(r *Report) string {
	cl := r.Method.Clustering
	if cl.Profiles == 0 {
		return fmt.Sprintf("No work links at least %d codes to a label in sentences that name it, so no configuration can be shown.", minCodes)
	}
	verb := map[bool]string{true: "falls", false: "fall"}[cl.Profiles == 1]
	s := fmt.Sprintf("%s (the codes one work links to one label, in %s) %s into %s", upper(plural(cl.Profiles, "label-in-work profile")), plural(cl.Works, "work"), verb, plural(cl.K, "configuration"))
	if cl.K > 1 {
		s += fmt.Sprintf(" (mean silhouette %s)", num(cl.Silhouette))
	}
	left := map[bool]string{true: "was", false: "were"}[cl.Thin == 1]
	s += fmt.Sprintf("; %s with fewer than %d codes %s left out. ", plural(cl.Thin, "profile"), minCodes, left)
	s += fmt.Sprintf("A %s that names several configurations hides different roles; a configuration that goes by several %s is one role under different names. Each sentence cites its works and links to its quotes (section 2); the method is in section 6.", strings.ToLower(unitTitle(r.By)), strings.ToLower(unitsTitle(r.By)))
	return s
}

// upper returns s with its first letter in upper case.
func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdQuoteLinks is " (quotes: [q1](#q1), [q2](#q2))", or "".
func mdQuoteLinks(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	var ls []string
	for _, id := range ids {
		ls = append(ls, "["+id+"](#"+id+")")
	}
	return " (quotes: " + strings.Join(ls, ", ") + ")"
}

// shareList is "trained lay person 1.00 / 0.00, …" or, without shares, the names.
func shareList(ss []Share, shares bool) string {
	var out []string
	for _, s := range ss {
		if shares {
			out = append(out, fmt.Sprintf("%s %s / %s", s.Name, num(s.In), num(s.Out)))
		} else {
			out = append(out, s.Name)
		}
	}
	return strings.Join(out, ", ")
}

// citeAll lists every work cited.
func citeAll(cs []Cite) string {
	var ts []string
	for _, c := range cs {
		ts = append(ts, c.Text)
	}
	return strings.Join(ts, "; ")
}

// labelsAs is " (as 'promotora', 'lay health worker')" when a unit went by
// other canonical labels than its own name.
func labelsAs(cu ConfigUnit) string {
	if len(cu.Labels) == 0 || len(cu.Labels) == 1 && cu.Labels[0].Name == cu.Unit {
		return ""
	}
	var as []string
	for _, l := range cu.Labels {
		as = append(as, quoted(l.Name))
	}
	return " (as " + strings.Join(as, ", ") + ")"
}

func writeMethodMarkdown(b *bytes.Buffer, r *Report) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	m := r.Method
	unit, units := unitTitle(r.By), unitsTitle(r.By)
	p("## 6. Method note\n\n")
	p("- Codebook: %s\n- Annotator: %s\n", m.Codebook, orNone(m.Annotator))
	if len(m.Annotators) > 0 {
		var as []string
		for _, a := range m.Annotators {
			as = append(as, fmt.Sprintf("%s: %d", orNone(a.Name), a.N))
		}
		p("- Annotations in the corpus, by annotator: %s\n", strings.Join(as, "; "))
	}
	p("- Rows: %s; those named in fewer than %d works are listed apart; Findings speak of those named in at least %d works\n", strings.ToLower(units), r.MinDocs, r.FindingWorks)
	p("- %s\n", linksLine(m.Links, r.MinConfidence))
	p("- %s\n", clusteringLine(m.Clustering))
	p("- %s\n", quotesLine(m.Quotes))
	if e := m.Eval; e != nil {
		p("- Annotator against gold file %s (%d passages): micro-F1 %s, macro-F1 %s, label F1 %s", e.Gold, e.N, num(e.MicroF1), num(e.MacroF1), num(e.LabelF1))
		if len(e.Kappa) > 0 {
			var ks []string
			for _, k := range sortedKeys(e.Kappa) {
				ks = append(ks, fmt.Sprintf("%s %s", k, num(e.Kappa[k])))
			}
			p("; Cohen's kappa by dimension: %s", strings.Join(ks, ", "))
		}
		p("\n")
	} else {
		p("- No gold file was given: the annotator's accuracy is not reported here (`peermap eval`).\n")
	}

	p("\n### Supporting figures: spread of each %s\n\n", strings.ToLower(unit))
	p("Normalised entropy of each %s's codes across the works that name it, per dimension (0: every work says the same; 1: works spread evenly over all codes), with the number of works coded in that dimension. Most spread first.\n\n", strings.ToLower(unit))
	if len(r.Spread) > 0 {
		p("| %s | Works | Spread |", unit)
		for _, d := range r.Spread[0].Dims {
			p(" %s |", d.Dimension)
		}
		p("\n|---|---:|---:|%s\n", strings.Repeat("---|", len(r.Spread[0].Dims)))
		for _, s := range r.Spread {
			p("| %s | %d | %s |", cell(s.Unit), s.Works, num(s.Score))
			for _, d := range s.Dims {
				p(" %s |", spreadCell(d))
			}
			p("\n")
		}
		p("\n")
	}
	for _, s := range r.Spread {
		c := s.Contrast
		if c == nil {
			continue
		}
		p("#### %s: %s\n\n", s.Unit, c.Dimension)
		p("In one work (%s):\n\n%s\n", codeList(c.ACodes), mdQuote(c.A))
		p("In another (%s):\n\n%s\n", codeList(c.BCodes), mdQuote(c.B))
	}

	p("### Supporting figures: closest %s profiles\n\n", strings.ToLower(unit))
	p("%s pairs whose code profiles are closest (Jensen–Shannon divergence, 0 = identical), with the codes they share, most shared first.\n\n", unit)
	if len(r.Pairs) == 0 {
		p("No two %s share a code.\n\n", strings.ToLower(units))
	} else {
		p("| %s | %s | JSD | Shared codes |\n|---|---|---:|---|\n", unit, unit)
		for _, x := range r.Pairs {
			p("| %s | %s | %s | %s |\n", cell(x.A), cell(x.B), num(x.JSD), cell(sharedList(x.Shared)))
		}
		p("\n")
		for _, x := range r.Pairs {
			if x.QuoteA == nil || x.QuoteB == nil {
				continue
			}
			p("#### %s and %s: %s\n\n", x.A, x.B, x.Shared[0])
			p("%s:\n\n%s\n", x.A, mdQuote(*x.QuoteA))
			p("%s:\n\n%s\n", x.B, mdQuote(*x.QuoteB))
		}
	}

	p("### Definitions\n\n")
	for _, d := range m.Definitions {
		p("- **%s**: %s\n", d.Term, d.Text)
	}
}

// linksLine says which code annotations became links.
func linksLine(l Links, minConf float64) string {
	return fmt.Sprintf("Links counted: %d (label and evidence in one sentence %d, label in the sentence before %d, human codes %d, work-wide in records %d); not counted: %d machine codes below confidence %s, %d replaced by human codes, %d linked at passage or document scope outside records, %d whose label is not in the sentence the link names",
		l.Holding, l.Sentence, l.Anaphora, l.Human, l.Record, l.Confidence, num(minConf), l.Overridden, l.Scope, l.Geometry)
}

// clusteringLine says how the configurations were found.
func clusteringLine(c Clustering) string {
	s := fmt.Sprintf("Configurations: %d label-in-work profiles from %d works (%d distinct code sets; %d with fewer than %d codes left out) cut into %d", c.Profiles, c.Works, c.Distinct, c.Thin, minCodes, c.K)
	if len(c.Tried) > 0 {
		var ts []string
		for _, k := range c.Tried {
			ts = append(ts, fmt.Sprintf("%d: %s", k.K, num(k.Silhouette)))
		}
		s += "; mean silhouette by number of configurations: " + strings.Join(ts, ", ")
	}
	return s
}

// quotesLine is the quote audit.
func quotesLine(a QuoteAudit) string {
	return fmt.Sprintf("Quotes: %d, each holding its label (or the antecedent sentence) and its code's evidence and no heading; %d whole sentences, %d cut after label and evidence (…); %d across an anaphora", a.Quotes, a.Sentences, a.Trimmed, a.Anaphora)
}

// unitsTitle is the name of the rows, plural.
func unitsTitle(by string) string {
	if by == ByLabel {
		return "Labels"
	}
	return "Label families"
}

// unitTitle is the name of a row.
func unitTitle(by string) string {
	if by == ByLabel {
		return "Label"
	}
	return "Label family"
}

func statusList(cs []Count) string {
	if len(cs) == 0 {
		return ""
	}
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %d", c.Name, c.N))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// cellCount is "3 of 7 (5)", or "·" for an empty cell.
func cellCount(c Cell, of int) string {
	if c.Works == 0 && c.Passages == 0 {
		return "·"
	}
	return fmt.Sprintf("%d of %d (%d)", c.Works, of, c.Passages)
}

func spreadCell(d DimSpread) string {
	if !d.Defined {
		return fmt.Sprintf("– (%d coded)", d.Coded)
	}
	return fmt.Sprintf("%s (%d coded)", num(d.Entropy), d.Coded)
}

// num formats a measure with two decimals.
func num(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func codeList(cs []string) string { return strings.Join(cs, ", ") }

// mdQuote is a block quote with its anchor and citation.
func mdQuote(q Quote) string {
	return "> <a id=\"" + q.ID + "\"></a>“" + quoteText(q) + "”\n> — " + q.Citation + " (" + q.Label + ", " + q.Code + ")\n"
}

// quoteText is the quote on one line, with "…" when it was trimmed.
func quoteText(q Quote) string {
	t := strings.Join(strings.Fields(q.Text), " ")
	if q.Trimmed {
		t += " …"
	}
	return t
}

// evidenceCell is "navigation ×3 (p. 3); education (§ Methods)".
func evidenceCell(d EvidenceDim, dim Dimension, work corpus.DocID) string {
	var parts []string
	for _, c := range d.Codes {
		parts = append(parts, codeEvidence(c, dim, work))
	}
	return strings.Join(parts, "; ")
}

// codeEvidence is "navigation ×3 (p. 3)": the code, how many passages of
// the work carry it when more than one, and the first place.
func codeEvidence(c CodeEvidence, dim Dimension, work corpus.DocID) string {
	s := codeName(dim, c.Code)
	if c.Passages > 1 {
		s += fmt.Sprintf(" ×%d", c.Passages)
	}
	if len(c.Where) > 0 {
		l := c.Where[0]
		place := text.Place(l.Page, l.Section, l.Passage.N())
		if l.Passage.Doc() != work {
			place += ", other version"
		}
		s += " (" + place + ")"
	}
	return s
}

// codeName is the short name of code in dim.
func codeName(dim Dimension, code string) string {
	for i, c := range dim.Codes {
		if c == code {
			return dim.Names[i]
		}
	}
	return code
}

// cell makes s safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// maxShared is how many shared codes a pair lists in Markdown and HTML
// before "+N more" (JSON and CSV list them all).
const maxShared = 6

func sharedList(cs []string) string {
	if len(cs) <= maxShared {
		return strings.Join(cs, ", ")
	}
	return strings.Join(cs[:maxShared], ", ") + fmt.Sprintf(", +%d more", len(cs)-maxShared)
}

// alsoIn names the other documents of a work with several versions.
func alsoIn(e Evidence) string {
	if len(e.Sources) < 2 {
		return ""
	}
	return " (also: " + strings.Join(e.Sources[1:], "; ") + ")"
}
