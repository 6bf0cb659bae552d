package pipeline

import (
	"context"
	"encoding/json"
	"io"

	"github.com/peermap/peermap/corpus"
)

type exportDoc struct {
	Type string `json:"type"`
	*corpus.Document
	SkipReason string       `json:"skip_reason,omitempty"`
	Text       string       `json:"text"`
	Pages      []exportPage `json:"pages,omitempty"`
}

type exportPage struct {
	corpus.Page
	Text string `json:"text"`
}

type exportPassage struct {
	Type string `json:"type"`
	corpus.Passage
	Annotations []corpus.Annotation `json:"annotations"`
}

// Export writes the corpus to out as JSON Lines. For each document, in ID
// order: one object
//
//	{"type":"document", ...metadata, "kind", "lang", "extractor", "skip_reason",
//	 "text", "pages":[{"n","start","end","extractor","text"}]}
//
// followed by one object per passage:
//
//	{"type":"passage", "id", "doc", "n", "section", "page", "start", "end",
//	 "text", "annotations":[...machine and human...]}
//
// Offsets are byte offsets into the document's text. With skipped false,
// skipped documents are left out.
func (w *Workspace) Export(ctx context.Context, out io.Writer, skipped bool) error {
	s := w.store
	metas, err := s.Documents(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, m := range metas {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m.Skip != corpus.NotSkipped && !skipped {
			continue
		}
		d, err := s.Document(m.ID)
		if err != nil {
			return err
		}
		ed := exportDoc{Type: "document", Document: d, SkipReason: d.SkipReason(), Text: d.Text}
		for _, p := range d.Pages {
			if p.Start >= 0 && p.End <= len(d.Text) && p.Start <= p.End {
				ed.Pages = append(ed.Pages, exportPage{Page: p, Text: d.Text[p.Start:p.End]})
			}
		}
		if err := enc.Encode(ed); err != nil {
			return err
		}
		vs, err := s.Views(d.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			anns := v.Annotations
			if anns == nil {
				anns = []corpus.Annotation{}
			}
			if err := enc.Encode(exportPassage{Type: "passage", Passage: v.Passage, Annotations: anns}); err != nil {
				return err
			}
		}
	}
	return nil
}
