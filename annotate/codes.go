package annotate

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/peermap/peermap/corpus"
)

// A HumanCode is what one coder said of one passage, as read from or
// written to a spreadsheet (CSV) or JSONL. A passage is named by its ID or,
// when the coder worked on bare text, by its text.
type HumanCode struct {
	Passage corpus.PassageID `json:"passage,omitempty"`
	Text    string           `json:"text,omitempty"`
	Codes   []string         `json:"codes"`
	Labels  []string         `json:"labels,omitempty"` // label families or canonical labels
	Coder   string           `json:"coder,omitempty"`
	// Suggested holds the machine's codes, written on coding sheets as a
	// hint for the coder; it is never read back as a code.
	Suggested []string `json:"suggested,omitempty"`
	Row       int      `json:"-"` // 1-based line of the source file, for errors
}

// Formats of hand-coding files.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// ReadCodes reads hand codes in format "csv" or "jsonl".
//
// CSV has a header row; column names are case-insensitive: "passage" (or
// "id"), "text", "codes", "labels", "coder". Codes and labels are separated
// by ";" or "|". JSONL has one HumanCode object a line. Each row needs a
// passage or a text, and every code must have the form dimension.category;
// errors name the row. Check the codes against a codebook with
// Codebook.CheckCodes.
func ReadCodes(r io.Reader, format string) ([]HumanCode, error) {
	var (
		out []HumanCode
		err error
	)
	switch strings.ToLower(format) {
	case FormatCSV:
		out, err = readCodesCSV(r)
	case FormatJSONL, "json":
		out, err = readCodesJSONL(r)
	default:
		return nil, fmt.Errorf("read codes: unknown format %q (want csv or jsonl)", format)
	}
	if err != nil {
		return nil, err
	}
	for _, h := range out {
		if h.Passage == "" && strings.TrimSpace(h.Text) == "" {
			return nil, fmt.Errorf("read codes: row %d: no passage and no text", h.Row)
		}
		for _, c := range h.Codes {
			if d, cat, ok := strings.Cut(c, "."); !ok || d == "" || cat == "" {
				return nil, fmt.Errorf("read codes: row %d: code %q is not dimension.category", h.Row, c)
			}
		}
	}
	return out, nil
}

func readCodesCSV(r io.Reader) ([]HumanCode, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read codes: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "id" || h == "passage_id" {
			h = "passage"
		}
		col[h] = i
	}
	if _, ok := col["codes"]; !ok {
		return nil, fmt.Errorf("read codes: header has no codes column")
	}
	_, hasP := col["passage"]
	_, hasT := col["text"]
	if !hasP && !hasT {
		return nil, fmt.Errorf("read codes: header has neither a passage nor a text column")
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []HumanCode
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read codes: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if strings.Join(rec, "") == "" {
			continue
		}
		out = append(out, HumanCode{
			Passage: corpus.PassageID(get(rec, "passage")),
			Text:    uncell(get(rec, "text")),
			Codes:   splitList(get(rec, "codes")),
			Labels:  splitList(get(rec, "labels")),
			Coder:   uncell(get(rec, "coder")),
			Row:     line,
		})
	}
	return out, nil
}

// cell returns s safe for a spreadsheet cell: a value that a spreadsheet
// would run as a formula (it starts with =, +, -, @, a tab or a carriage
// return) gets a leading apostrophe, which spreadsheets show as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// uncell undoes cell.
func uncell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func readCodesJSONL(r io.Reader) ([]HumanCode, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []HumanCode
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var h HumanCode
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			return nil, fmt.Errorf("read codes: row %d: %w", n, err)
		}
		h.Row = n
		h.Codes = cleanList(h.Codes)
		h.Labels = cleanList(h.Labels)
		out = append(out, h)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read codes: %w", err)
	}
	return out, nil
}

