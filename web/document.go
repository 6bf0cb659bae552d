package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"
)

// docBody is what the document template receives.
type docBody struct {
	Doc      *corpus.Document
	Cite     string
	Skip     string
	Chars    int
	Passages []docPassage
	Group    *corpus.Group
	Others   []*corpus.Document // the other members of its version group
}

type docPassage struct {
	P      corpus.Passage
	Codes  []string
	Labels []string
	Human  bool // some human coded it
}

func (s *server) handleDoc(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := s.store.FindDocument(id)
	switch {
	case errors.Is(err, corpus.ErrNotFound):
		s.message(w, r, http.StatusNotFound, "No such document", fmt.Sprintf("The corpus holds no document %q.", id))
		return
	case err != nil:
		// Most likely a prefix that several documents share: the user's to fix.
		s.log.Warn("find document", zap.String("id", id), zap.Error(err))
		s.message(w, r, http.StatusBadRequest, "Which document?", "No single document has this ID: give more of it.")
		return
	}
	b := docBody{Doc: d, Cite: cite(d.Authors, d.Year, d.Title, d.Path), Skip: d.SkipReason(), Chars: len(d.Text)}
	d.Text = ""
	views, err := s.store.Views(d.ID)
	if err != nil {
		s.fail(w, r, "read passages", err)
		return
	}
	for _, v := range views {
		dp := docPassage{P: v.Passage, Codes: v.Codes(), Labels: v.Labels()}
		dp.Human = slices.ContainsFunc(v.Annotations, corpus.Annotation.Human)
		b.Passages = append(b.Passages, dp)
	}
	if d.Group != "" {
		groups, err := s.store.Groups()
		if err != nil {
			s.fail(w, r, "read version groups", err)
			return
		}
		for i, g := range groups {
			if g.ID != d.Group {
				continue
			}
			b.Group = &groups[i]
			for _, m := range g.Members {
				if m == d.ID {
					continue
				}
				if o, err := s.store.Document(m); err == nil {
					o.Text = ""
					b.Others = append(b.Others, o)
				}
			}
		}
	}
	title := d.Title
	if title == "" {
		title = "Document " + d.ID.Short()
	}
	s.render(w, r, http.StatusOK, "doc", title, "", b)
}
