package refs

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// A capReader keeps the bytes read through it from a given stream offset on,
// so that a record's own bytes can be cut out by the offsets an xml.Decoder
// reports, without holding the whole file.
type capReader struct {
	r    io.Reader
	buf  []byte
	base int64 // stream offset of buf[0]
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// slice returns a copy of the stream bytes [start, end).
func (c *capReader) slice(start, end int64) []byte {
	s, e := start-c.base, end-c.base
	if s < 0 || e > int64(len(c.buf)) || s > e {
		return nil
	}
	return append([]byte(nil), c.buf[s:e]...)
}

// drop forgets the bytes before stream offset off. It compacts the buffer
// only once the dead part is large, so that dropping often costs little.
func (c *capReader) drop(off int64) {
	n := off - c.base
	if n <= 0 || n > int64(len(c.buf)) || n < 64<<10 && n < int64(len(c.buf))/2 {
		return
	}
	c.buf = append(c.buf[:0], c.buf[n:]...)
	c.base = off
}

// xmlRecords streams the elements named in names (at any depth outside
// another record), decoding each with decode(dec, start) and handing its raw
// bytes and the result of decode to emit. Non-UTF-8 input is taken as
// Windows-1252 line by line, whatever the XML declaration says.
func xmlRecords(r io.Reader, names map[string]bool, e *emitter, decode func(*xml.Decoder, *xml.StartElement) (*rec, error)) error {
	cr := &capReader{r: newUTF8Reader(r)}
	dec := xml.NewDecoder(cr)
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		off := dec.InputOffset()
		cr.drop(off)
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse xml: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !names[se.Name.Local] {
			continue
		}
		rc, derr := decode(dec, &se)
		raw := cr.slice(off, dec.InputOffset())
		if derr != nil {
			if broken(derr) {
				return fmt.Errorf("parse xml: %w", derr)
			}
			if err := e.invalid(raw, derr); err != nil {
				return err
			}
			// The decoder cannot resynchronise after a syntax error.
			if _, ok := derr.(*xml.SyntaxError); ok {
				return nil
			}
			continue
		}
		if err := e.emit(raw, rc); err != nil {
			return err
		}
	}
}

// collectText returns the character data inside the element start (whose
// start tag has been read), with inline markup (<i>, <sup>, <style>) dropped.
func collectText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return b.String(), err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

// xmlText is the text content of an element, inline markup removed.
type xmlText string

func (t *xmlText) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	s, err := collectText(d)
	*t = xmlText(s)
	return err
}

// attrText is the text content of an element together with its attributes.
type attrText struct {
	Attr []xml.Attr
	Text string
}

func (t *attrText) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	t.Attr = start.Attr
	s, err := collectText(d)
	t.Text = s
	return err
}

