package refs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// v1Rules decode OpenAlex works by encoding/json's rules (names matched
// without regard to case, the last of equal names wins, null leaves a
// field as it is) in the one pass of the v2 decoder, which skips the many
// fields peermap does not read without building them.
var v1Rules = jsonv1.DefaultOptionsV1()

// jsonItems streams the items of a JSON array, or the single object, or the
// items of an object's "results" array (an OpenAlex API page), calling fn with each item's
// raw bytes (valid only during the call). A stream that is not JSON is a fatal error.
//
// The items are cut out by jsontext, which checks and copies each value
// once (encoding/json's Decoder scans a value, then Unmarshal scans it
// twice more); the bytes fn gets are the item's bytes as written, as
// json.RawMessage had them, so the record IDs that hash them are unchanged.
func jsonItems(r io.Reader, fn func(raw []byte) error) error {
	br := newUTF8Reader(r) // drops a BOM
	dec := jsontext.NewDecoder(br, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	tok, err := dec.ReadToken()
	if err != nil {
		return fmt.Errorf("parse json: %w", err)
	}
	// items calls fn with each value up to the end of the array just opened.
	items := func() error {
		for {
			switch dec.PeekKind() {
			case ']':
				return nil
			case 0: // an error; ReadValue says which
			}
			raw, err := dec.ReadValue()
			if err != nil {
				return fmt.Errorf("parse json: %w", err)
			}
			if err := fn(raw); err != nil {
				return err
			}
		}
	}
	switch tok.Kind() {
	case '[':
		return items()
	case '{':
		// One object: rebuild its bytes field by field, or stream a
		// "results"/"items" array of an API page.
		var buf bytes.Buffer
		buf.WriteByte('{')
		n := 0
		for dec.PeekKind() != '}' {
			kt, err := dec.ReadToken()
			if err != nil {
				return fmt.Errorf("parse json: %w", err)
			}
			key := kt.String()
			if key == "results" {
				// An OpenAlex API page: stream its works, ignore the rest.
				t, err := dec.ReadToken()
				if err != nil {
					return fmt.Errorf("parse json: %w", err)
				}
				if t.Kind() != '[' {
					return fmt.Errorf("parse json: \"results\" is not an array")
				}
				return items()
			}
			v, err := dec.ReadValue()
			if err != nil {
				return fmt.Errorf("parse json: %w", err)
			}
			if n > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(key)
			buf.Write(kb)
			buf.WriteByte(':')
			buf.Write(v)
			n++
		}
		if _, err := dec.ReadToken(); err != nil {
			return fmt.Errorf("parse json: %w", err)
		}
		buf.WriteByte('}')
		return fn(buf.Bytes())
	}
	return fmt.Errorf("parse json: want an array or an object, found %v", tok)
}

// flexString accepts a JSON string, number, or array of strings (CSL-JSON
// from Crossref writes title and container-title as arrays).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '[':
		var a []flexString
		if err := json.Unmarshal(b, &a); err != nil {
			return err
		}
		if len(a) > 0 {
			*f = a[0]
		}
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = flexString(n.String())
	}
	return nil
}

// UnmarshalJSONFrom is UnmarshalJSON for the v2 decoder (OpenAlex works),
// reading tokens instead of a copy of the value.
func (f *flexString) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '"', '0':
		t, err := dec.ReadToken()
		if err != nil {
			return err
		}
		*f = flexString(t.String())
		return nil
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		first := true
		for dec.PeekKind() != ']' {
			var e flexString
			if err := e.UnmarshalJSONFrom(dec); err != nil {
				return err
			}
			if first {
				*f, first = e, false
			}
		}
		_, err := dec.ReadToken()
		return err
	}
	v, err := dec.ReadValue() // true, false, an object: what encoding/json refuses too
	if err != nil {
		return err
	}
	return fmt.Errorf("cannot read %s as a string", v.Kind())
}

// cslDate is a CSL date: {"date-parts": [[2018, 4, 4]]} or {"raw": "2018"}.
type cslDate struct {
	DateParts [][]json.RawMessage `json:"date-parts"`
	Raw       string              `json:"raw"`
	Literal   string              `json:"literal"`
}

