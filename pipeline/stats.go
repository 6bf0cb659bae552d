package pipeline

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
)

// Stats summarises the corpus.
type Stats struct {
	Inputs      map[string]int `json:"inputs"`       // by status
	SkipReasons map[string]int `json:"skip_reasons"` // skipped inputs and records, by reason
	Documents   int            `json:"documents"`    // ingested documents (not skipped)
	Kinds       map[string]int `json:"kinds"`        //
	Langs       map[string]int `json:"langs"`        //
	Formats     map[string]int `json:"formats"`      //
	Passages    int            `json:"passages"`     //
	Annotated   int            `json:"annotated"`    // documents annotated by the active annotator (codebook and model)
	Groups      int            `json:"groups"`       // version groups
	GroupedDocs int            `json:"grouped_docs"` // documents in a group
	Works       int            `json:"works"`        // documents counted once per group
	HumanCodes  int            `json:"human_codes"`  //
	Codebook    string         `json:"codebook"`     //
	Annotator   string         `json:"annotator"`    // "model@<codebook>+<hash>" or "rules@<codebook>"
	Runs        int            `json:"runs"`         //
	LastRun     *corpus.Run    `json:"last_run,omitempty"`
}

// An ExtractionRow is the extraction quality of one input.
type ExtractionRow struct {
	Path      string   `json:"path"`
	Status    string   `json:"status"`
	Format    string   `json:"format,omitempty"`
	Extractor string   `json:"extractor,omitempty"`
	Pages     int      `json:"pages"`
	Chars     int      `json:"chars"`
	Passages  int      `json:"passages"`
	Records   int      `json:"records,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	Reason    string   `json:"reason,omitempty"`
}

// A GroupRow is one version group with its members.
type GroupRow struct {
	ID        string      `json:"id"`
	Preferred string      `json:"preferred"`
	Reasons   []string    `json:"reasons"`
	Members   []MemberRow `json:"members"`
}

// A MemberRow is one document of a version group.
type MemberRow struct {
	Doc   string `json:"doc"`
	Kind  string `json:"kind"`
	Path  string `json:"path"`
	Title string `json:"title,omitempty"`
	Year  int    `json:"year,omitempty"`
}

// Stats counts what the workspace holds.
func (w *Workspace) Stats(ctx context.Context) (*Stats, error) {
	s := w.store
	sum := &Stats{Inputs: map[string]int{}, SkipReasons: map[string]int{}, Kinds: map[string]int{}, Langs: map[string]int{}, Formats: map[string]int{}}
	srcs, err := s.Sources()
	if err != nil {
		return nil, err
	}
	for _, src := range srcs {
		sum.Inputs[src.Status]++
		if src.Status == corpus.StatusSkipped {
			sum.SkipReasons[src.Reason]++
		}
	}
	docs, err := s.Documents(ctx)
	if err != nil {
		return nil, err
	}
	sum.Codebook = w.CodebookVersion()
	sum.Annotator = w.Annotator()
	groups := map[string]bool{}
	for _, d := range docs {
		if d.Skip != corpus.NotSkipped {
			if d.Kind == corpus.KindRecord {
				sum.SkipReasons["record: "+d.Skip.String()]++
			}
			continue
		}
		sum.Documents++
		sum.Kinds[string(d.Kind)]++
		lang := d.Lang
		if lang == "" {
			lang = "unknown"
		}
		sum.Langs[lang]++
		sum.Formats[d.Format]++
		v, err := s.AnnotatedWith(d.ID)
		if err != nil {
			return nil, err
		}
		if v == sum.Annotator {
			sum.Annotated++
		}
		if d.Group != "" {
			sum.GroupedDocs++
			groups[d.Group] = true
		}
	}
	sum.Groups = len(groups)
	sum.Works = sum.Documents - sum.GroupedDocs + sum.Groups
	if sum.Passages, err = s.CountPassages(); err != nil {
		return nil, err
	}
	hc, err := s.HumanCodes("")
	if err != nil {
		return nil, err
	}
	sum.HumanCodes = len(hc)
	runs, err := s.Runs()
	if err != nil {
		return nil, err
	}
	sum.Runs = len(runs)
	if len(runs) > 0 {
		sum.LastRun = &runs[len(runs)-1]
	}
	return sum, nil
}

// Extraction lists the extraction quality of every input.
func (w *Workspace) Extraction(ctx context.Context) ([]ExtractionRow, error) {
	s := w.store
	srcs, err := s.Sources()
	if err != nil {
		return nil, err
	}
	// The records of an export name it as their Source; its Source keeps
	// only its first record.
	var records map[string][]*corpus.Document
	rows := make([]ExtractionRow, 0, len(srcs))
	for _, src := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := ExtractionRow{Path: src.Path, Status: src.Status, Format: src.Format, Reason: src.Reason, Warnings: src.Warnings}
		ids := src.Docs
		if src.Records > 0 {
			if records == nil {
				docs, err := s.Documents(ctx)
				if err != nil {
					return nil, err
				}
				records = map[string][]*corpus.Document{}
				for _, d := range docs {
					if d.Source != "" {
						records[d.Source] = append(records[d.Source], d)
					}
				}
			}
			r.Records = src.Records
			ids = nil
			for _, d := range records[src.Path] {
				ids = append(ids, d.ID)
			}
		} else if len(src.Docs) > 1 || strings.HasPrefix(src.Format, "refs") || src.Skipped > 0 {
			r.Records = len(src.Docs) // a source of format 1 stores every record
		}
		for _, id := range ids {
			d, err := s.Document(id)
			if errors.Is(err, corpus.ErrNotFound) {
				continue // a record of the export stored under another source
			}
			if err != nil {
				return nil, err
			}
			if r.Extractor == "" {
				r.Extractor = d.Extractor
			}
			r.Pages += len(d.Pages)
			r.Chars += utf8.RuneCountInString(d.Text)
			ps, err := s.Passages(id)
			if err != nil {
				return nil, err
			}
			r.Passages += len(ps)
			if len(ids) == 1 && src.Records == 0 {
				r.Warnings = d.Warnings
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// Duplicates lists the version groups with their members.
func (w *Workspace) Duplicates(ctx context.Context) ([]GroupRow, error) {
	groups, err := w.store.Groups()
	if err != nil {
		return nil, err
	}
	rows := make([]GroupRow, 0, len(groups))
	for _, g := range groups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := GroupRow{ID: g.ID, Preferred: string(g.Preferred), Reasons: g.Reasons}
		for _, m := range g.Members {
			d, err := w.store.Document(m)
			if err != nil {
				return nil, err
			}
			r.Members = append(r.Members, MemberRow{Doc: string(m), Kind: string(d.Kind), Path: d.Path, Title: d.Title, Year: d.Year})
		}
		rows = append(rows, r)
	}
	return rows, nil
}
