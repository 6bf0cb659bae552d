package refs_test

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/refs"
	"github.com/peermap/peermap/internal/peak"
)

// Hostile inputs through refs.Read. Each must end as records (some skipped
// with a reason) and at most one clear error, in bounded memory: a file is
// never held whole, whatever its size. The limits are refs' own: a line of
// a line-based export may hold 1 MiB, a record 8 MiB, and a compressed
// stream may expand 100 times (past its first MiB) and to 1 GiB at most.

// spool writes the pieces of a file to dir/name, each piece repeated n
// times (a piece written once has n = 1), streamed so that the file is never
// in memory, and returns its path and size.
func spool(t *testing.T, name string, pieces ...piece) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(fh, 1<<20)
	var size int64
	for _, p := range pieces {
		for range max(p.n, 1) {
			n, _ := w.WriteString(p.s)
			size += int64(n)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return path, size
}

type piece struct {
	s string
	n int
}

func once(s string) piece { return piece{s, 1} }

// outcome is what Read made of a file: one line per record ("title" or
// "skip: reason") and the errors.
type outcome struct {
	recs []string
	errs []string
}

func readFile(t *testing.T, path, format string) outcome {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var o outcome
	for d, err := range refs.Read(context.Background(), fh, filepath.Base(path), format) {
		if err != nil {
			o.errs = append(o.errs, err.Error())
			continue
		}
		if !utf8.ValidString(d.Text) || !utf8.ValidString(d.Title) || strings.ContainsRune(d.Text, 0) {
			t.Errorf("%s: record %d: text is not clean UTF-8: %q", path, d.Record, trunc(d.Text))
		}
		if d.Skip != corpus.NotSkipped {
			o.recs = append(o.recs, "skip: "+d.SkipReason())
		} else {
			o.recs = append(o.recs, d.Title)
		}
	}
	return o
}

func trunc(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// check compares an outcome with the records wanted (a "skip: " entry
// matches a skip reason that contains the rest) and the error wanted ("" is
// none; else a substring of the one error).
func (o outcome) check(t *testing.T, want []string, wantErr string) {
	t.Helper()
	if len(o.recs) != len(want) {
		t.Errorf("%d records %q, want %d %q", len(o.recs), truncAll(o.recs), len(want), want)
	} else {
		for i := range want {
			if w, ok := strings.CutPrefix(want[i], "skip: "); ok {
				if !strings.HasPrefix(o.recs[i], "skip: ") || !strings.Contains(o.recs[i], w) {
					t.Errorf("record %d = %q, want skipped with %q", i+1, trunc(o.recs[i]), w)
				}
			} else if o.recs[i] != want[i] {
				t.Errorf("record %d = %q, want %q", i+1, trunc(o.recs[i]), want[i])
			}
		}
	}
	switch {
	case wantErr == "" && len(o.errs) > 0:
		t.Errorf("errors %q, want none", o.errs)
	case wantErr != "" && (len(o.errs) != 1 || !strings.Contains(o.errs[0], wantErr)):
		t.Errorf("errors %q, want one with %q", o.errs, wantErr)
	}
}

func truncAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = trunc(s)
	}
	return out
}

const (
	risOne   = "TY  - JOUR\nTI  - One\nER  - \n"
	risThree = "TY  - JOUR\nTI  - Three\nER  - \n"
	line80   = "Peer navigators walked with patients through every step of the care path ok.\n"
)