func (t attrText) attr(name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

type medAuthor struct {
	LastName       xmlText `xml:"LastName"`
	ForeName       xmlText `xml:"ForeName"`
	Initials       xmlText `xml:"Initials"`
	CollectiveName xmlText `xml:"CollectiveName"`
}

func (a medAuthor) String() string {
	switch {
	case a.LastName != "" && a.ForeName != "":
		return string(a.LastName) + ", " + string(a.ForeName)
	case a.LastName != "" && a.Initials != "":
		return string(a.LastName) + ", " + string(a.Initials)
	case a.LastName != "":
		return string(a.LastName)
	}
	return string(a.CollectiveName)
}

type medDate struct {
	Year        xmlText `xml:"Year"`
	MedlineDate xmlText `xml:"MedlineDate"`
}

type medAbstract struct {
	Text []attrText `xml:"AbstractText"`
}

func (a medAbstract) String() string {
	var parts []string
	for _, t := range a.Text {
		s := clean(t.Text)
		if l := t.attr("Label"); l != "" && !strings.EqualFold(l, "UNLABELLED") && s != "" {
			s = l + ": " + s
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n")
}

type medKeywords struct {
	Keyword []xmlText `xml:"Keyword"`
}

type medCitation struct {
	PMID    xmlText `xml:"PMID"`
	Article struct {
		Journal struct {
			Title        xmlText `xml:"Title"`
			ISOAbbrev    xmlText `xml:"ISOAbbreviation"`
			JournalIssue struct {
				PubDate medDate `xml:"PubDate"`
			} `xml:"JournalIssue"`
		} `xml:"Journal"`
		ArticleTitle    xmlText     `xml:"ArticleTitle"`
		VernacularTitle xmlText     `xml:"VernacularTitle"`
		Abstract        medAbstract `xml:"Abstract"`
		AuthorList      struct {
			Author []medAuthor `xml:"Author"`
		} `xml:"AuthorList"`
		Language    []xmlText  `xml:"Language"`
		ELocationID []attrText `xml:"ELocationID"`
		ArticleDate []medDate  `xml:"ArticleDate"`
	} `xml:"Article"`
	MedlineJournalInfo struct {
		MedlineTA xmlText `xml:"MedlineTA"`
	} `xml:"MedlineJournalInfo"`
	KeywordList     []medKeywords `xml:"KeywordList"`
	MeshHeadingList struct {
		MeshHeading []struct {
			DescriptorName xmlText `xml:"DescriptorName"`
		} `xml:"MeshHeading"`
	} `xml:"MeshHeadingList"`
	DateCreated medDate `xml:"DateCreated"`
}

type medArticleIDs struct {
	ArticleID []attrText `xml:"ArticleId"`
}

type medBook struct {
	PMID         xmlText `xml:"PMID"`
	ArticleTitle xmlText `xml:"ArticleTitle"`
	Book         struct {
		BookTitle  xmlText `xml:"BookTitle"`
		PubDate    medDate `xml:"PubDate"`
		AuthorList struct {
			Author []medAuthor `xml:"Author"`
		} `xml:"AuthorList"`
		Publisher struct {
			Name xmlText `xml:"PublisherName"`
		} `xml:"Publisher"`
	} `xml:"Book"`
	AuthorList struct {
		Author []medAuthor `xml:"Author"`
	} `xml:"AuthorList"`
	Language      []xmlText     `xml:"Language"`
	Abstract      medAbstract   `xml:"Abstract"`
	ArticleIDList medArticleIDs `xml:"ArticleIdList"`
	KeywordList   []medKeywords `xml:"KeywordList"`
}

// readMedline reads PubMed/MEDLINE XML: PubmedArticleSet (PubmedArticle and
// PubmedBookArticle records) and MedlineCitationSet (MedlineCitation
// records; DeleteCitation blocks are not records).
//
// Fields: title ArticleTitle (else VernacularTitle; BookTitle for books);
// authors LastName, ForeName (or Initials), or CollectiveName; year PubDate
// Year (else MedlineDate, ArticleDate); venue Journal Title (else
// ISOAbbreviation, MedlineTA); DOI from ELocationID or ArticleId with type
// doi; PMID; abstract AbstractText sections, each "Label: text" on a line;
// keywords Keyword then MeSH descriptors; language Language.
func readMedline(r io.Reader, e *emitter) error {
	names := map[string]bool{"PubmedArticle": true, "PubmedBookArticle": true, "MedlineCitation": true}
	return xmlRecords(r, names, e, func(d *xml.Decoder, se *xml.StartElement) (*rec, error) {
		switch se.Name.Local {
		case "PubmedArticle":
			var v struct {
				Citation medCitation `xml:"MedlineCitation"`
				Data     struct {
					IDs medArticleIDs `xml:"ArticleIdList"`
				} `xml:"PubmedData"`
			}
			if err := d.DecodeElement(&v, se); err != nil {
				return nil, err
			}
			r := citationRec(&v.Citation)
			for _, id := range v.Data.IDs.ArticleID {
				switch strings.ToLower(id.attr("IdType")) {
				case "doi":
					if r.doi == "" {
						r.doi = id.Text
					}
				case "pubmed":
					if r.pmid == "" {
						r.pmid = id.Text
					}
				}
			}
			return r, nil
		case "PubmedBookArticle":
			var v struct {
				Doc medBook `xml:"BookDocument"`
			}
			if err := d.DecodeElement(&v, se); err != nil {
				return nil, err
			}
			b := &v.Doc
			r := &rec{
				title:    string(b.ArticleTitle),
				pmid:     string(b.PMID),
				abstract: b.Abstract.String(),
				year:     year(string(b.Book.PubDate.Year) + " " + string(b.Book.PubDate.MedlineDate)),
			}
			if r.title == "" {
				r.title = string(b.Book.BookTitle)
				r.venue = string(b.Book.Publisher.Name)
			} else {
				r.venue = string(b.Book.BookTitle)
			}
			authors := b.AuthorList.Author
			if len(authors) == 0 {
				authors = b.Book.AuthorList.Author
			}
			for _, a := range authors {
				r.authors = append(r.authors, a.String())
			}
			if len(b.Language) > 0 {
				r.lang = string(b.Language[0])
			}
			for _, kl := range b.KeywordList {
				for _, k := range kl.Keyword {
					r.keywords = append(r.keywords, string(k))
				}
			}
			for _, id := range b.ArticleIDList.ArticleID {
				if strings.EqualFold(id.attr("IdType"), "doi") && r.doi == "" {
					r.doi = id.Text
				}
			}
			return r, nil
		}
		var c medCitation
		if err := d.DecodeElement(&c, se); err != nil {
			return nil, err
		}
		return citationRec(&c), nil
	})
}

func citationRec(c *medCitation) *rec {
	a := &c.Article
	r := &rec{
		title:    string(a.ArticleTitle),
		pmid:     string(c.PMID),
		venue:    string(a.Journal.Title),
		abstract: a.Abstract.String(),
	}
	if r.title == "" {
		r.title = string(a.VernacularTitle)
	}
	if r.venue == "" {
		r.venue = string(a.Journal.ISOAbbrev)
	}
	if r.venue == "" {
		r.venue = string(c.MedlineJournalInfo.MedlineTA)
	}
	pd := a.Journal.JournalIssue.PubDate
	r.year = year(string(pd.Year))
	if r.year == 0 {
		r.year = year(string(pd.MedlineDate))
	}
	for _, ad := range a.ArticleDate {
		if r.year == 0 {
			r.year = year(string(ad.Year))
		}
	}
	for _, au := range a.AuthorList.Author {
		r.authors = append(r.authors, au.String())
	}
	if len(a.Language) > 0 {
		r.lang = string(a.Language[0])
	}
	for _, id := range a.ELocationID {
		if strings.EqualFold(id.attr("EIdType"), "doi") {
			r.doi = id.Text
			break
		}
	}
	for _, kl := range c.KeywordList {
		for _, k := range kl.Keyword {
			r.keywords = append(r.keywords, string(k))
		}
	}
	for _, m := range c.MeshHeadingList.MeshHeading {
		r.keywords = append(r.keywords, string(m.DescriptorName))
	}
	return r
}

type endNoteRecord struct {
	Titles struct {
		Title          xmlText `xml:"title"`
		SecondaryTitle xmlText `xml:"secondary-title"`
	} `xml:"titles"`
	Periodical struct {
		FullTitle xmlText `xml:"full-title"`
		Abbr      xmlText `xml:"abbr-1"`
	} `xml:"periodical"`
	Contributors struct {
		Authors struct {
			Author []xmlText `xml:"author"`
		} `xml:"authors"`
	} `xml:"contributors"`
	Dates struct {
		Year xmlText `xml:"year"`
	} `xml:"dates"`
	Abstract xmlText `xml:"abstract"`
	Keywords struct {
		Keyword []xmlText `xml:"keyword"`
	} `xml:"keywords"`
	DOI       xmlText `xml:"electronic-resource-num"`
	Accession xmlText `xml:"accession-num"`
	RemoteDB  xmlText `xml:"remote-database-name"`
	Language  xmlText `xml:"language"`
	Notes     xmlText `xml:"notes"`
}

// readEndNote reads EndNote XML (<xml><records><record>...). Values may be
// wrapped in <style> elements; only their text is kept.
//
// Fields: title titles/title; authors contributors/authors/author; year
// dates/year; venue periodical/full-title (else titles/secondary-title,
// periodical/abbr-1); DOI electronic-resource-num; PMID accession-num when
// the remote database is PubMed/MEDLINE, or "PMID: n" in notes; abstract;
// keywords; language.
func readEndNote(r io.Reader, e *emitter) error {
	return xmlRecords(r, map[string]bool{"record": true}, e, func(d *xml.Decoder, se *xml.StartElement) (*rec, error) {
		var v endNoteRecord
		if err := d.DecodeElement(&v, se); err != nil {
			return nil, err
		}
		r := &rec{
			title:    string(v.Titles.Title),
			venue:    string(v.Periodical.FullTitle),
			abstract: string(v.Abstract),
			doi:      string(v.DOI),
			lang:     string(v.Language),
			year:     year(string(v.Dates.Year)),
		}
		if r.venue == "" {
			r.venue = string(v.Titles.SecondaryTitle)
		}
		if r.venue == "" {
			r.venue = string(v.Periodical.Abbr)
		}
		for _, a := range v.Contributors.Authors.Author {
			r.authors = append(r.authors, string(a))
		}
		for _, k := range v.Keywords.Keyword {
			r.keywords = append(r.keywords, string(k))
		}
		db := strings.ToLower(string(v.RemoteDB))
		if strings.Contains(db, "pubmed") || strings.Contains(db, "medline") || strings.Contains(db, "nlm") {
			r.pmid = string(v.Accession)
		}
		if n := string(v.Notes); r.pmid == "" && strings.Contains(strings.ToUpper(n), "PMID:") {
			i := strings.Index(strings.ToUpper(n), "PMID:")
			if f := strings.Fields(n[i+5:]); len(f) > 0 {
				r.pmid = strings.TrimRight(f[0], ".;,")
			}
		}
		return r, nil
	})
}
