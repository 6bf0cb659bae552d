package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/peermap/peermap/corpus"
)

// CSV writes every table of r as one tidy ("long") CSV file: one
// observation a line, with the header
//
//	table,dimension,row,column,measure,value
//
// so that R (tidyr::pivot_wider), pandas (DataFrame.pivot) or an Excel
// pivot table can rebuild any table by filtering on table and measure.
// Empty fields mean "not applicable". The tables, in file order:
//
//	finding   row: the sentence's number (1, 2, …); column: its kind (unit,
//	          configuration); measure: text, subject, configurations,
//	          units ("; "), works (work IDs, spaces), quotes (quote IDs, spaces)
//	configuration
//	          row: configuration ID; measure: summary, profiles, works (work
//	          IDs, spaces), units ("; "); and, with dimension and column =
//	          code, measure in and out (shares) for its defining and common
//	          codes, value "defining" or "common" for measure kind
//	crosswalk row: unit; column: configuration ID; measure: works
//	flow      row: files, documents, groups, grouped, works, passages, annotated,
//	          peer, labelled, coded, human, file_status, file_reason, skip_reason,
//	          kind, lang; column: the status, reason, kind or language;
//	          measure: count (or docs, works, passages for kind and lang)
//	unit      row: unit; measure: works, passages, coded, family
//	rare      as unit, for units named in fewer than MinDocs works, plus
//	          dimension, column = code, measure works and passages
//	matrix    dimension; row: unit; column: code; measure: works or
//	          passages (every cell, zeros included); the denominator is
//	          the unit table's works
//	spread    dimension (empty for the score); row: unit; measure:
//	          score, coded, codes, entropy, dissimilarity (the last two only
//	          where defined)
//	pair      row: unit A; column: unit B; measure: jsd, shared (codes
//	          separated by spaces)
//	quote     dimension: the contrast's dimension (empty otherwise); row:
//	          "config:ID|UNIT", "spread:UNIT" or "pair:A|B"; column: quote
//	          ID; measure: passage, text, trimmed, start, end, label,
//	          label_start, label_end, code, evidence_start, evidence_end,
//	          scope, doc, citation, codes
//	evidence  row: work (document ID); dimension and column: code; measure:
//	          passages (passage IDs separated by spaces) and count; and,
//	          without dimension, citation, kind, lang, versions, units ("; ")
//	method    row: codebook, annotator, by, min_docs, finding_works,
//	          min_confidence, annotations, links, clustering, quotes, eval;
//	          column: the annotator, the number of clusters tried or the
//	          dimension of a kappa; measure: the name of the value
func CSV(w io.Writer, r *Report) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	put := func(table, dim, row, col, measure, value string) {
		cw.Write([]string{table, dim, row, col, measure, value}) // errors surface in cw.Error
	}
	itoa := strconv.Itoa
	fl := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	put("table", "dimension", "row", "column", "measure", "value")
	ids := func(cs []Cite) string {
		var out []string
		for _, c := range cs {
			out = append(out, string(c.Work))
		}
		return strings.Join(out, " ")
	}

	for i, f := range r.Findings {
		row := itoa(i + 1)
		put("finding", "", row, f.Kind, "text", f.Text)
		put("finding", "", row, f.Kind, "subject", f.Subject)
		put("finding", "", row, f.Kind, "configurations", strings.Join(f.Configs, " "))
		put("finding", "", row, f.Kind, "units", strings.Join(f.Units, "; "))
		put("finding", "", row, f.Kind, "works", ids(f.Works))
		put("finding", "", row, f.Kind, "quotes", strings.Join(f.Quotes, " "))
	}
	for _, c := range r.Configurations {
		put("configuration", "", c.ID, "", "summary", c.Summary)
		put("configuration", "", c.ID, "", "profiles", itoa(c.Profiles))
		put("configuration", "", c.ID, "", "works", ids(c.Works))
		var us []string
		for _, cu := range c.Units {
			us = append(us, cu.Unit)
		}
		put("configuration", "", c.ID, "", "units", strings.Join(us, "; "))
		for _, t := range []struct {
			kind string
			ss   []Share
		}{{"defining", c.Defining}, {"common", c.Common}} {
			for _, sh := range t.ss {
				put("configuration", corpus.Dimension(sh.Code), c.ID, sh.Code, "kind", t.kind)
				put("configuration", corpus.Dimension(sh.Code), c.ID, sh.Code, "in", fl(sh.In))
				put("configuration", corpus.Dimension(sh.Code), c.ID, sh.Code, "out", fl(sh.Out))
			}
		}
	}
	for _, row := range r.Crosswalk {
		for j, n := range row.Cells {
			put("crosswalk", "", row.Unit, r.Configurations[j].ID, "works", itoa(n))
		}
	}

	f := r.Flow
	for _, x := range []struct {
		row string
		n   int
	}{{"files", f.Files}, {"documents", f.Documents}, {"ingested", f.Ingested}, {"skipped", f.Skipped},
		{"groups", f.Groups}, {"grouped", f.Grouped}, {"works", f.Works}, {"passages", f.Passages},
		{"annotated", f.Annotated}, {"peer", f.Peer}, {"labelled", f.Labelled}, {"coded", f.Coded}, {"human", f.Human}} {
		put("flow", "", x.row, "", "count", itoa(x.n))
	}
	for _, c := range f.Statuses {
		put("flow", "", "file_status", c.Name, "count", itoa(c.N))
	}
	for _, c := range f.FileReasons {
		put("flow", "", "file_reason", c.Name, "count", itoa(c.N))
	}
	for _, c := range f.SkipReasons {
		put("flow", "", "skip_reason", c.Name, "count", itoa(c.N))
	}
	for _, t := range []struct {
		row  string
		rows []Breakdown
	}{{"kind", f.Kinds}, {"lang", f.Langs}} {
		for _, x := range t.rows {
			put("flow", "", t.row, x.Name, "docs", itoa(x.Docs))
			put("flow", "", t.row, x.Name, "works", itoa(x.Works))
			put("flow", "", t.row, x.Name, "passages", itoa(x.Passages))
		}
	}

	units := func(table string, us []Unit) {
		for _, u := range us {
			put(table, "", u.Name, "", "works", itoa(u.Works))
			put(table, "", u.Name, "", "passages", itoa(u.Passages))
			put(table, "", u.Name, "", "coded", itoa(u.Coded))
			if u.Family != "" {
				put(table, "", u.Name, "", "family", u.Family)
			}
			for _, c := range u.Codes {
				put(table, corpus.Dimension(c.Code), u.Name, c.Code, "works", itoa(c.Works))
				put(table, corpus.Dimension(c.Code), u.Name, c.Code, "passages", itoa(c.Passages))
			}
		}
	}
	units("unit", r.Units)
	units("rare", r.Rare)

	for _, m := range r.Matrices {
		for _, row := range m.Rows {
			for _, c := range row.Cells {
				put("matrix", m.Dimension, row.Unit, c.Code, "works", itoa(c.Works))
				put("matrix", m.Dimension, row.Unit, c.Code, "passages", itoa(c.Passages))
			}
		}
	}

	for _, s := range r.Spread {
		put("spread", "", s.Unit, "", "score", fl(s.Score))
		for _, d := range s.Dims {
			put("spread", d.Dimension, s.Unit, "", "coded", itoa(d.Coded))
			put("spread", d.Dimension, s.Unit, "", "codes", itoa(d.Codes))
			if d.Defined {
				put("spread", d.Dimension, s.Unit, "", "entropy", fl(d.Entropy))
				put("spread", d.Dimension, s.Unit, "", "dissimilarity", fl(d.Dissimilarity))
			}
		}
	}
	for _, p := range r.Pairs {
		put("pair", "", p.A, p.B, "jsd", fl(p.JSD))
		put("pair", "", p.A, p.B, "shared", strings.Join(p.Shared, " "))
	}

	quote := func(dim, row string, q Quote, codes []string) {
		col := q.ID
		put("quote", dim, row, col, "passage", string(q.Passage))
		put("quote", dim, row, col, "text", q.Text)
		put("quote", dim, row, col, "trimmed", strconv.FormatBool(q.Trimmed))
		put("quote", dim, row, col, "start", itoa(q.Start))
		put("quote", dim, row, col, "end", itoa(q.End))
		put("quote", dim, row, col, "label", q.Label)
		put("quote", dim, row, col, "label_start", itoa(q.LabelAt.Start))
		put("quote", dim, row, col, "label_end", itoa(q.LabelAt.End))
		put("quote", dim, row, col, "code", q.Code)
		if q.Evidence != nil {
			put("quote", dim, row, col, "evidence_start", itoa(q.Evidence.Start))
			put("quote", dim, row, col, "evidence_end", itoa(q.Evidence.End))
		}
		put("quote", dim, row, col, "scope", q.Scope)
		put("quote", dim, row, col, "doc", string(q.Doc))
		put("quote", dim, row, col, "citation", q.Citation)
		if codes != nil {
			put("quote", dim, row, col, "codes", strings.Join(codes, " "))
		}
	}
	for _, c := range r.Configurations {
		for _, cu := range c.Units {
			if cu.Quote != nil {
				quote("", "config:"+c.ID+"|"+cu.Unit, *cu.Quote, nil)
			}
		}
	}
	for _, s := range r.Spread {
		if c := s.Contrast; c != nil {
			quote(c.Dimension, "spread:"+s.Unit, c.A, c.ACodes)
			quote(c.Dimension, "spread:"+s.Unit, c.B, c.BCodes)
		}
	}
	for _, p := range r.Pairs {
		row := "pair:" + p.A + "|" + p.B
		if p.QuoteA != nil {
			quote("", row, *p.QuoteA, p.Shared[:1])
		}
		if p.QuoteB != nil {
			quote("", row, *p.QuoteB, p.Shared[:1])
		}
	}

	for _, e := range r.Evidence {
		w := string(e.Work)
		put("evidence", "", w, "", "citation", e.Citation)
		put("evidence", "", w, "", "kind", string(e.Kind))
		put("evidence", "", w, "", "lang", e.Lang)
		put("evidence", "", w, "", "versions", itoa(e.Versions))
		put("evidence", "", w, "", "sources", strings.Join(e.Sources, "; "))
		put("evidence", "", w, "", "units", strings.Join(e.Units, "; "))
		for _, d := range e.Dims {
			for _, c := range d.Codes {
				ids := make([]string, len(c.Where))
				for i, l := range c.Where {
					ids[i] = string(l.Passage)
				}
				put("evidence", d.Dimension, w, c.Code, "passages", strings.Join(ids, " "))
				put("evidence", d.Dimension, w, c.Code, "count", itoa(c.Passages))
			}
		}
	}

	m := r.Method
	put("method", "", "codebook", "", "version", m.Codebook)
	put("method", "", "annotator", "", "name", m.Annotator)
	put("method", "", "by", "", "unit", r.By)
	put("method", "", "min_docs", "", "count", itoa(r.MinDocs))
	put("method", "", "finding_works", "", "count", itoa(r.FindingWorks))
	put("method", "", "min_confidence", "", "confidence", fl(r.MinConfidence))
	l := m.Links
	for _, x := range []struct {
		name string
		n    int
	}{{"holding", l.Holding}, {"sentence", l.Sentence}, {"anaphora", l.Anaphora}, {"human", l.Human}, {"record", l.Record},
		{"dropped_confidence", l.Confidence}, {"dropped_overridden", l.Overridden}, {"dropped_scope", l.Scope}, {"dropped_geometry", l.Geometry}} {
		put("method", "", "links", "", x.name, itoa(x.n))
	}
	cl := m.Clustering
	put("method", "", "clustering", "", "profiles", itoa(cl.Profiles))
	put("method", "", "clustering", "", "distinct", itoa(cl.Distinct))
	put("method", "", "clustering", "", "thin", itoa(cl.Thin))
	put("method", "", "clustering", "", "k", itoa(cl.K))
	put("method", "", "clustering", "", "silhouette", fl(cl.Silhouette))
	for _, k := range cl.Tried {
		put("method", "", "clustering", itoa(k.K), "silhouette", fl(k.Silhouette))
	}
	qa := m.Quotes
	put("method", "", "quotes", "", "quotes", itoa(qa.Quotes))
	put("method", "", "quotes", "", "sentences", itoa(qa.Sentences))
	put("method", "", "quotes", "", "trimmed", itoa(qa.Trimmed))
	put("method", "", "quotes", "", "anaphora", itoa(qa.Anaphora))
	if r.Stamp != "" {
		put("method", "", "stamp", "", "time", r.Stamp)
	}
	for _, a := range m.Annotators {
		put("method", "", "annotations", a.Name, "count", itoa(a.N))
	}
	if e := m.Eval; e != nil {
		put("method", "", "eval", "", "gold", e.Gold)
		put("method", "", "eval", "", "n", itoa(e.N))
		put("method", "", "eval", "", "micro_f1", fl(e.MicroF1))
		put("method", "", "eval", "", "macro_f1", fl(e.MacroF1))
		put("method", "", "eval", "", "label_f1", fl(e.LabelF1))
		for _, k := range sortedKeys(e.Kappa) {
			put("method", k, "eval", "", "kappa", fl(e.Kappa[k]))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

// JSON writes r as indented JSON (two spaces), with the same field names
// as the Report type's json tags.
func JSON(w io.Writer, r *Report) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode json report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