// TestHostileText: unterminated and oversized records of the text formats,
// invalid UTF-8 and NUL bytes. Each bad record is yielded skipped with its
// reason and the records after it are read, or (JSON, XML and CSV, whose
// parsers cannot resynchronise) one error ends the file; allocation stays
// well under the file's size.
func TestHostileText(t *testing.T) {
	tests := []struct {
		name, file, format string
		pieces             []piece
		want               []string
		wantErr            string
	}{
		{
			name: "RIS field of 50 MB on one line", file: "field.ris",
			pieces: []piece{once(risOne + "TY  - JOUR\nTI  - Two\nAB  - "), {strings.Repeat("x", 1000), 50_000}, once("\nER  - \n" + risThree)},
			want:   []string{"One", "skip: record 2: a line longer than 1 MiB", "Three"},
		},
		{
			name: "RIS record without ER or TY for 100 MB of tagged lines", file: "open.ris",
			pieces: []piece{once(risOne + "TY  - JOUR\nTI  - Two\n"), {"N1  - " + line80, 1_250_000}, once(risThree)},
			want:   []string{"One", "skip: record 2: longer than 8 MiB", "Three"},
		},
		{
			name: "RIS with 100 MB of junk lines between records", file: "junk.ris",
			pieces: []piece{once(risOne), {line80, 1_250_000}, once(risThree)},
			want:   []string{"One", "Three"},
		},
		{
			name: "nbib record of 100 MB", file: "big.nbib",
			pieces: []piece{once("PMID- 1\nTI  - One\n\nPMID- 2\nTI  - Two\n"), {"OT  - " + line80, 1_250_000}, once("\nPMID- 3\nTI  - Three\n")},
			want:   []string{"One", "skip: record 2: longer than 8 MiB", "Three"},
		},
		{
			name: "BibTeX entry never closed, 100 MB to the end of file", file: "open.bib",
			pieces: []piece{once("@article{a, title={One}}\n@article{b, title={Never closed\n"), {line80, 1_250_000}},
			want:   []string{"One", "skip: record 2: longer than 8 MiB"},
		},
		{
			name: "BibTeX entry never closed, then 100 MB, then an entry", file: "resume.bib",
			pieces: []piece{once("@article{a, title={One}}\n@article{b, title={Never closed\n"), {line80, 1_250_000}, once("@article{c, title={Three}}\n")},
			want:   []string{"One", "skip: record 2: longer than 8 MiB", "Three"},
		},
		{
			name: "BibTeX entry never closed swallows the entries after it", file: "swallow.bib",
			pieces: []piece{once("@article{a, title={One}}\n@article{b, title={Never closed\n\n@article{c, title={Three}}\n@book{d, title={Four}}\n")},
			want:   []string{"One", "skip: record 2: entry not closed", "Three", "Four"},
		},
		{
			name: "CSV quote never closed", file: "open.csv",
			pieces: []piece{once("title,abstract\nOne,x\n\"Two,\"\"never closed\n"), {line80, 1_250_000}},
			want:   []string{"One"}, wantErr: "longer than 8 MiB",
		},
		{
			name: "CSL-JSON item of 100 MB", file: "big.json", format: refs.FormatCSL,
			pieces: []piece{once(`[{"id":"a","type":"article-journal","title":"One"},{"id":"b","type":"article-journal","title":"Two","abstract":"`), {strings.TrimSuffix(line80, "\n"), 1_250_000}, once(`"}]`)},
			want:   []string{"One"}, wantErr: "longer than 8 MiB",
		},
		{
			name: "EndNote XML record of 100 MB", file: "big.xml",
			pieces: []piece{once(`<?xml version="1.0"?><xml><records><record><titles><title>One</title></titles></record><record><titles><title>Two</title></titles><abstract>`), {line80, 1_250_000}, once(`</abstract></record></records></xml>`)},
			want:   []string{"One"}, wantErr: "longer than 8 MiB",
		},
		{
			name: "invalid UTF-8 and NUL bytes in RIS", file: "bytes.ris",
			pieces: []piece{once("TY  - JOUR\nTI  - Caf\xe9 \xff\xfe pairs\x00 aidants\nAB  - nul\x00\x00 bytes \xc3\x28 here\nER  - \n" + risThree)},
			want:   []string{"Café ÿþ pairs aidants", "Three"},
		},
		{
			name: "invalid UTF-8 and NUL bytes in BibTeX", file: "bytes.bib",
			pieces: []piece{once("@article{a, title={Pair\x00 \xe9tudiant \xc3\x28}}\n@article{c, title={Three}}\n")},
			want:   []string{"Pair étudiant Ã(", "Three"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, size := spool(t, tt.file, tt.pieces...)
			var o outcome
			n := peak.Heap(func() { o = readFile(t, path, tt.format) })
			o.check(t, tt.want, tt.wantErr)
			// A record in flight costs a few times its bytes (raw bytes,
			// fields, the Document): 64 MiB is 8 records at the limit,
			// and the big files here are 47 to 100 MB.
			if size > 40<<20 && n > 64<<20 {
				t.Errorf("held %d MiB at once reading a %d MiB file", n>>20, size>>20)
			} else {
				t.Logf("held %d MiB at once reading a %d MiB file", n>>20, size>>20)
			}
		})
	}
}

