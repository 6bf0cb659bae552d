package ingest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// An xnode is an element of a parsed XML document, or a text node when
// name is "".
type xnode struct {
	name  string // local name; "" for text
	attrs []xml.Attr
	kids  []*xnode
	text  string
}

// maxXMLDepth bounds nesting so hostile input cannot exhaust the stack.
const maxXMLDepth = 512

// parseXML reads an XML document into a tree with the streaming decoder,
// leniently: non-strict, HTML entities known, unknown entities kept as
// text, and any declared encoding the charset package knows. A document
// cut short keeps what was read; err is set only if no element was read.
// Once ctx ends it stops and returns ctx's error.
func parseXML(ctx context.Context, data []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	root := &xnode{name: "#document"}
	stack := []*xnode{root}
	var firstErr error
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		tok, err := d.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				firstErr = err
			}
			break
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name.Local, attrs: t.Attr}
			top.kids = append(top.kids, n)
			if len(stack) < maxXMLDepth {
				stack = append(stack, n)
			}
		case xml.EndElement:
			// Pop to the matching element, tolerating stray end tags.
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].name == t.Name.Local {
					stack = stack[:i]
					break
				}
			}
		case xml.CharData:
			if len(t) > 0 {
				top.kids = append(top.kids, &xnode{text: string(t)})
			}
		}
	}
	if firstElem(root) == nil {
		if firstErr == nil {
			firstErr = errors.New("no XML element")
		}
		return nil, firstErr
	}
	return root, nil
}

func firstElem(n *xnode) *xnode {
	for _, k := range n.kids {
		if k.name != "" {
			return k
		}
	}
	return nil
}

// attr returns the value of the attribute with local name key.
func (n *xnode) attr(key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}

// first returns the first descendant element (depth first) named name, or
// nil; "" matches nothing.
func (n *xnode) first(name string) *xnode {
	if n == nil || name == "" {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
		if f := k.first(name); f != nil {
			return f
		}
	}
	return nil
}

// all returns every descendant element named name, in document order,
// not looking inside matches.
func (n *xnode) all(name string) []*xnode {
	var out []*xnode
	var walk func(*xnode)
	walk = func(x *xnode) {
		for _, k := range x.kids {
			if k.name == name {
				out = append(out, k)
				continue
			}
			walk(k)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

// child returns the first child element named name.
func (n *xnode) child(name string) *xnode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// path follows child elements by name.
func (n *xnode) path(names ...string) *xnode {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

// textContent returns all text under n, with a space at the boundary of
// each element in spaced (like GROBID's <s>), white space collapsed.
func (n *xnode) textContent(skip map[string]bool, spaced map[string]bool) string {
	if n == nil {
		return ""
	}
	var sb strings.Builder
	var walk func(*xnode)
	walk = func(x *xnode) {
		if x.name == "" {
			sb.WriteString(x.text)
			return
		}
		if skip[x.name] {
			return
		}
		if spaced[x.name] {
			sb.WriteByte(' ')
		}
		for _, k := range x.kids {
			walk(k)
		}
		if spaced[x.name] {
			sb.WriteByte(' ')
		}
	}
	walk(n)
	return collapse(sb.String())
}

// plain returns the collapsed text under n.
func (n *xnode) plain() string { return n.textContent(nil, nil) }

// rawText returns the text under n like textContent but as it is in the
// file: not normalised, white space not collapsed. It is for scanning a
// whole document cheaply.
func (n *xnode) rawText(skip map[string]bool, spaced map[string]bool) string {
	if n == nil {
		return ""
	}
	var sb strings.Builder
	var walk func(*xnode, int)
	walk = func(x *xnode, depth int) {
		if x.name == "" {
			sb.WriteString(x.text)
			return
		}
		if skip[x.name] || depth > maxXMLDepth {
			return
		}
		if spaced[x.name] {
			sb.WriteByte(' ')
		}
		for _, k := range x.kids {
			walk(k, depth+1)
		}
		if spaced[x.name] {
			sb.WriteByte(' ')
		}
	}
	walk(n, 0)
	return sb.String()
}
