package ingest

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/peermap/peermap/ingest/refs"
)

// The formats Sniff returns for documents this package reads itself.
// Reference exports get the format name refs.Detect gives them.
const (
	FormatPDF      = "pdf"
	FormatHTML     = "html"
	FormatJATS     = "jats"
	FormatTEI      = "tei"
	FormatDOCX     = "docx"
	FormatText     = "text"
	FormatMarkdown = "markdown"
)

// Sniff returns the format of a file from its first bytes (head; 4 KiB or
// more is best) and its name: "pdf", "html", "jats", "tei", "docx", "text",
// "markdown", a reference-export format (as refs.Detect names it), or "" if
// peermap does not read it. Content decides (magic bytes, XML root element,
// HTML markup); the extension only breaks ties.
func Sniff(head []byte, name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if i := bytes.Index(head[:min(len(head), 1024)], []byte("%PDF-")); i >= 0 {
		return FormatPDF
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		if ext == ".docx" || bytes.Contains(head, []byte("word/")) {
			return FormatDOCX
		}
		return ""
	}
	if isBinary(head) {
		return ""
	}
	body := skipBOM(head)
	if root, doctype, ok := xmlRoot(body); ok {
		switch {
		case root == "article" || strings.Contains(doctype, "jats") || strings.Contains(doctype, "nlm//dtd journal"):
			return FormatJATS
		case root == "tei" || root == "teicorpus":
			return FormatTEI
		case root == "html" || root == "head" || root == "body" || strings.HasPrefix(doctype, "html"):
			return FormatHTML
		}
		if f := refs.Detect(head, name); f != "" {
			return f
		}
		if isHTMLish(body) {
			return FormatHTML
		}
		if ext == ".html" || ext == ".htm" || ext == ".xhtml" {
			return FormatHTML
		}
		return ""
	}
	if f := refs.Detect(head, name); f != "" {
		return f
	}
	if isHTMLish(body) {
		return FormatHTML
	}
	switch ext {
	case ".md", ".markdown", ".mdown", ".rmd", ".qmd":
		return FormatMarkdown
	case ".txt", ".text":
		return FormatText
	}
	if looksMarkdown(body) {
		return FormatMarkdown
	}
	return FormatText
}

// isBinary reports whether head looks like a binary file: a NUL byte, a
// known binary magic number, or too many bytes that are neither text in
// UTF-8 nor in a single-byte legacy encoding.
func isBinary(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	for _, m := range [][]byte{
		{0xD0, 0xCF, 0x11, 0xE0}, // OLE2 (.doc, .xls)
		{0x1F, 0x8B},             // gzip
		[]byte("\x89PNG"), {0xFF, 0xD8, 0xFF}, []byte("GIF8"),
		[]byte("7z\xBC\xAF"), []byte("Rar!"), []byte("BZh"),
		[]byte("{\\rtf"),
	} {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return false // UTF-16 BOM: text
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			ctl++
		}
	}
	return ctl*20 > len(head)
}

func skipBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
}

// xmlRoot returns the lower-cased local name of the first element of an
// XML or HTML document and its lower-cased DOCTYPE text, skipping the XML
// declaration, processing instructions, comments and white space. ok is
// false if b does not start with markup.
func xmlRoot(b []byte) (root, doctype string, ok bool) {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '<' {
		return "", "", false
	}
	for len(b) > 0 {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return "", doctype, true
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b, []byte("-->"))
			if i < 0 {
				return "", doctype, true
			}
			b = b[i+3:]
		case bytes.HasPrefix(b, []byte("<!")):
			i := bytes.IndexByte(b, '>')
			if i < 0 {
				i = len(b) - 1
			}
			end := i
			if j := bytes.IndexByte(b[:i], '['); j >= 0 {
				// An internal subset ("<!DOCTYPE article [<!ENTITY ...>]>")
				// holds '>': the declaration ends at "]>".
				i, end = subsetEnd(b, j), j-1
			}
			d := strings.ToLower(string(b[2 : end+1]))
			d = strings.TrimPrefix(d, "doctype")
			doctype = strings.TrimSpace(d)
			b = b[i+1:]
		case bytes.HasPrefix(b, []byte("<")):
			j := 1
			for j < len(b) && !strings.ContainsRune(" \t\r\n/>", rune(b[j])) {
				j++
			}
			name := strings.ToLower(string(b[1:j]))
			if k := strings.LastIndexByte(name, ':'); k >= 0 {
				name = name[k+1:]
			}
			return name, doctype, true
		default:
			return "", doctype, doctype != ""
		}
	}
	return "", doctype, true
}

// subsetEnd returns the index of the '>' that closes a DOCTYPE whose
// internal subset opens at b[open] ('['): the first ']' followed, after
// white space, by '>'; len(b)-1 if there is none.
func subsetEnd(b []byte, open int) int {
	for i := open + 1; i < len(b); i++ {
		if b[i] != ']' {
			continue
		}
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n') {
			j++
		}
		if j < len(b) && b[j] == '>' {
			return j
		}
	}
	return len(b) - 1
}

// isHTMLish reports whether b starts (after space and comments) with markup
// that only HTML has, or holds an <html or <body tag early on.
func isHTMLish(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	lower := bytes.ToLower(b[:min(len(b), 2048)])
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<script", "<style", "<div", "<p>", "<p ", "<table", "<h1", "<a ", "<br", "<iframe", "<font", "<b>"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	return bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body"))
}

// looksMarkdown reports whether text without a telling extension reads as
// Markdown: front matter or ATX headings at the start of lines.
func looksMarkdown(b []byte) bool {
	if bytes.HasPrefix(b, []byte("---\n")) || bytes.HasPrefix(b, []byte("---\r\n")) || bytes.HasPrefix(b, []byte("+++")) {
		return true
	}
	n := 0
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if len(line) > 2 && line[0] == '#' {
			t := bytes.TrimLeft(line, "#")
			if len(line)-len(t) <= 6 && len(t) > 0 && t[0] == ' ' {
				n++
			}
		}
		if bytes.Contains(line, []byte("](")) {
			n++
		}
	}
	return n >= 2
}
