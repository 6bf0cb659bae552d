package qda

import "encoding/xml"

// Namespaces of the two REFI-QDA (QDA-XML 1.0) documents.
const (
	ProjectNS  = "urn:QDA-XML:project:1.0"
	CodebookNS = "urn:QDA-XML:codebook:1.0"
)

// A Project is a REFI-QDA project: the project.qde document of a .qdpx
// file, with the plain text of its text sources loaded. Its fields follow
// Project-mrt2019.xsd in element order, so encoding/xml writes a valid
// document. Variables, cases, links and graphs are not read (a tool that
// exports them loses them on a round trip through peermap).
type Project struct {
	Name          string
	Origin        string
	CreatingUser  string
	Created       string
	ModifyingUser string
	Modified      string
	Users         []User
	Codes         []Code
	Sources       []Source
	// PDFSources are read for their plain-text Representation, which
	// ReadQDPX adds to Sources; they are never written.
	PDFSources []PDFSource
	// Media counts the picture, audio and video sources read; they are
	// never written.
	Media       int
	Notes       []Source
	Sets        []Set
	Description string
}

// projectXML is the wire form of a Project: wrappers are pointers so that
// an empty list writes no empty wrapper element (the schema wants at least
// one child in each).
type projectXML struct {
	XMLName       xml.Name     `xml:"urn:QDA-XML:project:1.0 Project"`
	Name          string       `xml:"name,attr"`
	Origin        string       `xml:"origin,attr,omitempty"`
	CreatingUser  string       `xml:"creatingUserGUID,attr,omitempty"`
	Created       string       `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser string       `xml:"modifyingUserGUID,attr,omitempty"`
	Modified      string       `xml:"modifiedDateTime,attr,omitempty"`
	Users         *usersXML    `xml:"Users"`
	CodeBook      *codeBookXML `xml:"CodeBook"`
	Sources       *sourcesXML  `xml:"Sources"`
	Notes         *notesXML    `xml:"Notes"`
	Sets          *setsXML     `xml:"Sets"`
	Description   string       `xml:"Description,omitempty"`
}

type usersXML struct {
	Users []User `xml:"User"`
}

type codeBookXML struct {
	Codes []Code `xml:"Codes>Code"`
}

type sourcesXML struct {
	Text  []Source      `xml:"TextSource"`
	PDF   []PDFSource   `xml:"PDFSource"`
	Media []MediaSource `xml:"PictureSource"`
	Audio []MediaSource `xml:"AudioSource"`
	Video []MediaSource `xml:"VideoSource"`
}

type notesXML struct {
	Notes []Source `xml:"Note"`
}

type setsXML struct {
	Sets []Set `xml:"Set"`
}

// MarshalXML writes p in the schema's element order; lists that are empty
// are left out with their wrapper. PDF and media sources are not written.
func (p Project) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	w := projectXML{Name: p.Name, Origin: p.Origin, CreatingUser: p.CreatingUser, Created: p.Created,
		ModifyingUser: p.ModifyingUser, Modified: p.Modified, Description: p.Description}
	if len(p.Users) > 0 {
		w.Users = &usersXML{p.Users}
	}
	if len(p.Codes) > 0 {
		w.CodeBook = &codeBookXML{p.Codes}
	}
	if len(p.Sources) > 0 {
		w.Sources = &sourcesXML{Text: p.Sources}
	}
	if len(p.Notes) > 0 {
		w.Notes = &notesXML{p.Notes}
	}
	if len(p.Sets) > 0 {
		w.Sets = &setsXML{p.Sets}
	}
	return e.Encode(w)
}

// UnmarshalXML reads a Project element of the QDA-XML 1.0 namespace.
func (p *Project) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var w projectXML
	if err := d.DecodeElement(&w, &start); err != nil {
		return err
	}
	*p = Project{Name: w.Name, Origin: w.Origin, CreatingUser: w.CreatingUser, Created: w.Created,
		ModifyingUser: w.ModifyingUser, Modified: w.Modified, Description: w.Description}
	if w.Users != nil {
		p.Users = w.Users.Users
	}
	if w.CodeBook != nil {
		p.Codes = w.CodeBook.Codes
	}
	if w.Sources != nil {
		p.Sources, p.PDFSources = w.Sources.Text, w.Sources.PDF
		p.Media = len(w.Sources.Media) + len(w.Sources.Audio) + len(w.Sources.Video)
	}
	if w.Notes != nil {
		p.Notes = w.Notes.Notes
	}
	if w.Sets != nil {
		p.Sets = w.Sets.Sets
	}
	return nil
}

// A User is a person (or program) who made codings.
type User struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
	ID   string `xml:"id,attr,omitempty"`
}

// A Code is one code of the codebook, with its sub-codes. A code that is
// not codable only groups others (a category, a dimension).
type Code struct {
	GUID        string `xml:"guid,attr"`
	Name        string `xml:"name,attr"`
	IsCodable   string `xml:"isCodable,attr"` // "true" or "false"; required by the schema
	Color       string `xml:"color,attr,omitempty"`
	Description string `xml:"Description,omitempty"`
	NoteRefs    []Ref  `xml:"NoteRef"`
	Children    []Code `xml:"Code"`
}

// Codable reports whether c may be applied to data. The attribute is
// required by the schema; when a tool leaves it out, the code counts as
// codable (as QualCoder reads it).
func (c Code) Codable() bool { return c.IsCodable != "false" && c.IsCodable != "0" }

// A Source is a TextSource (or a Note, which has the same type): a plain
// text, in the project (PlainTextContent) or in the .qdpx's sources/
// folder (PlainTextPath "internal://<file>"), and its coded selections.
type Source struct {
	GUID          string `xml:"guid,attr"`
	Name          string `xml:"name,attr,omitempty"`
	RichTextPath  string `xml:"richTextPath,attr,omitempty"`
	PlainTextPath string `xml:"plainTextPath,attr,omitempty"`
	CreatingUser  string `xml:"creatingUser,attr,omitempty"`
	Created       string `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser string `xml:"modifyingUser,attr,omitempty"`
	Modified      string `xml:"modifiedDateTime,attr,omitempty"`

	Description string      `xml:"Description,omitempty"`
	Content     string      `xml:"PlainTextContent,omitempty"`
	Selections  []Selection `xml:"PlainTextSelection"`
	Codings     []Coding    `xml:"Coding"` // codings of the whole source
	NoteRefs    []Ref       `xml:"NoteRef"`

	// Text is the source's plain text: Content, or the file PlainTextPath
	// names, without a byte-order mark. Selections count its code points.
	Text string `xml:"-"`
	// CRLFIsOne is set when the exporting tool counts a CR LF line break in
	// Text as one character (ATLAS.ti does) instead of two.
	CRLFIsOne bool `xml:"-"`
}