func (d *cslDate) year() int {
	if d == nil {
		return 0
	}
	if len(d.DateParts) > 0 && len(d.DateParts[0]) > 0 {
		s := strings.Trim(string(d.DateParts[0][0]), `"`)
		if y, err := strconv.Atoi(s); err == nil && y > 0 && y < 3000 {
			return y
		}
	}
	return year(d.Raw + " " + d.Literal)
}

type cslItem struct {
	Title          flexString `json:"title"`
	ContainerTitle flexString `json:"container-title"`
	Abstract       flexString `json:"abstract"`
	DOI            flexString `json:"DOI"`
	DOILower       flexString `json:"doi"`
	PMID           flexString `json:"PMID"`
	Language       flexString `json:"language"`
	Keyword        flexString `json:"keyword"`
	Publisher      flexString `json:"publisher"`
	Author         []struct {
		Family  flexString `json:"family"`
		Given   flexString `json:"given"`
		Literal flexString `json:"literal"`
	} `json:"author"`
	Issued          *cslDate `json:"issued"`
	PublishedPrint  *cslDate `json:"published-print"`
	PublishedOnline *cslDate `json:"published-online"`
}

// readCSL reads CSL-JSON: an array of items or a single item.
//
// Fields: title; author (family, given; or literal); year from issued (else
// published-print, published-online) date-parts or raw; venue
// container-title (else publisher); DOI; PMID; abstract (JATS tags removed);
// keyword (","-separated); language.
func readCSL(r io.Reader, e *emitter) error {
	return jsonItems(r, func(raw []byte) error {
		var it cslItem
		if err := json.Unmarshal(raw, &it); err != nil {
			return e.invalid(raw, err)
		}
		rc := &rec{
			title:    stripTags(string(it.Title)),
			venue:    string(it.ContainerTitle),
			abstract: stripTags(string(it.Abstract)),
			doi:      string(it.DOI),
			pmid:     string(it.PMID),
			lang:     string(it.Language),
		}
		if rc.doi == "" {
			rc.doi = string(it.DOILower)
		}
		if rc.venue == "" {
			rc.venue = string(it.Publisher)
		}
		for _, a := range it.Author {
			switch {
			case a.Family != "" && a.Given != "":
				rc.authors = append(rc.authors, string(a.Family)+", "+string(a.Given))
			case a.Family != "":
				rc.authors = append(rc.authors, string(a.Family))
			default:
				rc.authors = append(rc.authors, string(a.Literal))
			}
		}
		for _, d := range []*cslDate{it.Issued, it.PublishedPrint, it.PublishedOnline} {
			if rc.year = d.year(); rc.year != 0 {
				break
			}
		}
		rc.keywords = append(rc.keywords, strings.FieldsFunc(string(it.Keyword), isListSep)...)
		return e.emit(raw, rc)
	})
}

// stripTags removes markup such as <jats:p> or <i> from s.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	in := false
	for _, c := range s {
		switch {
		case c == '<':
			in = true
		case c == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(c)
		}
	}
	if in { // a lone '<' was text, not a tag
		return s
	}
	return b.String()
}

type openAlexWork struct {
	Title           flexString `json:"title"`
	DisplayName     flexString `json:"display_name"`
	DOI             flexString `json:"doi"`
	PublicationYear flexString `json:"publication_year"`
	PublicationDate flexString `json:"publication_date"`
	Language        flexString `json:"language"`
	IDs             struct {
		DOI  flexString `json:"doi"`
		PMID flexString `json:"pmid"`
	} `json:"ids"`
	Authorships []struct {
		Author struct {
			DisplayName flexString `json:"display_name"`
		} `json:"author"`
		RawAuthorName flexString `json:"raw_author_name"`
	} `json:"authorships"`
	PrimaryLocation *struct {
		Source *struct {
			DisplayName flexString `json:"display_name"`
		} `json:"source"`
	} `json:"primary_location"`
	HostVenue *struct {
		DisplayName flexString `json:"display_name"`
	} `json:"host_venue"`
	Keywords []json.RawMessage `json:"keywords"`
	Mesh     []struct {
		DescriptorName flexString `json:"descriptor_name"`
	} `json:"mesh"`
	AbstractInvertedIndex invertedIndex `json:"abstract_inverted_index"`
}

// An invertedIndex is an OpenAlex abstract_inverted_index (word →
// positions), read as the list of its (position, word) pairs: no map is
// built for the hundred words of each abstract.
type invertedIndex []wordAt

