package ingest_test

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"go.uber.org/zap/zaptest"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest"
	"github.com/peermap/peermap/internal/peak"
)

// Hostile files through ingest.File, the entry point the pipeline calls for
// every file that is not a reference export. Each must end as a Document
// skipped with a reason, an ingested Document with clean text, or a clear
// error naming the file, without hanging and without holding a big file
// whole.

// mk makes one hostile file in dir and returns its path.
type mk func(t *testing.T, dir string) string

// sparse makes a file of size bytes whose first bytes are head and the rest
// a hole (zeros that take no disk and no time to write).
func sparse(name, head string, size int64) mk {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, name)
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		if _, err := fh.WriteString(head); err != nil {
			t.Fatal(err)
		}
		if err := fh.Truncate(size); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func file(name, body string) mk {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// zipOf makes a zip of the members, each written by its function.
func zipOf(name string, members map[string]func(w io.Writer)) mk {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, name)
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		zw := zip.NewWriter(fh)
		for _, n := range []string{"[Content_Types].xml", "word/document.xml", "docProps/core.xml"} {
			if f, ok := members[n]; ok {
				w, err := zw.Create(n)
				if err != nil {
					t.Fatal(err)
				}
				f(w)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// zeros writes n zero bytes.
func zeros(n int64) func(w io.Writer) {
	return func(w io.Writer) {
		buf := make([]byte, 1<<20)
		for ; n > 0; n -= int64(len(buf)) {
			w.Write(buf[:min(n, int64(len(buf)))])
		}
	}
}

func text(s string) func(w io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }

const docxBody = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Peer navigators help.</w:t></w:r></w:p>`

func laughs(root string) string {
	return `<!DOCTYPE ` + root + ` [<!ENTITY lol "lol">` +
		`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>`
}

// TestHostileFiles: each file ends skipped with the reason wanted, or
// ingested with clean text, or with an error wanted; big files are never
// held whole (peak heap below 32 MiB for files of 200 MB and DOCX parts
// that expand to 100 MB).
func TestHostileFiles(t *testing.T) {
	const big = 200 << 20
	// Five paragraphs fill the 8 KiB that Sniff reads (zeros there would
	// make any file binary).
	para := strings.Repeat("Peer support workers visit people at home and help them find care. ", 30) + "\n\n"
	tests := []struct {
		name     string
		make     mk
		skip     corpus.Skip // the skip wanted; NotSkipped means ingested
		reason   string      // in the skip detail, or the error when wantErr
		wantErr  bool
		maxHeapM uint64 // MiB the call may hold at once; 0 means no check
	}{
		{"200 MB of zeros (sparse)", sparse("zeros.txt", "", big), corpus.SkipUnsupported, "unsupported format", false, 32},
		{"200 MB text file", sparse("big.txt", strings.Repeat(para, 5), big), corpus.SkipTooLarge, "limit 67108864", false, 32},
		{"200 MB HTML page", sparse("big.html", "<!DOCTYPE html><html><body><p>"+strings.Repeat(para, 5), big), corpus.SkipTooLarge, "too large", false, 32},
		{"200 MB JATS article", sparse("big.xml", `<?xml version="1.0"?><article><body><p>`+strings.Repeat(para, 5), big), corpus.SkipTooLarge, "too large", false, 32},
		{"200 MB RIS export", sparse("big.ris", strings.Repeat("TY  - JOUR\nTI  - x\nER  - \n", 500), big), corpus.SkipUnsupported, "reference export: ris", false, 32},
		{"100k-deep HTML", file("deep.html", "<html><body>"+strings.Repeat("<div>", 100_000)+"peer navigator"+strings.Repeat("</div>", 100_000)+"</body></html>"),
			corpus.SkipInvalid, "open stack of elements exceeds 512 nodes", false, 0},
		{"100k-deep JATS", file("deep.xml", `<?xml version="1.0"?><article><body>`+strings.Repeat("<sec>", 100_000)+"<p>peer navigator</p>"+strings.Repeat("</sec>", 100_000)+"</body></article>"),
			corpus.SkipNoText, "no text found in jats", false, 0},
		{"billion laughs JATS", file("laughs.xml", `<?xml version="1.0"?>`+laughs("article")+`<article><front><article-meta><title-group><article-title>Peer &lol9; navigators</article-title></title-group></article-meta></front><body><p>Peer navigators &lol9; walk with patients.</p></body></article>`),
			corpus.NotSkipped, "", false, 4},
		{"billion laughs TEI", file("laughs.tei.xml", `<?xml version="1.0"?>`+laughs("TEI")+`<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Peer &lol9; support</title></titleStmt></fileDesc></teiHeader><text><body><p>Peer workers &lol9; help.</p></body></text></TEI>`),
			corpus.NotSkipped, "", false, 4},
		{"DOCX whose document.xml expands to 100 MB", zipOf("bomb.docx", map[string]func(io.Writer){"word/document.xml": func(w io.Writer) { io.WriteString(w, docxBody); zeros(100 << 20)(w) }}),
			corpus.SkipTooLarge, "word/document.xml: expands more than 100 times", false, 32},
		{"DOCX whose core.xml expands to 100 MB", zipOf("core.docx", map[string]func(io.Writer){"word/document.xml": text(docxBody + `</w:body></w:document>`), "docProps/core.xml": zeros(100 << 20)}),
			corpus.NotSkipped, "", false, 32},
		{"tar.gz bomb named .docx", tarBomb("bomb2.docx", 100<<20), corpus.SkipUnsupported, "unsupported format", false, 32},
		{"zip bomb named .zip", zipOf("bomb.zip", map[string]func(io.Writer){"[Content_Types].xml": zeros(100 << 20)}), corpus.SkipUnsupported, "unsupported format", false, 32},
		{"invalid UTF-8 and NUL bytes in text", file("bytes.txt", strings.Repeat(para, 5)+"Aidants pairs \xe9t\xe9 \xff\xfe nul\x00\x00 here \xc3\x28.\n"), corpus.NotSkipped, "", false, 0},
		{"NUL bytes at the start", file("nul.txt", "\x00\x00\x00peer support"), corpus.SkipUnsupported, "unsupported format", false, 0},
		{"symlink loop", func(t *testing.T, dir string) string {
			a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
			os.Symlink(b, a)
			os.Symlink(a, b)
			return a
		}, 0, "too many levels of symbolic links", true, 0},
		{"named pipe", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "fifo.txt")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			return p
		}, 0, "not a regular file", true, 0},
		{"unreadable file (/proc/self/mem)", func(t *testing.T, dir string) string {
			// Reading /proc/self/mem at offset 0 fails with EIO, even for
			// root: an unreadable file whatever the test runs as.
			if _, err := os.Stat("/proc/self/mem"); err != nil {
				t.Skipf("no /proc/self/mem: %v", err)
			}
			p := filepath.Join(dir, "mem.txt")
			os.Symlink("/proc/self/mem", p)
			return p
		}, 0, "input/output error", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.make(t, t.TempDir())
			opts := ingest.Options{Logger: zaptest.NewLogger(t), PDFToText: "-"}
			var (
				doc *corpus.Document
				ps  []corpus.Passage
				err error
			)
			done := make(chan struct{})
			var held uint64
			go func() {
				defer close(done)
				held = peak.Heap(func() { doc, ps, err = ingest.File(context.Background(), path, opts) })
			}()
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("ingest.File(%s) still running after 2 minutes: a hang", path)
			}
			switch {
			case tt.wantErr:
				if err == nil || !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), path) {
					t.Fatalf("err = %v, want one naming %s with %q", err, path, tt.reason)
				}
				return
			case err != nil:
				t.Fatalf("err = %v", err)
			case doc.Skip != tt.skip:
				t.Fatalf("skip = %v (%s), want %v", doc.Skip, doc.SkipDetail, tt.skip)
			case !strings.Contains(doc.SkipDetail, tt.reason):
				t.Errorf("skip detail %q, want it to hold %q", doc.SkipDetail, tt.reason)
			}
			if doc.Skip != corpus.NotSkipped && len(ps) > 0 {
				t.Errorf("skipped with %d passages", len(ps))
			}
			if doc.Skip == corpus.NotSkipped {
				if len(ps) == 0 || !utf8.ValidString(doc.Text) || strings.ContainsRune(doc.Text, 0) || strings.Contains(doc.Text, "lollol") {
					t.Errorf("ingested with %d passages and text %q: want passages of clean text, no entity expanded", len(ps), head(doc.Text))
				}
			}
			if doc.ID == "" || doc.Size == 0 {
				t.Errorf("document has ID %q and size %d: a skipped file is still identified", doc.ID, doc.Size)
			}
			if tt.maxHeapM > 0 && held > tt.maxHeapM<<20 {
				t.Errorf("held %d MiB at once, want at most %d MiB", held>>20, tt.maxHeapM)
			}
			t.Logf("%s: %v %q, held %d MiB", filepath.Base(path), doc.Skip, doc.SkipDetail, held>>20)
		})
	}
}

func head(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// tarBomb makes a tar.gz of one member of n zero bytes.
func tarBomb(name string, n int64) mk {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, name)
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		zw, _ := gzip.NewWriterLevel(fh, gzip.BestCompression)
		tw := tar.NewWriter(zw)
		tw.WriteHeader(&tar.Header{Name: "word/document.xml", Mode: 0o644, Size: n, Typeflag: tar.TypeReg})
		zeros(n)(tw)
		tw.Close()
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// TestWalkHostile: Walk reports a symlink loop and a named pipe inside a
// folder as problems (the walk goes on), and refuses a named pipe or a
// loop given by name with an error naming it, instead of handing it on to
// be opened (opening a pipe waits for a writer forever).
func TestWalkHostile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("peer support"), 0o644)
	os.Symlink(filepath.Join(dir, "loop2"), filepath.Join(dir, "loop1"))
	os.Symlink(filepath.Join(dir, "loop1"), filepath.Join(dir, "loop2"))
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	w, err := ingest.Walk([]string{dir}, ingest.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Files) != 1 || filepath.Base(w.Files[0]) != "ok.txt" {
		t.Errorf("files %q, want ok.txt alone", w.Files)
	}
	var probs []string
	for _, p := range w.Problems {
		probs = append(probs, fmt.Sprintf("%s: %v", filepath.Base(p.Path), p.Err))
	}
	if len(probs) != 2 || !strings.Contains(probs[0], "loop1: ") || !strings.Contains(probs[1], "loop2: ") {
		t.Errorf("problems %q, want loop1 and loop2", probs)
	}
	for _, p := range []string{fifo, filepath.Join(dir, "loop1")} {
		w, err := ingest.Walk([]string{p}, ingest.WalkOptions{})
		if err == nil && len(w.Problems) == 0 {
			t.Errorf("Walk(%s) = files %q, no error and no problem", p, w.Files)
		}
		if err != nil && !strings.Contains(err.Error(), p) {
			t.Errorf("Walk(%s): error %v does not name it", p, err)
		}
		for _, f := range w.Files {
			if f == p {
				t.Errorf("Walk(%s) lists it as a file to read", p)
			}
		}
	}
}

// TestBigPDF: a 200 MB PDF (a header, then zeros) is within MaxBytes, and
// the PDF extractor takes the file's bytes, so File reads it whole, but
// once: at most 1.25 times its size is held (reading it into a buffer that
// doubled as it grew held 410 MiB). Streaming PDFs is the PDF package's
// business; this bounds what ingest adds.
func TestBigPDF(t *testing.T) {
	p := sparse("big.pdf", "%PDF-1.4\n", 200<<20)(t, t.TempDir())
	var (
		doc *corpus.Document
		err error
	)
	held := peak.Heap(func() { doc, _, err = ingest.File(context.Background(), p, ingest.Options{PDFToText: "-"}) })
	if err != nil || doc.Skip == corpus.NotSkipped {
		t.Fatalf("File(%s) = %v, %v: want skipped (no objects)", p, doc, err)
	}
	if held > 250<<20 {
		t.Errorf("held %d MiB at once for a 200 MiB PDF", held>>20)
	}
	t.Logf("%v %q, held %d MiB", doc.Skip, doc.SkipDetail, held>>20)
}

// TestUnreadable: a file of mode 000 is a clear error naming it. Root reads
// such files, so as root the test runs itself again as user nobody (65534)
// from a copy of the test binary, and skips only if that cannot be done.
func TestUnreadable(t *testing.T) {
	if p := os.Getenv("PEERMAP_UNREADABLE"); p != "" {
		_, _, err := ingest.File(context.Background(), p, ingest.Options{})
		if err == nil || !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), p) {
			t.Fatalf("File(%s) as uid %d: err = %v, want permission denied naming it", p, os.Geteuid(), err)
		}
		return
	}
	dir, err := os.MkdirTemp("", "peermap-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("Peer support workers visit homes."), 0); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		t.Setenv("PEERMAP_UNREADABLE", secret)
		TestUnreadable(t)
		return
	}
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "ingest.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Skipf("running as root and cannot copy the test binary to rerun as nobody (%v): mode 000 is not tested", err)
	}
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestUnreadable$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PEERMAP_UNREADABLE="+secret)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "--- FAIL") {
			t.Fatalf("as nobody: %v\n%s", err, out)
		}
		t.Skipf("running as root and cannot rerun as nobody (%v): mode 000 is not tested\n%s", err, out)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Fatalf("as nobody, no PASS:\n%s", out)
	}
}
