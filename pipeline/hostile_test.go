package pipeline_test

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/peak"
	"github.com/peermap/peermap/pipeline"
)

// Hostile inputs through a whole ingest run: every input ends ingested,
// skipped with a reason or failed with a clear reason, the run goes on to
// the end, and the store holds nothing half-written.

// hostileDir writes a folder of hostile files next to real ones and
// returns it with the status wanted for each input (by base name) and a
// text the result's reason must hold.
func hostileDir(t *testing.T) (string, map[string][2]string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, parts ...string) {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(fh, 1<<20)
		for _, p := range parts {
			w.WriteString(p)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	para := strings.Repeat("Peer support workers visit people at home and help them find care. ", 30) + "\n\n"
	// 200 MB: 10 KiB of text then a hole.
	write("big.txt", strings.Repeat(para, 5))
	if err := os.Truncate(filepath.Join(dir, "big.txt"), 200<<20); err != nil {
		t.Fatal(err)
	}
	// A RIS field of 50 MB between two good records.
	write("field.ris", "TY  - JOUR\nTI  - Peer navigators in oncology\nAB  - Navigators guide patients.\nER  - \n",
		"TY  - JOUR\nTI  - Huge\nAB  - ", strings.Repeat("x", 50<<20), "\nER  - \n",
		"TY  - JOUR\nTI  - Community health workers and malaria\nER  - \n")
	write("open.bib", "@article{a, title={Peer support in diabetes care}}\n@article{b, title={Never closed\n", strings.Repeat("lorem ipsum\n", 1000))
	write("notitle.json", `[{"id":"a","type":"article-journal","issued":{"date-parts":[[2020]]}},{"id":"b","type":"book","issued":{"date-parts":[[2019]]}}]`)
	write("laughs.xml", `<?xml version="1.0"?><!DOCTYPE article [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>`+
		`<article><front><article-meta><title-group><article-title>Lay health workers &lol2;</article-title></title-group></article-meta></front>`+
		`<body><p>Lay health workers &lol2; visit families and support them.</p></body></article>`)
	write("deep.html", "<html><body>", strings.Repeat("<div>", 100_000), "peer navigator", strings.Repeat("</div>", 100_000), "</body></html>")
	write("bytes.txt", strings.Repeat(para, 5), "Aidants pairs \xe9t\xe9 \xff nul\x00\x00 here \xc3\x28.\n")
	write("nul.txt", "\x00\x00\x00 peer support")
	zipFile := func(name string, members ...string) {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		zw := zip.NewWriter(fh)
		for i := 0; i < len(members); i += 2 {
			w, _ := zw.Create(members[i])
			if members[i+1] == "" {
				zero := make([]byte, 1<<20)
				for range 100 {
					w.Write(zero)
				}
				continue
			}
			io.WriteString(w, members[i+1])
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// "" stands for 100 MiB of zeros.
	zipFile("bomb.zip", "bomb.ris", "", "good.ris", "TY  - JOUR\nTI  - Peer educators in schools\nER  - \n")
	zipFile("bomb.docx", "[Content_Types].xml", "<Types/>", "word/document.xml", "")
	zipFile("good.docx", "[Content_Types].xml", "<Types/>", "word/document.xml", `<?xml version="1.0"?>`+
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+
		`<w:p><w:r><w:t>Peer navigators walk with patients through cancer care.</w:t></w:r></w:p></w:body></w:document>`)
	os.Symlink(filepath.Join(dir, "loop2.txt"), filepath.Join(dir, "loop1.txt"))
	os.Symlink(filepath.Join(dir, "loop1.txt"), filepath.Join(dir, "loop2.txt"))
	if _, err := os.Stat("/proc/self/mem"); err == nil {
		os.Symlink("/proc/self/mem", filepath.Join(dir, "mem.txt")) // reads fail with EIO, even for root
	}
	syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644) // left out by the walk
	real := map[string]string{"real.md": "corpus/peer/text/cht_persona_chw-janet.md", "real.ris": "corpus/meta/asreview_embase.ris"}
	for name, rel := range real {
		b, err := os.ReadFile(filepath.Join(shared(t, filepath.Dir(rel)), filepath.Base(rel)))
		if err != nil {
			t.Fatal(err)
		}
		write(name, string(b))
	}
	want := map[string][2]string{
		"big.txt":      {corpus.StatusSkipped, "too large for text"},
		"field.ris":    {corpus.StatusIngested, ""},
		"open.bib":     {corpus.StatusIngested, ""},
		"notitle.json": {corpus.StatusSkipped, "every record skipped"},
		"laughs.xml":   {corpus.StatusIngested, ""},
		"deep.html":    {corpus.StatusSkipped, "open stack of elements exceeds 512 nodes"},
		"bytes.txt":    {corpus.StatusIngested, ""},
		"nul.txt":      {corpus.StatusSkipped, "unsupported format"},
		"bomb.zip":     {corpus.StatusIngested, ""},
		"bomb.docx":    {corpus.StatusSkipped, "expands more than 100 times"},
		"good.docx":    {corpus.StatusIngested, ""},
		"loop1.txt":    {corpus.StatusFailed, "too many levels of symbolic links"},
		"loop2.txt":    {corpus.StatusFailed, "too many levels of symbolic links"},
		"real.md":      {corpus.StatusIngested, ""},
		"real.ris":     {corpus.StatusIngested, ""},
	}
	if _, err := os.Lstat(filepath.Join(dir, "mem.txt")); err == nil {
		want["mem.txt"] = [2]string{corpus.StatusFailed, "input/output error"}
	}
	return dir, want
}

// TestHostileIngest runs one ingest over the hostile folder: each input
// ends as wanted, the run ends without error, the records of the exports
// are counted with their skipped ones, the whole run holds less than
// 128 MiB at once (the folder has 250 MB), and the store is whole.
func TestHostileIngest(t *testing.T) {
	ctx := context.Background()
	src, want := hostileDir(t)
	ws := open(t, t.TempDir())
	got := map[string]pipeline.IngestResult{}
	var sum *pipeline.IngestSummary
	var err error
	held := peak.Heap(func() {
		sum, err = ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{Workers: 2, OnResult: func(r pipeline.IngestResult) {
			got[filepath.Base(r.Path)] = r
		}})
	})
	if err != nil {
		t.Fatalf("Ingest: %v (summary %s)", err, sum)
	}
	for name, w := range want {
		r, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: no result", name)
		case r.Status != w[0] || !strings.Contains(r.Reason, w[1]):
			t.Errorf("%s: %s %q, want %s %q", name, r.Status, r.Reason, w[0], w[1])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected result %+v", name, got[name])
		}
	}
	for name, records := range map[string][2]int{"field.ris": {3, 1}, "open.bib": {2, 1}, "notitle.json": {2, 2}, "bomb.zip": {1, 0}} {
		if r := got[name]; r.Records != records[0] || r.SkippedRec != records[1] {
			t.Errorf("%s: %d records, %d skipped; want %d, %d", name, r.Records, r.SkippedRec, records[0], records[1])
		}
	}
	if held > 128<<20 {
		t.Errorf("the run held %d MiB at once", held>>20)
	}
	t.Logf("%s; held %d MiB at once", sum, held>>20)
	whole(t, ws)
}

