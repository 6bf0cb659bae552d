package qda

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// ReadOptions bound what a reader accepts. The zero value is usable.
type ReadOptions struct {
	MaxEntry int64 // largest project.qde or source file, in bytes; 0 means 256 MiB
}

func (o ReadOptions) maxEntry() int64 {
	if o.MaxEntry > 0 {
		return o.MaxEntry
	}
	return 256 << 20
}

// ReadProject parses a project.qde document. It does not load source
// texts (ReadQDPX does); it fails if the root is not a QDA-XML 1.0 Project.
func ReadProject(r io.Reader) (*Project, error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	var p Project
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("read project: %w", err)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("read project: %w", err)
	}
	return &p, nil
}

// check reports GUIDs the schema requires and selections that cannot be
// ranges of a text.
func (p *Project) check() error {
	var errs []error
	var codes func(cs []Code, at string)
	codes = func(cs []Code, at string) {
		for _, c := range cs {
			if normGUID(c.GUID) == "" {
				errs = append(errs, fmt.Errorf("code %q has no guid", at+c.Name))
			}
			codes(c.Children, at+c.Name+"/")
		}
	}
	codes(p.Codes, "")
	for _, s := range p.Sources {
		if normGUID(s.GUID) == "" {
			errs = append(errs, fmt.Errorf("text source %q has no guid", s.Name))
		}
		for _, sel := range s.Selections {
			if sel.Start < 0 || sel.End < sel.Start {
				errs = append(errs, fmt.Errorf("text source %q: selection %s: positions %d..%d are not a range", s.Name, sel.GUID, sel.Start, sel.End))
			}
		}
	}
	return errors.Join(errs...)
}

// ReadQDPX reads a .qdpx file: a zip holding one .qde project (normally
// project.qde) and its sources folder ("sources" or "Sources"). The plain
// text of every text source (and of every PDF source's representation,
// which is added to Sources) is loaded into Source.Text, without a
// byte-order mark. A source whose text is missing or external
// (relative:// or absolute:// paths) keeps an empty Text; Place reports
// its selections. Notes are loaded the same way.
func ReadQDPX(r io.ReaderAt, size int64, opts ReadOptions) (*Project, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("read qdpx: %w", err)
	}
	var qde *zip.File
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		name := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(f.Name, `\`, "/")), "/")
		files[strings.ToLower(name)] = f
		if !strings.Contains(name, "/") && strings.EqualFold(path.Ext(name), ".qde") && (qde == nil || strings.EqualFold(name, "project.qde")) {
			qde = f
		}
	}
	if qde == nil {
		return nil, fmt.Errorf("read qdpx: no project.qde in the archive")
	}
	data, err := readEntry(qde, opts.maxEntry())
	if err != nil {
		return nil, fmt.Errorf("read qdpx: %w", err)
	}
	p, err := ReadProject(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read qdpx: %w", err)
	}
	crlfOne := strings.Contains(strings.ToLower(p.Origin), "atlas")
	load := func(s *Source) error {
		s.CRLFIsOne = crlfOne
		if s.Content != "" {
			s.Text = strings.TrimPrefix(s.Content, "\ufeff")
			return nil
		}
		rest, ok := strings.CutPrefix(s.PlainTextPath, "internal://")
		if !ok {
			return nil
		}
		f := files["sources/"+strings.ToLower(strings.TrimPrefix(path.Clean("/"+rest), "/"))]
		if f == nil {
			return nil
		}
		b, err := readEntry(f, opts.maxEntry())
		if err != nil {
			return err
		}
		b = bytes.TrimPrefix(b, []byte("\ufeff"))
		if !utf8.Valid(b) {
			return fmt.Errorf("source %q (%s): text is not UTF-8", s.Name, f.Name)
		}
		s.Text = string(b)
		return nil
	}
	for i := range p.Sources {
		if err := load(&p.Sources[i]); err != nil {
			return nil, fmt.Errorf("read qdpx: %w", err)
		}
	}
	for _, pdf := range p.PDFSources {
		if pdf.Representation == nil {
			continue
		}
		rep := *pdf.Representation
		rep.GUID, rep.Name = pdf.GUID, pdf.Name
		if err := load(&rep); err != nil {
			return nil, fmt.Errorf("read qdpx: %w", err)
		}
		p.Sources = append(p.Sources, rep)
	}
	p.PDFSources = nil
	for i := range p.Notes {
		if err := load(&p.Notes[i]); err != nil {
			return nil, fmt.Errorf("read qdpx: %w", err)
		}
	}
	return p, nil
}

func readEntry(f *zip.File, max int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s: %d bytes, over the limit of %d", f.Name, f.UncompressedSize64, max)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: over the limit of %d bytes", f.Name, max)
	}
	return b, nil
}

// ReadCodebook reads the codes of a .qdc codebook (urn:QDA-XML:codebook:1.0)
// or of a project.qde, and the origin (the tool that wrote it).
func ReadCodebook(r io.Reader) ([]Code, string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, "", fmt.Errorf("read codebook: %w", err)
	}
	var root struct{ XMLName xml.Name }
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	if err := d.Decode(&root); err != nil {
		return nil, "", fmt.Errorf("read codebook: %w", err)
	}
	switch root.XMLName {
	case xml.Name{Space: ProjectNS, Local: "Project"}:
		p, err := ReadProject(bytes.NewReader(data))
		if err != nil {
			return nil, "", fmt.Errorf("read codebook: %w", err)
		}
		return p.Codes, p.Origin, nil
	case xml.Name{Space: CodebookNS, Local: "CodeBook"}:
	default:
		return nil, "", fmt.Errorf("read codebook: root element is {%s}%s, want {%s}CodeBook", root.XMLName.Space, root.XMLName.Local, CodebookNS)
	}
	var b qdcBook
	d = xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	if err := d.Decode(&b); err != nil {
		return nil, "", fmt.Errorf("read codebook: %w", err)
	}
	codes := fromQDC(b.Codes)
	p := Project{Codes: codes}
	if err := p.check(); err != nil {
		return nil, "", fmt.Errorf("read codebook: %w", err)
	}
	return codes, b.Origin, nil
}

func fromQDC(cs []qdcCode) []Code {
	var out []Code
	for _, c := range cs {
		out = append(out, Code{GUID: c.GUID, Name: c.Name, IsCodable: c.IsCodable, Color: c.Color, Description: c.Description, Children: fromQDC(c.Children)})
	}
	return out
}

func toQDC(cs []Code) []qdcCode {
	var out []qdcCode
	for _, c := range cs {
		out = append(out, qdcCode{GUID: c.GUID, Name: c.Name, IsCodable: codable(c), Color: c.Color, Description: c.Description, Children: toQDC(c.Children)})
	}
	return out
}

func codable(c Code) string {
	if c.Codable() {
		return "true"
	}
	return "false"
}
