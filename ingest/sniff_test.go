package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name, file, head, want string
	}{
		{"pdf", "a.bin", "%PDF-1.7\n", FormatPDF},
		{"pdf with junk before header", "a.pdf", "garbage\r\n%PDF-2.0\n", FormatPDF},
		{"pdf named txt", "a.txt", "%PDF-1.4", FormatPDF},
		{"docx by name", "a.docx", "PK\x03\x04xxxx", FormatDOCX},
		{"docx by member", "a", "PK\x03\x04....word/document.xml", FormatDOCX},
		{"other zip", "a.zip", "PK\x03\x04....xl/workbook.xml", ""},
		{"doc (OLE)", "a.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", ""},
		{"png", "a.html", "\x89PNG\r\n\x1a\n\x00\x00", ""},
		{"jats", "a.xml", `<?xml version="1.0"?><!DOCTYPE article PUBLIC "-//NLM//DTD JATS"><article>`, FormatJATS},
		{"jats nxml, no declaration", "a.nxml", `<!DOCTYPE article PUBLIC "-//NLM//DTD Journal Archiving and Interchange DTD v2.3//EN" "archivearticle.dtd"><article>`, FormatJATS},
		{"tei", "a.xml", "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">", FormatTEI},
		{"tei with prefix and comment", "a", "<!-- grobid --><tei:TEI>", FormatTEI},
		{"html doctype", "a.txt", "<!DOCTYPE html><html>", FormatHTML},
		{"html with BOM", "a", "\xEF\xBB\xBF<html><body>", FormatHTML},
		{"xhtml", "a.xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">`, FormatHTML},
		{"html fragment", "a", "<p>Hello</p>", FormatHTML},
		{"html comment first", "a.htm", "<!-- saved --><div>x</div>", FormatHTML},
		{"markdown by name", "a.md", "Hello", FormatMarkdown},
		{"markdown comment first", "a.md", "<!-- meta -->\n# Title\n", FormatMarkdown},
		{"markdown by content", "README", "---\ntitle: x\n---\n# A\n", FormatMarkdown},
		{"text", "notes", "Peer workers visit homes.", FormatText},
		{"text by name", "a.txt", "# not a heading\nplain", FormatText},
		{"ris", "a.txt", "TY  - JOUR\nTI  - x\nER  - \n", "ris"},
		{"unknown xml", "a.xml", "<?xml version=\"1.0\"?><svg/>", ""},
		// A DOCTYPE with an internal subset holds '>' (billion laughs).
		{"jats with internal subset", "a.xml", `<?xml version="1.0"?><!DOCTYPE article [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><article><body>`, FormatJATS},
		{"tei with internal subset", "a.xml", "<!DOCTYPE TEI [\n<!ENTITY lol \"lol\">\n] >\n<TEI><text><body>", FormatTEI},
		{"subset never closed", "a.xml", `<!DOCTYPE article [<!ENTITY a "x">`, ""},
		{"empty", "a", "", FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff([]byte(tt.head), tt.file); got != tt.want {
				t.Errorf("Sniff(%q, %q) = %q, want %q", tt.head, tt.file, got, tt.want)
			}
		})
	}
}

// TestSniffCorpus checks the format of every file in the shared corpus
// folders against its folder.
func TestSniffCorpus(t *testing.T) {
	want := map[string]string{"html": FormatHTML, "jats": FormatJATS, "tei": FormatTEI, "pdf": FormatPDF}
	for _, f := range corpusFiles(t, "html", "jats", "pdf", "peer/html", "peer/jats", "peer/tei", "peer/text") {
		head := make([]byte, sniffLen)
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := fh.Read(head)
		fh.Close()
		got := Sniff(head[:n], f)
		w := want[filepath.Base(filepath.Dir(f))]
		if w == "" { // peer/text
			w = FormatText
			if strings.HasSuffix(f, ".md") {
				w = FormatMarkdown
			}
		}
		if got != w {
			t.Errorf("Sniff(%s) = %q, want %q", f, got, w)
		}
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(p, data string) {
		t.Helper()
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"b.txt", "a/z.html", "a/y.md", ".hidden/x.txt", "a/.dot.txt", "c/d/e.xml", "README.md", "c/SOURCES.md", "c/d/keep.md", "drafts/x.pdf"} {
		write(p, "x")
	}
	explicit := filepath.Join(dir, "a", ".dot.txt")
	tests := []struct {
		name    string
		ignore  string // .peermapignore of dir/c, "" for none
		exclude []string
		want    string
		skipped int
	}{
		{"everything", "", nil, "README.md a/y.md a/z.html b.txt c/SOURCES.md c/d/e.xml c/d/keep.md drafts/x.pdf a/.dot.txt", 0},
		{"exclude a pattern", "", []string{"*.md"}, "a/z.html b.txt c/d/e.xml drafts/x.pdf a/.dot.txt", 4},
		{"exclude a folder", "", []string{"drafts/"}, "README.md a/y.md a/z.html b.txt c/SOURCES.md c/d/e.xml c/d/keep.md a/.dot.txt", 0},
		{"exclude the named file too", "", []string{".dot.txt"}, "README.md a/y.md a/z.html b.txt c/SOURCES.md c/d/e.xml c/d/keep.md drafts/x.pdf", 1},
		{"ignore file in a sub-folder", "*.md\n!keep.md\n# a comment\n", nil, "README.md a/y.md a/z.html b.txt c/d/e.xml c/d/keep.md drafts/x.pdf a/.dot.txt", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ign := filepath.Join(dir, "c", IgnoreFile)
			os.Remove(ign)
			if tt.ignore != "" {
				write(filepath.Join("c", IgnoreFile), strings.ReplaceAll(tt.ignore, `\n`, "\n"))
			}
			got, err := Walk([]string{dir, explicit}, WalkOptions{Exclude: tt.exclude})
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, g := range got.Files {
				r, _ := filepath.Rel(dir, g)
				rel = append(rel, filepath.ToSlash(r))
			}
			if strings.Join(rel, " ") != tt.want || got.Excluded != tt.skipped {
				t.Errorf("Walk = %q (%d excluded), want %q (%d)", rel, got.Excluded, tt.want, tt.skipped)
			}
		})
	}
	if _, err := Walk([]string{filepath.Join(dir, "missing")}, WalkOptions{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Walk(missing) error = %v", err)
	}
	if os.Getuid() != 0 { // root reads every folder
		locked := filepath.Join(dir, "locked")
		os.Mkdir(locked, 0o000)
		defer os.Chmod(locked, 0o755)
		got, err := Walk([]string{dir}, WalkOptions{})
		if err != nil || len(got.Problems) != 1 || got.Problems[0].Path != locked {
			t.Errorf("Walk with an unreadable folder = %+v, %v; want one problem at %s", got.Problems, err, locked)
		}
	}
}
