package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	index "github.com/blevesearch/bleve_index_api"
)

// highlighterName is bleve's html highlighter (fragments with <mark>),
// made to read the passage text stored once, in text_en, when it
// highlights the matches of text_fr (see the layout in mapping.go).
const highlighterName = "peermap_html"

// sharedText is the highlighter of highlighterName: for text_fr, a
// document that does not store text_fr (every index built since the
// passage text is stored once) is shown its text_en value under the name
// text_fr. Both fields hold the same text and the analysers keep byte
// offsets, so the locations of text_fr fit text_en's text exactly. An
// index written before, which stores both, is highlighted as it was.
type sharedText struct{ highlight.Highlighter }

func (h sharedText) BestFragmentsInField(dm *search.DocumentMatch, doc index.Document, field string, num int) []string {
	if field == fieldTextFr {
		doc = aliasDoc{Document: doc, from: fieldTextEn, to: fieldTextFr}
	}
	return h.Highlighter.BestFragmentsInField(dm, doc, field, num)
}

func (h sharedText) BestFragmentInField(dm *search.DocumentMatch, doc index.Document, field string) string {
	if fs := h.BestFragmentsInField(dm, doc, field, 1); len(fs) > 0 {
		return fs[0]
	}
	return ""
}

// aliasDoc is a stored document whose text fields named from are also
// visited under the name to, unless the document has fields named to.
type aliasDoc struct {
	index.Document
	from, to string
}

func (d aliasDoc) VisitFields(visit index.FieldVisitor) {
	var own, from []index.Field
	d.Document.VisitFields(func(f index.Field) {
		switch f.Name() {
		case d.to:
			own = append(own, f)
		case d.from:
			from = append(from, f)
		}
		visit(f)
	})
	if len(own) > 0 {
		return
	}
	for _, f := range from {
		if tf, ok := f.(index.TextField); ok {
			visit(renamedText{Field: f, text: tf, name: d.to})
		}
	}
}

// renamedText is a stored text field under another name.
type renamedText struct {
	index.Field
	text index.TextField
	name string
}

func (f renamedText) Name() string { return f.name }
func (f renamedText) Text() string { return f.text.Text() }

func init() {
	err := registry.RegisterHighlighter(highlighterName, func(config map[string]any, cache *registry.Cache) (highlight.Highlighter, error) {
		h, err := html.Constructor(config, cache)
		if err != nil {
			return nil, fmt.Errorf("highlighter %s: %w", highlighterName, err)
		}
		return sharedText{h}, nil
	})
	if err != nil {
		panic(err) // only on a duplicate name, a programming error
	}
}