// whole checks that the store holds nothing half-written: every passage
// is its document's text at its offsets (Check), every document was
// recorded by a source and every source's documents are stored.
func whole(t *testing.T, ws *pipeline.Workspace) {
	t.Helper()
	ctx := context.Background()
	res, err := ws.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		if strings.HasPrefix(p, "passage") || strings.HasPrefix(p, "human code") {
			t.Errorf("check: %s", p)
		}
	}
	s := ws.Store()
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := s.Sources()
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[corpus.DocID]bool{}
	exports := map[string]bool{} // an export's records name it as their Source
	for _, src := range srcs {
		if src.Records > 0 {
			exports[src.Path] = true
		}
		for _, id := range src.Docs {
			recorded[id] = true
			if held, err := s.Has(id); err != nil || !held {
				t.Errorf("source %s: document %s not in the store (%v)", src.Path, id.Short(), err)
			}
		}
	}
	for _, d := range docs {
		if !recorded[d.ID] && !exports[d.Source] {
			t.Errorf("document %s (%s) stored, but no source records it", d.ID.Short(), d.Path)
		}
	}
}

// TestFullDisk ingests real files into a workspace on a tmpfs too small
// for them: the files that do not fit fail with "no space left on device",
// the run goes to its end, and what was stored is whole. With room made
// (the tmpfs remounted larger), the same ingest completes and the corpus
// equals one made on a roomy disk. It needs to mount a tmpfs (root with
// CAP_SYS_ADMIN) and skips saying so otherwise.
func TestFullDisk(t *testing.T) {
	ctx := context.Background()
	src := shared(t, "corpus/jats")
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=256k"); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v): the full-disk case needs root with CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })

	ref := open(t, t.TempDir())
	if _, err := ref.Ingest(ctx, []string{src}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	refDocs := docCount(t, ref)

	dir := filepath.Join(mnt, "ws")
	ws, _, err := pipeline.Init(pipeline.Options{Dir: dir})
	if err != nil {
		t.Fatalf("init on a 256 KiB tmpfs: %v", err)
	}
	var failed []string
	sum, err := ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{OnResult: func(r pipeline.IngestResult) {
		if r.Status == corpus.StatusFailed {
			failed = append(failed, filepath.Base(r.Path)+": "+r.Reason)
		}
	}})
	t.Logf("full disk: %v; %s", err, sum)
	if len(failed) == 0 {
		t.Fatalf("nothing failed on a 256 KiB disk: the test does not fill it (summary %s)", sum)
	}
	for _, f := range failed {
		if !strings.Contains(f, "no space left on device") {
			t.Errorf("failure %q does not say the disk is full", f)
		}
	}
	if sum == nil || sum.Ingested+sum.Skipped+sum.Duplicate+sum.Failed == 0 {
		t.Errorf("the run did not go through its inputs: %v", sum)
	}
	whole(t, ws)

	// A zip export is spooled to the temporary folder: on a full one it
	// fails with the reason, and the run goes on.
	zdir := t.TempDir()
	fh, _ := os.Create(filepath.Join(zdir, "exports.zip"))
	zw := zip.NewWriter(fh)
	for i := range 200 {
		w, _ := zw.Create(fmt.Sprintf("e%d.ris", i))
		fmt.Fprintf(w, "TY  - JOUR\nTI  - Peer support study %d\nER  - \n", i)
	}
	zw.Close()
	fh.Close()
	t.Setenv("TMPDIR", mnt)
	var zr pipeline.IngestResult
	if _, err := ws.Ingest(ctx, []string{zdir}, pipeline.IngestOptions{OnResult: func(r pipeline.IngestResult) { zr = r }}); err != nil {
		t.Logf("zip on a full disk: %v", err)
	}
	t.Logf("zip: %s %q", zr.Status, zr.Reason)
	if zr.Status != corpus.StatusFailed || !strings.Contains(zr.Reason, "no space left on device") {
		t.Errorf("zip spooled to a full disk: %s %q, want failed with no space left on device", zr.Status, zr.Reason)
	}
	whole(t, ws)
	if err := ws.Close(); err != nil {
		t.Logf("close on a full disk: %v", err)
	}

	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT, "size=64m"); err != nil {
		t.Fatalf("remount larger: %v", err)
	}
	ws, _, err = pipeline.Init(pipeline.Options{Dir: dir})
	if err != nil {
		t.Fatalf("reopen after the disk was full: %v", err)
	}
	defer ws.Close()
	whole(t, ws)
	sum, err = ws.Ingest(ctx, []string{src}, pipeline.IngestOptions{})
	if err != nil || sum.Failed > 0 {
		t.Fatalf("ingest once there is room: %v; %s", err, sum)
	}
	whole(t, ws)
	if n := docCount(t, ws); n != refDocs {
		t.Errorf("%d documents after the disk was full then freed, %d on a roomy disk", n, refDocs)
	}
}