func splitList(s string) []string {
	return cleanList(strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' }))
}

func cleanList(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// WriteCodes writes hand codes in format "csv" (header passage, text,
// codes, labels, coder; lists joined with ";") or "jsonl".
func WriteCodes(w io.Writer, format string, codes []HumanCode) error {
	switch strings.ToLower(format) {
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"passage", "text", "codes", "labels", "coder", "suggested"}); err != nil {
			return fmt.Errorf("write codes: %w", err)
		}
		for _, h := range codes {
			rec := []string{string(h.Passage), cell(h.Text), strings.Join(h.Codes, ";"), strings.Join(h.Labels, ";"), cell(h.Coder), strings.Join(h.Suggested, ";")}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write codes: %w", err)
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write codes: %w", err)
		}
		return nil
	case FormatJSONL, "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, h := range codes {
			if h.Codes == nil {
				h.Codes = []string{}
			}
			if err := enc.Encode(h); err != nil {
				return fmt.Errorf("write codes: %w", err)
			}
		}
		return nil
	}
	return fmt.Errorf("write codes: unknown format %q (want csv or jsonl)", format)
}

// CheckCodes reports every code and label of codes that cb does not know,
// each error naming its row.
func (cb *Codebook) CheckCodes(codes []HumanCode) error {
	var errs []error
	for _, h := range codes {
		for _, c := range h.Codes {
			if _, ok := cb.Code(c); !ok {
				errs = append(errs, fmt.Errorf("row %d: unknown code %q", h.Row, c))
			}
		}
		for _, l := range h.Labels {
			name := strings.TrimPrefix(l, "neg:")
			if strings.HasPrefix(l, "other:") {
				continue
			}
			if _, ok := cb.Family(name); !ok {
				errs = append(errs, fmt.Errorf("row %d: unknown label %q", h.Row, l))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("check codes against codebook %s: %w", cb.version, errors.Join(errs...))
	}
	return nil
}

// Annotations returns h as human annotations of passage h.Passage (the
// caller resolves a text to a passage first): one AnnCode per code and one
// AnnLabel per label, annotator "human:<coder>", sorted.
func (h HumanCode) Annotations(cb *Codebook) []corpus.Annotation {
	coder := h.Coder
	if coder == "" {
		coder = "unknown"
	}
	var out []corpus.Annotation
	for _, c := range set(h.Codes) {
		out = append(out, corpus.Annotation{Passage: h.Passage, Type: corpus.AnnCode, Code: c,
			Annotator: "human:" + coder, Codebook: cb.Version(), Confidence: 1})
	}
	for _, l := range set(h.Labels) {
		if strings.HasPrefix(l, "other:") {
			continue
		}
		name, neg := strings.CutPrefix(l, "neg:")
		fam, _ := cb.Family(name)
		out = append(out, corpus.Annotation{Passage: h.Passage, Type: corpus.AnnLabel, Label: name, Family: fam,
			Negated: neg, Annotator: "human:" + coder, Codebook: cb.Version(), Confidence: 1})
	}
	corpus.SortAnnotations(out)
	return out
}

// HumanCodes turns human annotations (as corpus.Store.HumanCodes returns
// them) back into one HumanCode per passage and coder, for export.
func HumanCodes(anns []corpus.Annotation) []HumanCode {
	type key struct {
		p     corpus.PassageID
		coder string
	}
	idx := map[key]int{}
	var out []HumanCode
	for _, a := range anns {
		coder := strings.TrimPrefix(a.Annotator, "human:")
		k := key{a.Passage, coder}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, HumanCode{Passage: a.Passage, Coder: coder})
		}
		switch a.Type {
		case corpus.AnnCode:
			out[i].Codes = append(out[i].Codes, a.Code)
		case corpus.AnnLabel:
			l := a.Family
			if l == "" {
				l = a.Label
			}
			if a.Negated {
				l = "neg:" + l
			}
			out[i].Labels = append(out[i].Labels, l)
		}
	}
	for i := range out {
		out[i].Codes = set(out[i].Codes)
		out[i].Labels = set(out[i].Labels)
	}
	slices.SortFunc(out, func(a, b HumanCode) int {
		if a.Passage != b.Passage {
			return compareStr(string(a.Passage), string(b.Passage))
		}
		return compareStr(a.Coder, b.Coder)
	})
	return out
}
