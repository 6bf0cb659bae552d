package index

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // registers the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en" // registers possessive_en, stop_en
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr" // registers elision_fr, stop_fr, stemmer_fr_light
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	_ "github.com/blevesearch/bleve/v2/analysis/token/porter" // registers stemmer_porter
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/peermap/peermap/internal/text"
)

// Names in the index. The layout of one indexed passage (document type
// "passage", ID = corpus.PassageID):
//
//	text_en   passage text, English analysis (possessive, lower case, accent folding, stop words, Porter stemmer); stored, term vectors
//	text_fr   passage text, French analysis (lower case, elision, stop words, light stemmer, accent folding); term vectors,
//	          not stored: the text is stored once, in text_en, and the highlighter shows it for text_fr (highlight.go)
//	doc group keyword, exact; stored
//	labels families codes dims kind lang   keyword, lower-cased; labels, codes, kind, lang stored
//	year      numeric (absent when unknown); stored
//	yearkey   keyword "2019", for the year facet
//	title path page section authors        stored only
//
// Internal (SetInternal) keys: formatKey holds formatVersion; stamps set by
// SetStamps live under stampPrefix+key.
const (
	docType = "passage"

	fieldTextEn   = "text_en"
	fieldTextFr   = "text_fr"
	fieldDoc      = "doc"
	fieldGroup    = "group"
	fieldLabels   = "labels"
	fieldFamilies = "families"
	fieldCodes    = "codes"
	fieldDims     = "dims"
	fieldKind     = "kind"
	fieldLang     = "lang"
	fieldYear     = "year"
	fieldYearKey  = "yearkey"
	fieldTitle    = "title"
	fieldPath     = "path"
	fieldPage     = "page"
	fieldSection  = "section"
	fieldAuthors  = "authors"

	analyzerEn    = "peermap_en"
	analyzerFr    = "peermap_fr"
	analyzerLower = "peermap_keyword_lower"
	filterFold    = "peermap_fold"

	formatKey     = "peermap_index_format"
	formatVersion = "1"
	stampPrefix   = "stamp:"
)

// init registers the accent-folding token filter with bleve. bleve builds
// analyzers by name from its registry, also when it reopens an index from
// the mapping stored on disk, so the filter must be registered before any
// index is opened: this is the one registry that must be filled in init().
// (bleve's own char filter "asciifolding" cannot be used: it rewrites the
// text before tokenising, which shifts the byte offsets highlighting needs.)
func init() {
	if err := registry.RegisterTokenFilter(filterFold, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}); err != nil {
		panic(err) // only on a duplicate name, a programming error
	}
}

// foldFilter removes diacritics from terms ("médiateur" → "mediateur") and
// expands the ligatures œ, æ and ß. It changes terms only, never offsets.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if ascii(tok.Term) {
			continue
		}
		tok.Term = []byte(text.Fold(string(tok.Term)))
	}
	return in
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// newMapping returns the index mapping of peermap's passages.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerEn, map[string]any{
		"type":          "custom",
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{"possessive_en", lowercase.Name, filterFold, "stop_en", "stemmer_porter"},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerFr, map[string]any{
		"type":      "custom",
		"tokenizer": unicodetok.Name,
		// Fold after stemming: French stop words and stemmer rules are
		// written with accents; the light stemmer folds long words itself,
		// the fold filter catches the short ones ("rôle", "été").
		"token_filters": []any{lowercase.Name, "elision_fr", "stop_fr", "stemmer_fr_light", filterFold},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerLower, map[string]any{
		"type":          "custom",
		"tokenizer":     single.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, err
	}

	text := func(name, analyzer string, store bool) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = analyzer
		fm.Store = store
		fm.IncludeTermVectors = true
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	kw := func(analyzer string, store, docValues bool) *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Analyzer = analyzer
		fm.Store = store
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = docValues
		return fm
	}
	stored := func(fm *mapping.FieldMapping) *mapping.FieldMapping {
		fm.Index = false
		fm.Store = true
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		return fm
	}

	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("text", text(fieldTextEn, analyzerEn, true), text(fieldTextFr, analyzerFr, false))
	dm.AddFieldMappingsAt(fieldDoc, kw(keyword.Name, true, true))
	dm.AddFieldMappingsAt(fieldGroup, kw(keyword.Name, true, false))
	dm.AddFieldMappingsAt(fieldLabels, kw(analyzerLower, true, true))
	dm.AddFieldMappingsAt(fieldFamilies, kw(analyzerLower, false, true))
	dm.AddFieldMappingsAt(fieldCodes, kw(analyzerLower, true, true))
	dm.AddFieldMappingsAt(fieldDims, kw(analyzerLower, false, true))
	dm.AddFieldMappingsAt(fieldKind, kw(analyzerLower, true, true))
	dm.AddFieldMappingsAt(fieldLang, kw(analyzerLower, true, true))
	dm.AddFieldMappingsAt(fieldYearKey, kw(keyword.Name, false, true))
	year := mapping.NewNumericFieldMapping()
	year.Store = true
	year.IncludeInAll = false
	dm.AddFieldMappingsAt(fieldYear, year)
	dm.AddFieldMappingsAt(fieldTitle, stored(mapping.NewTextFieldMapping()))
	dm.AddFieldMappingsAt(fieldPath, stored(mapping.NewTextFieldMapping()))
	dm.AddFieldMappingsAt(fieldSection, stored(mapping.NewTextFieldMapping()))
	dm.AddFieldMappingsAt(fieldAuthors, stored(mapping.NewTextFieldMapping()))
	dm.AddFieldMappingsAt(fieldPage, stored(mapping.NewNumericFieldMapping()))

	im.AddDocumentMapping(docType, dm)
	im.DefaultType = docType
	im.DefaultMapping = mapping.NewDocumentDisabledMapping()
	im.DefaultAnalyzer = analyzerEn
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}