func docCount(t *testing.T, ws *pipeline.Workspace) int {
	t.Helper()
	docs, err := ws.Store().Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(docs)
}

// TestReadOnlyWorkspace: a workspace on a read-only file system (a
// read-only bind mount as root, else a folder without write permission)
// cannot be opened for writing, with an error naming the store; it opens
// read-only, checks and refuses to ingest; and its bytes do not change.
func TestReadOnlyWorkspace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ws := open(t, dir)
	if _, err := ws.Ingest(ctx, []string{shared(t, "corpus/peer/text")}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	store := filepath.Join(dir, "corpus.db")
	before := fileSum(t, store)

	if os.Geteuid() == 0 {
		if err := syscall.Mount(dir, dir, "", syscall.MS_BIND, ""); err != nil {
			t.Skipf("cannot bind-mount here (%v): root ignores permissions, so the read-only case needs a read-only mount", err)
		}
		t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
		if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
			t.Fatalf("remount read-only: %v", err)
		}
	} else {
		os.Chmod(store, 0o444)
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755); os.Chmod(store, 0o644) })
	}

	for _, f := range []func() error{
		func() error { _, err := pipeline.Open(pipeline.Options{Dir: dir}); return err },
		func() error { _, _, err := pipeline.Init(pipeline.Options{Dir: dir}); return err },
	} {
		err := f()
		if err == nil || !strings.Contains(err.Error(), store) ||
			!(strings.Contains(err.Error(), "read-only file system") || strings.Contains(err.Error(), "permission denied")) {
			t.Errorf("open for writing: %v, want an error naming %s and saying it is read-only", err, store)
		}
	}
	ro, err := pipeline.Open(pipeline.Options{Dir: dir, ReadOnly: true})
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	if res, err := ro.Check(ctx); err != nil || res.Documents == 0 {
		t.Errorf("check read-only: %v, %+v", err, res)
	}
	if _, err := ro.Ingest(ctx, []string{shared(t, "corpus/peer/jats")}, pipeline.IngestOptions{}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("ingest into a read-only workspace: %v, want a read-only error", err)
	}
	ro.Close()
	if after := fileSum(t, store); after != before {
		t.Errorf("the store changed on a read-only file system")
	}
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}