// A PDFSource is read only for its plain-text representation.
type PDFSource struct {
	GUID           string  `xml:"guid,attr"`
	Name           string  `xml:"name,attr,omitempty"`
	Description    string  `xml:"Description,omitempty"`
	Representation *Source `xml:"Representation"`
}

// A MediaSource is a picture, audio or video source; peermap only counts them.
type MediaSource struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr,omitempty"`
}

// A Selection is a range of a text source: [Start, End) in Unicode code
// points of the source's plain text, the first code point being 0.
type Selection struct {
	GUID          string `xml:"guid,attr"`
	Name          string `xml:"name,attr,omitempty"`
	Start         int    `xml:"startPosition,attr"`
	End           int    `xml:"endPosition,attr"`
	CreatingUser  string `xml:"creatingUser,attr,omitempty"`
	Created       string `xml:"creationDateTime,attr,omitempty"`
	ModifyingUser string `xml:"modifyingUser,attr,omitempty"`
	Modified      string `xml:"modifiedDateTime,attr,omitempty"`

	Description string   `xml:"Description,omitempty"`
	Codings     []Coding `xml:"Coding"`
	NoteRefs    []Ref    `xml:"NoteRef"`
}

// A Coding applies a code to its selection (or source).
type Coding struct {
	GUID         string `xml:"guid,attr"`
	CreatingUser string `xml:"creatingUser,attr,omitempty"`
	Created      string `xml:"creationDateTime,attr,omitempty"`
	CodeRef      Ref    `xml:"CodeRef"`
	NoteRefs     []Ref  `xml:"NoteRef"`
}

// A Ref points to a code, note or source by GUID.
type Ref struct {
	Target string `xml:"targetGUID,attr"`
}

// A Set is a named group of codes, sources or notes.
type Set struct {
	GUID          string `xml:"guid,attr"`
	Name          string `xml:"name,attr"`
	Description   string `xml:"Description,omitempty"`
	MemberCodes   []Ref  `xml:"MemberCode"`
	MemberSources []Ref  `xml:"MemberSource"`
	MemberNotes   []Ref  `xml:"MemberNote"`
}

// qdcBook is the root of a .qdc codebook file (urn:QDA-XML:codebook:1.0).
// Its codes have no NoteRef (the codebook schema has none).
type qdcBook struct {
	XMLName xml.Name  `xml:"urn:QDA-XML:codebook:1.0 CodeBook"`
	Origin  string    `xml:"origin,attr,omitempty"`
	Codes   []qdcCode `xml:"Codes>Code"`
}

type qdcCode struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	IsCodable   string    `xml:"isCodable,attr"`
	Color       string    `xml:"color,attr,omitempty"`
	Description string    `xml:"Description,omitempty"`
	Children    []qdcCode `xml:"Code"`
}
