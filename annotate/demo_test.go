package annotate_test

import (
	"fmt"
	"html"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/democorpus"
)

// demoPassages returns the paragraphs of a demo HTML file as passages,
// each under its heading (a crude reading that is enough for these
// hand-written files; ingest does the real extraction).
func demoPassages(t *testing.T, name string) (*corpus.Document, []corpus.Passage) {
	t.Helper()
	b, err := fs.ReadFile(democorpus.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)<(h[1-6]|p)[^>]*>(.*?)</(?:h[1-6]|p)>`)
	tag := regexp.MustCompile(`<[^>]+>`)
	doc := &corpus.Document{ID: corpus.DocID("demo-" + name), Lang: "en"}
	var ps []corpus.Passage
	section := ""
	for _, m := range block.FindAllStringSubmatch(string(b), -1) {
		text := strings.Join(strings.Fields(html.UnescapeString(tag.ReplaceAllString(m[2], ""))), " ")
		if m[1] != "p" {
			section = text
			continue
		}
		ps = append(ps, corpus.Passage{ID: corpus.PassageID(fmt.Sprintf("%s/%04d", doc.ID, len(ps))), Text: text, Section: section, End: len(text)})
	}
	return doc, ps
}

// TestOkaforNavigators is the teaching case of the demo corpus: Okafor's
// "peer navigators" are lay staff trained for the task, and the text says
// that lived experience is not required. They must get
// knowledge.trained_lay, linked to the peer navigator family, and never
// knowledge.lived_experience, with the rules alone and with the model.
func TestOkaforNavigators(t *testing.T) {
	doc, ps := demoPassages(t, "en-hospital-peer-navigators.html")
	for _, tg := range []*annotate.Tagger{rulesTagger(t), tagger(t)} {
		t.Run(tg.Annotator(), func(t *testing.T) {
			anns := tg.Tag(doc, ps)
			trained := false
			for _, a := range anns {
				if a.Type != corpus.AnnCode || a.Negated {
					continue
				}
				switch a.Code {
				case "knowledge.lived_experience":
					t.Errorf("%s: knowledge.lived_experience (rule %s, spans %v)", a.Passage, a.Rule, a.Spans)
				case "knowledge.trained_lay":
					trained = true
					if !slices.Contains(a.Links, "peer navigator") || (a.LinkScope != corpus.ScopeSentence && a.LinkScope != corpus.ScopeAnaphora) {
						t.Errorf("%s: knowledge.trained_lay links %v (%s), want peer navigator in its sentence", a.Passage, a.Links, a.LinkScope)
					}
				}
			}
			if !trained {
				t.Error("no knowledge.trained_lay for Okafor's peer navigators")
			}
		})
	}
}