type wordAt struct {
	pos  int
	word string
}

// UnmarshalJSONFrom reads the index as encoding/json reads a
// map[string][]int: null is no index, a word given twice keeps its last
// positions, and positions are read by encoding/json's rules.
func (x *invertedIndex) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	if dec.PeekKind() != '{' {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		return fmt.Errorf("abstract_inverted_index: want an object, found %s", v.Kind())
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	out := (*x)[:0]
	seen := make(map[string]bool, 128)
	var ps []int
	for dec.PeekKind() != '}' {
		t, err := dec.ReadToken()
		if err != nil {
			return err
		}
		word := t.String()
		ps = ps[:0]
		if err := jsonv2.UnmarshalDecode(dec, &ps, v1Rules); err != nil {
			return err
		}
		if seen[word] { // the last value of a name wins, as in a map
			out = slices.DeleteFunc(out, func(w wordAt) bool { return w.word == word })
		}
		seen[word] = true
		for _, p := range ps {
			out = append(out, wordAt{p, word})
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*x = out
	return nil
}

// readOpenAlex reads OpenAlex works JSON (an array of works as in SYNERGY,
// a single work, or an API page with "results").
//
// Fields: title (else display_name); authors from authorships (display_name
// "Given Family" written "Family, Given"); year publication_year (else
// publication_date); venue primary_location.source.display_name (else
// host_venue.display_name); DOI doi (else ids.doi); PMID ids.pmid; abstract
// rebuilt from abstract_inverted_index (words in position order); keywords
// from keywords and MeSH descriptors; language.
func readOpenAlex(r io.Reader, e *emitter) error {
	return jsonItems(r, func(raw []byte) error {
		var w openAlexWork
		if err := jsonv2.Unmarshal(raw, &w, v1Rules); err != nil {
			return e.invalid(raw, err)
		}
		rc := &rec{
			title:    string(w.Title),
			doi:      string(w.DOI),
			pmid:     string(w.IDs.PMID),
			lang:     string(w.Language),
			abstract: invertedAbstract(w.AbstractInvertedIndex),
		}
		if rc.title == "" {
			rc.title = string(w.DisplayName)
		}
		if rc.doi == "" {
			rc.doi = string(w.IDs.DOI)
		}
		rc.year = year(string(w.PublicationYear))
		if rc.year == 0 {
			rc.year = year(string(w.PublicationDate))
		}
		switch {
		case w.PrimaryLocation != nil && w.PrimaryLocation.Source != nil && w.PrimaryLocation.Source.DisplayName != "":
			rc.venue = string(w.PrimaryLocation.Source.DisplayName)
		case w.HostVenue != nil:
			rc.venue = string(w.HostVenue.DisplayName)
		}
		for _, a := range w.Authorships {
			n := string(a.Author.DisplayName)
			if n == "" {
				n = string(a.RawAuthorName)
			}
			rc.authors = append(rc.authors, familyFirst(n))
		}
		for _, k := range w.Keywords {
			var s string
			if json.Unmarshal(k, &s) != nil {
				var o struct {
					DisplayName flexString `json:"display_name"`
					Keyword     flexString `json:"keyword"`
				}
				json.Unmarshal(k, &o)
				s = string(o.DisplayName)
				if s == "" {
					s = string(o.Keyword)
				}
			}
			rc.keywords = append(rc.keywords, s)
		}
		for _, m := range w.Mesh {
			rc.keywords = append(rc.keywords, string(m.DescriptorName))
		}
		return e.emit(raw, rc)
	})
}

// invertedAbstract rebuilds a text from an OpenAlex inverted index (word →
// positions). Words are ordered by position (ties by word, so the result is
// deterministic); gaps in the positions are closed.
func invertedAbstract(ws invertedIndex) string {
	slices.SortFunc(ws, func(a, b wordAt) int {
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return strings.Compare(a.word, b.word)
	})
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.word)
	}
	return b.String()
}

// familyFirst writes a display name "Given Middle Family" as "Family, Given
// Middle"; a name that already has a comma, or is one word, is kept.
func familyFirst(n string) string {
	n = clean(n)
	if n == "" || strings.Contains(n, ",") {
		return n
	}
	f := strings.Fields(n)
	if len(f) < 2 {
		return n
	}
	return f[len(f)-1] + ", " + strings.Join(f[:len(f)-1], " ")
}
