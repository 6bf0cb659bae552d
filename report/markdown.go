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

// maxWhere is how many places a code's evidence lists in Markdown and HTML
// before "+N more".
const maxWhere = 3

// Markdown writes r as a Markdown document (GitHub-flavoured tables).
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

	// 1. Corpus flow.
	f := r.Flow
	p("## 1. Corpus flow\n\n")
	p("- Files found: %d%s\n", f.Files, statusList(f.Statuses))
	p("- Documents: %d (ingested %d, skipped %d)\n", f.Documents, f.Ingested, f.Skipped)
	p("- Version groups: %d, holding %d documents; ingested documents make %d works\n", f.Groups, f.Grouped, f.Works)
	p("- Passages: %d; annotated %d (naming a peer label %d, carrying a code %d, with a human code %d)\n\n", f.Passages, f.Annotated, f.Labelled, f.Coded, f.Human)
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

	// 2. Matrices.
	p("## 2. %s × code\n\n", unit)
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

	// 3. Spread.
	p("## 3. %s that hide different roles\n\n", units)
	p("Normalised entropy of each %s's codes across the works that name it, per dimension (0: every work says the same; 1: works spread evenly over all codes), with the number of works coded in that dimension. Dissimilarity and the definitions are in the method note. Most spread first.\n\n", strings.ToLower(unit))
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
		p("### %s: %s\n\n", s.Unit, c.Dimension)
		p("In one work (%s):\n\n%s\n", codeList(c.ACodes), mdQuote(c.A))
		p("In another (%s):\n\n%s\n", codeList(c.BCodes), mdQuote(c.B))
	}

	// 4. Pairs.
	p("## 4. Different names, same role\n\n")
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
			p("### %s and %s: %s\n\n", x.A, x.B, x.Shared[0])
			p("%s:\n\n%s\n", x.A, mdQuote(*x.QuoteA))
			p("%s:\n\n%s\n", x.B, mdQuote(*x.QuoteB))
		}
	}

	// 5. Evidence.
	p("## 5. Evidence table\n\n")
	p("One row per work; each code with where it was found (page, section or paragraph; passage IDs in the JSON and CSV).\n\n")
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

func writeMethodMarkdown(b *bytes.Buffer, r *Report) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	m := r.Method
	p("## 6. Method note\n\n")
	p("- Codebook: %s\n- Annotator: %s\n", m.Codebook, orNone(m.Annotator))
	if len(m.Annotators) > 0 {
		var as []string
		for _, a := range m.Annotators {
			as = append(as, fmt.Sprintf("%s: %d", orNone(a.Name), a.N))
		}
		p("- Annotations in the corpus, by annotator: %s\n", strings.Join(as, "; "))
	}
	p("- Rows: %s; those named in fewer than %d works are listed apart\n", strings.ToLower(unitsTitle(r.By)), r.MinDocs)
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
	p("\nDefinitions:\n\n")
	for _, d := range m.Definitions {
		p("- **%s**: %s\n", d.Term, d.Text)
	}
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

// mdQuote is a block quote with its citation.
func mdQuote(q Quote) string {
	text := strings.Join(strings.Fields(q.Text), " ")
	return "> “" + text + "”\n> — " + q.Citation + "\n"
}

// evidenceCell is "navigation: p. 3, p. 5; education: § Methods".
func evidenceCell(d EvidenceDim, dim Dimension, work corpus.DocID) string {
	var parts []string
	for _, c := range d.Codes {
		parts = append(parts, codeName(dim, c.Code)+": "+whereList(c.Where, work))
	}
	return strings.Join(parts, "; ")
}

// whereList is "p. 3, p. 5, +2 more"; places in another version of the
// work than its preferred document are marked so.
func whereList(ls []Loc, work corpus.DocID) string {
	var out []string
	for i, l := range ls {
		if i == maxWhere {
			out = append(out, fmt.Sprintf("+%d more", len(ls)-maxWhere))
			break
		}
		s := text.Place(l.Page, l.Section, l.Passage.N())
		if l.Passage.Doc() != work {
			s += " (other version)"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
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