// TestBillionLaughs: entity definitions in a DOCTYPE are never expanded
// (encoding/xml does not read DTDs): the records come out with the entity
// reference dropped or kept as text, in a few kilobytes.
func TestBillionLaughs(t *testing.T) {
	dtd := `<!DOCTYPE %s [<!ENTITY lol "lol">` +
		`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>`
	for _, tt := range []struct{ name, format, doc string }{
		{"endnote.xml", refs.FormatEndNote, `<?xml version="1.0"?>` + fmt.Sprintf(dtd, "xml") +
			`<xml><records><record><titles><title>Peer &lol9; support</title></titles><abstract>&lol9;</abstract></record></records></xml>`},
		{"medline.xml", refs.FormatMedline, `<?xml version="1.0"?>` + fmt.Sprintf(dtd, "PubmedArticleSet") +
			`<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Peer &lol9; support</ArticleTitle>` +
			`<Abstract><AbstractText>&lol9;</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if f := refs.Detect([]byte(tt.doc), tt.name); f != tt.format {
				t.Errorf("Detect = %q, want %q", f, tt.format)
			}
			var docs []*corpus.Document
			n := peak.Heap(func() {
				for d, err := range refs.Read(context.Background(), strings.NewReader(tt.doc), tt.name, "") {
					if err != nil {
						t.Fatal(err)
					}
					docs = append(docs, d)
				}
			})
			if len(docs) != 1 || !strings.HasPrefix(docs[0].Title, "Peer") || len(docs[0].Text) > 200 {
				t.Fatalf("records %v; want one titled Peer..., with no entity expanded", docs)
			}
			if n > 1<<20 {
				t.Errorf("held %d KiB at once for a %d-byte file", n>>10, len(tt.doc))
			}
		})
	}
}

// zeros writes n zero bytes to w.
func zeros(t *testing.T, w io.Writer, n int64) {
	t.Helper()
	if _, err := io.CopyN(w, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestBombs: zip, tar.gz and gzip files that expand far beyond their size.
// The bomb stops with a clear reason after a few MiB; in a zip the other
// members are still read; in a tar.gz (one compressed stream) the members
// before the bomb are kept and the stream ends with the error.
func TestBombs(t *testing.T) {
	const big = 64 << 20 // zeros: ratio about 1000 to 1
	ris := "TY  - JOUR\nTI  - Good\nER  - \n"

	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("bomb.ris")
	io.WriteString(w, "TY  - JOUR\nTI  - Bomb\nAB  - ")
	zeros(t, w, big)
	w, _ = zw.Create("good.ris")
	io.WriteString(w, ris)
	zw.Close()

	var tbuf bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&tbuf, gzip.BestCompression)
	tw := tar.NewWriter(gw)
	tw.WriteHeader(&tar.Header{Name: "good.ris", Mode: 0o644, Size: int64(len(ris)), Typeflag: tar.TypeReg})
	io.WriteString(tw, ris)
	tw.WriteHeader(&tar.Header{Name: "bomb.ris", Mode: 0o644, Size: big, Typeflag: tar.TypeReg})
	zeros(t, tw, big)
	tw.Close()
	gw.Close()

	var gbuf bytes.Buffer
	gw, _ = gzip.NewWriterLevel(&gbuf, gzip.BestCompression)
	io.WriteString(gw, ris+"TY  - JOUR\nTI  - Bomb\nAB  - ")
	zeros(t, gw, big)
	gw.Close()

	// A gzip of a zip inside a zip: archives are not read inside archives.
	var inner, nested bytes.Buffer
	izw := zip.NewWriter(&inner)
	w, _ = izw.Create("deep.ris")
	io.WriteString(w, ris)
	izw.Close()
	nzw := zip.NewWriter(&nested)
	w, _ = nzw.Create("deep.zip.gz")
	igz := gzip.NewWriter(w)
	igz.Write(inner.Bytes())
	igz.Close()
	w, _ = nzw.Create("good.ris")
	io.WriteString(w, ris)
	nzw.Close()

	for _, tt := range []struct {
		name    string
		data    []byte
		want    []string
		wantErr string
	}{
		// The zip member declares its sizes: refused unread, the other
		// member is read.
		{"bomb.zip", zbuf.Bytes(), []string{"Good"}, "bomb.ris: expands more than 100 times"},
		{"bomb.tar.gz", tbuf.Bytes(), []string{"Good"}, "expands more than 100 times"},
		// A gzip stream does not declare its size: the record the bomb
		// cuts short is yielded skipped, never as a whole record.
		{"bomb.ris.gz", gbuf.Bytes(), []string{"Good", "skip: record 2: cut short: expands more than 100 times"}, "expands more than 100 times"},
		{"nested.zip", nested.Bytes(), []string{"Good"}, "deep.zip.gz: an archive inside an archive is not read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var o outcome
			n := peak.Heap(func() {
				for d, err := range refs.Read(context.Background(), bytes.NewReader(tt.data), tt.name, "") {
					if err != nil {
						o.errs = append(o.errs, err.Error())
						continue
					}
					if d.Skip != corpus.NotSkipped {
						o.recs = append(o.recs, "skip: "+d.SkipReason())
					} else {
						o.recs = append(o.recs, d.Title)
					}
				}
			})
			o.check(t, tt.want, tt.wantErr)
			if n > 64<<20 {
				t.Errorf("held %d MiB at once for a %d KiB archive", n>>20, len(tt.data)>>10)
			}
		})
	}
}

// TestCSLWithoutTitles: a CSL-JSON array whose items have no title (only
// id, type and issued) is a reference export, read as records skipped for
// having no title and no abstract, not a plain-text document.
func TestCSLWithoutTitles(t *testing.T) {
	for _, tt := range []struct{ name, doc, want string }{
		{"items.json", `[{"id":"a","type":"article-journal","issued":{"date-parts":[[2020]]}},{"id":"b","type":"book","issued":{"date-parts":[[2019,5]]}}]`, refs.FormatCSL},
		{"item.json", `{"id": "x", "type": "report", "issued": {"raw": "2001"}}`, refs.FormatCSL},
		{"spaced.json", "[\n  {\n    \"type\": \"chapter\",\n    \"id\": \"y\",\n    \"author\": [{\"family\": \"Doe\"}]\n  }\n]", refs.FormatCSL},
		// Other JSON is not taken for references.
		{"package.json", `{"name":"x","type":"module","id":"y","version":"1.0.0"}`, ""},
		{"data.json", `[{"id":1,"type":"point","x":3}]`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := refs.Detect([]byte(tt.doc), tt.name); got != tt.want {
				t.Fatalf("Detect(%s) = %q, want %q", tt.doc, got, tt.want)
			}
			if tt.want == "" {
				return
			}
			n := 0
			for d, err := range refs.Read(context.Background(), strings.NewReader(tt.doc), tt.name, "") {
				if err != nil {
					t.Fatal(err)
				}
				n++
				if d.Skip != corpus.SkipEmpty || !strings.Contains(d.SkipDetail, "no title and no abstract") {
					t.Errorf("record %d: skip %v %q, want empty: no title and no abstract", d.Record, d.Skip, d.SkipDetail)
				}
			}
			if want := strings.Count(tt.doc, `"id"`); n != want {
				t.Errorf("%d records, want %d", n, want)
			}
		})
	}
}

// TestContinuationLines: a field continued over many lines (an abstract
// wrapped at 80 columns, or an unterminated record whose every line reads
// as a continuation) must cost time and memory in proportion to its size.
// Joining each continuation line with "val += ..." copied the field so far
// for every line (1 MB of 80-column lines allocated about 6 GB, 8 MiB, the
// record limit, about 400 GB: a hang); continuation lines are now joined
// once per field (tagged.cont, tagged.joined).
func TestContinuationLines(t *testing.T) {
	for _, tt := range []struct{ name, head, line, tail string }{
		{"ris.ris", "TY  - JOUR\nTI  - One\nAB  - start\n", "  " + line80, "ER  - \n"},
		{"nbib.nbib", "PMID- 1\nTI  - One\nAB  - start\n", "      " + line80, "\n"},
		{"isi.isi", "FN Clarivate\nPT J\nTI One\nAB start\n", "   " + line80, "ER\n"},
		{"ovid.txt", "<1>\nTitle\n  One\nAbstract\n", "  " + line80, "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path, size := spool(t, tt.name, once(tt.head), piece{tt.line, 12_500}, once(tt.tail))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			o := readFile(t, path, "")
			runtime.ReadMemStats(&after)
			if len(o.recs) != 1 || o.recs[0] != "One" {
				t.Errorf("records %q, want One", truncAll(o.recs))
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 50*uint64(size) {
				t.Errorf("allocated %d MiB reading a %d KiB record: quadratic", n>>20, size>>10)
			}
		})
	}
}
