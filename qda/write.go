package qda

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// zipTime is the modification time of every entry peermap writes, so the
// same project gives the same bytes.
var zipTime = time.Date(2019, 3, 18, 0, 0, 0, 0, time.UTC)

// WriteProject writes p as a project.qde document (UTF-8, indented). Only
// text sources, notes, users, codes and sets are written: PDF and media
// sources a project was read with are left out.
func WriteProject(w io.Writer, p *Project) error {
	q := *p
	q.Codes = withCodable(q.Codes)
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", " ")
	if err := enc.Encode(&q); err != nil {
		return fmt.Errorf("write project: %w", err)
	}
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write project: %w", err)
	}
	return nil
}

// withCodable returns cs with isCodable always spelled "true" or "false".
func withCodable(cs []Code) []Code {
	out := make([]Code, len(cs))
	for i, c := range cs {
		c.IsCodable = codable(c)
		c.Children = withCodable(c.Children)
		out[i] = c
	}
	return out
}

// WriteQDPX writes p as a .qdpx zip: project.qde, then the plain text of
// every text source and note that has a plainTextPath "internal://NAME"
// as sources/NAME (UTF-8, no byte-order mark, the text exactly as in
// Source.Text, so that positions count its code points).
func WriteQDPX(w io.Writer, p *Project) error {
	zw := zip.NewWriter(w)
	create := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	}
	f, err := create("project.qde")
	if err != nil {
		return fmt.Errorf("write qdpx: %w", err)
	}
	if err := WriteProject(f, p); err != nil {
		return fmt.Errorf("write qdpx: %w", err)
	}
	seen := map[string]bool{}
	for _, ss := range [][]Source{p.Sources, p.Notes} {
		for _, s := range ss {
			rest, ok := strings.CutPrefix(s.PlainTextPath, "internal://")
			if !ok || s.Content != "" {
				continue
			}
			name := "sources/" + strings.TrimPrefix(path.Clean("/"+rest), "/")
			if seen[strings.ToLower(name)] {
				return fmt.Errorf("write qdpx: two sources are both %s", name)
			}
			seen[strings.ToLower(name)] = true
			f, err := create(name)
			if err != nil {
				return fmt.Errorf("write qdpx: %w", err)
			}
			if _, err := io.WriteString(f, s.Text); err != nil {
				return fmt.Errorf("write qdpx: %w", err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write qdpx: %w", err)
	}
	return nil
}

// WriteCodebook writes codes as a .qdc codebook (urn:QDA-XML:codebook:1.0).
// The codebook schema has no notes, so NoteRefs are left out.
func WriteCodebook(w io.Writer, codes []Code, origin string) error {
	b := qdcBook{Origin: origin, Codes: toQDC(codes)}
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", " ")
	if err := enc.Encode(&b); err != nil {
		return fmt.Errorf("write codebook: %w", err)
	}
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write codebook: %w", err)
	}
	return nil
}
