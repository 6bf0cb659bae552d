package pdf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/testtool"
	"github.com/peermap/peermap/internal/text"
)

// pdfCorpusDir is the shared PDF test corpus, relative to this package.
const pdfCorpusDir = "../../../shared/corpus/pdf"

// pdfCorpusFiles returns the corpus PDFs, or skips the test if the corpus
// is not there.
func pdfCorpusFiles(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(pdfCorpusDir, "*.pdf"))
	if len(files) == 0 {
		t.Skipf("no PDFs in %s: the shared test corpus is not checked out next to the repo", pdfCorpusDir)
	}
	return files
}

// pdfWant is the expected outcome for each corpus file: a skip reason, or
// NotSkipped with the page count and words the text must hold.
var pdfWant = map[string]struct {
	skip  corpus.Skip
	pages int
	has   []string // substrings of Text (after normalisation)
}{
	"cermine_complex_physics-preprint.pdf":             {pages: 18, has: []string{"Heavy Mesons In A Relativistic Model", "heavy quark"}},
	"cermine_example1_psychogeriatrics.pdf":            {pages: 8, has: []string{"Stressful life events"}},
	"cermine_example2_bmc-hsr-quality-improvement.pdf": {pages: 10, has: []string{"quality improvement"}},
	"cermine_example3_clinical-science-ace.pdf":        {pages: 13, has: []string{"angiotensin"}},
	"cermine_test1_trauma-dvt-prophylaxis.pdf":         {pages: 4, has: []string{"deep venous thrombosis"}},
	"cermine_test2_heart-failure-rehab.pdf":            {pages: 6, has: []string{"you’d be on a monitor", "reactions to, you knew what you could do"}},
	"cermine_test3_phoenix-paludosa.pdf":               {pages: 4, has: []string{"Phoenix paludosa"}},
	"cermine_test5_h-pylori-anaemia.pdf":               {pages: 7, has: []string{"Helicobacter pylori"}},
	"grobid_0807.3577_jcap.pdf":                        {pages: 15, has: []string{"Lemaître", "Räsänen"}},
	"grobid_1001._0908.0054.pdf":                       {pages: 4, has: []string{"dark matter"}},
	"grobid_MullenJSSv18i03.pdf":                       {pages: 46, has: []string{"TIMP"}},
	"grobid_Wang-paperAVE2008.pdf":                     {pages: 5, has: []string{"Answer Validation"}},
	"grobid_ZFN-A-054-0304-0272_scanned-bad-ocr.pdf":   {pages: 2, has: []string{"Solitary-wave"}}, // poor OCR layer: still text
	"grobid_footnotes_clef2008.pdf":                    {pages: 1, has: []string{"CLEF 2008"}},
	"grobid_sample_bicriteria.pdf":                     {pages: 8, has: []string{"Scheduling"}},
	"grobid_submission_161_one-page-abstract.pdf":      {pages: 1, has: []string{"MAGNETO-PHOTOLUMINESCENCE"}},
	"grobid_test_Grobid_1_05452615.pdf":                {pages: 8, has: []string{"Requirement Prioritization"}},
	// Page 1 is a scan; page 2 has a real text layer (an abstract).
	"grobid_two_pages_image-only.pdf":               {pages: 2, has: []string{"obturation techniques"}},
	"ocrmypdf_c02-22_scanned-page.pdf":              {skip: corpus.SkipNoText},
	"ocrmypdf_francais_image-only.pdf":              {skip: corpus.SkipNoText},
	"ocrmypdf_invalid_header-plus-eof.pdf":          {skip: corpus.SkipInvalid}, // header, a line of prose, %%EOF
	"ocrmypdf_multipage_scanned-6pages.pdf":         {skip: corpus.SkipNoText},  // page 4 has ~100 chars of OCR debris
	"pysample_005_libreoffice-writer-password.pdf":  {skip: corpus.SkipEncrypted},
	"pysample_009_GeoTopo-komprimiert_117pages.pdf": {pages: 117, has: []string{"Topologie"}},
	"pysample_015_arabic-habibi.pdf":                {pages: 1, has: []string{"حَبيبي", "habibi"}}, // logical order
	"pysample_026_latex-multicolumn.pdf":            {pages: 3, has: []string{"Lorem ipsum"}},
}

// pdfCheckDoc checks the invariants every extracted document must hold.
func pdfCheckDoc(t *testing.T, name string, doc *Result) {
	t.Helper()
	if doc.Skip != corpus.NotSkipped {
		if doc.SkipDetail == "" {
			t.Errorf("%s: skipped (%v) without a detail", name, doc.Skip)
		}
		if doc.Text != "" || len(doc.Pages) > 0 {
			t.Errorf("%s: skipped (%v) with text", name, doc.Skip)
		}
		return
	}
	if !utf8.ValidString(doc.Text) {
		t.Errorf("%s: text is not valid UTF-8", name)
	}
	if strings.ContainsAny(doc.Text, "\uFB00\uFB01\uFB02\uFB03\uFB04\uFFFD\f") {
		t.Errorf("%s: text holds ligatures, U+FFFD or form feeds", name)
	}
	prev := 0
	for i, p := range doc.Pages {
		if p.N != i+1 || p.Start < prev || p.End < p.Start || p.End > len(doc.Text) {
			t.Fatalf("%s: page %d = %+v, out of order or out of range (text %d bytes)", name, i+1, p, len(doc.Text))
		}
		if p.Extractor != ExtractorLib && p.Extractor != ExtractorPdftotext {
			t.Errorf("%s: page %d extractor %q", name, p.N, p.Extractor)
		}
		prev = p.End
	}
}

// TestPDFCorpus runs every corpus file through the worker path (a child
// process per file, two at a time, as `peermap ingest` would) and checks
// its outcome. No file may fail, hang or crash.
func TestPDFCorpus(t *testing.T) {
	files := pdfCorpusFiles(t)
	if testing.Short() {
		t.Skip("runs a worker process per corpus PDF")
	}
	t.Setenv(pdfTestWorkerEnv, "1")
	opts := Options{Worker: pdfTestWorker(), Timeout: 60 * time.Second}
	docs := make([]*Result, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			docs[i], errs[i] = Extract(context.Background(), f, data, opts)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, f := range files {
		name := filepath.Base(f)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			doc, err := docs[i], errs[i]
			if err != nil {
				t.Fatalf("Extract(%s) error: %v", name, err)
			}
			pdfCheckDoc(t, name, doc)
			want, ok := pdfWant[name]
			if !ok {
				t.Fatalf("no expected outcome for %s: add it to pdfWant", name)
			}
			if doc.Skip != want.skip {
				t.Fatalf("Extract(%s) skip = %v (%q), want %v", name, doc.Skip, doc.SkipDetail, want.skip)
			}
			if want.skip != corpus.NotSkipped {
				return
			}
			if len(doc.Pages) != want.pages {
				t.Errorf("Extract(%s) pages = %d, want %d", name, len(doc.Pages), want.pages)
			}
			for _, s := range want.has {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("Extract(%s) text lacks %q", name, s)
				}
			}
		})
	}
	for name := range pdfWant {
		if !seen[name] {
			t.Errorf("expected corpus file %s is missing", name)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfInProcess extracts every corpus file in-process once per test binary
// (the recall and metadata tests share the result).
var pdfInProcess = sync.OnceValues(func() (map[string]*Result, error) {
	files, _ := filepath.Glob(filepath.Join(pdfCorpusDir, "*.pdf"))
	docs := map[string]*Result{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		doc, err := Extract(context.Background(), f, data, Options{})
		if err != nil {
			return nil, err
		}
		docs[filepath.Base(f)] = doc
	}
	return docs, nil
})

// pdfWords returns the word tokens used for recall: NFKC, accents removed,
// lower case, runs of letters of length ≥ 2. Stripping accents makes
// "Lemaître" from a composed glyph and "Lemaı̂tre" (pdftotext) the same word.
func pdfWords(s string) []string {
	s = norm.NFKD.String(text.Normalize(s))
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Mn, r):
			return -1
		case r == 'ı':
			return 'i'
		}
		return unicode.ToLower(r)
	}, s)
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// pdfRecall returns the share of ref's tokens (as a multiset) found in got.
func pdfRecall(ref, got []string) float64 {
	if len(ref) == 0 {
		return 1
	}
	have := map[string]int{}
	for _, w := range got {
		have[w]++
	}
	hit := 0
	for _, w := range ref {
		if have[w] > 0 {
			have[w]--
			hit++
		}
	}
	return float64(hit) / float64(len(ref))
}

// pdfNoRecall lists text PDFs left out of the recall figures, with why.
var pdfNoRecall = map[string]string{
	// pdftotext writes the Arabic word in visual (reversed) order; ours is
	// in logical order, checked in pdfWant.
	"pysample_015_arabic-habibi.pdf": "pdftotext reverses right-to-left text",
}

// pdfHyphenRe finds a word broken by a hyphen at a line or page end.
var pdfHyphenRe = regexp.MustCompile(`(\p{Ll}+)-\s+(\p{Ll}+)`)

// TestPDFRecall compares our text with pdftotext's on every text PDF: word
// recall (median ≥ 0.97, each ≥ 0.90) and words left split by end-of-line
// hyphenation where pdftotext joins them (none allowed).
//
// Our text drops running headers, footers and page numbers, which pdftotext
// keeps; those words count as misses here (cermine_example3 repeats a
// 40-word licence footer on all 13 pages: 0.92). The log shows the recall
// with the same furniture removed from pdftotext's text too ("clean").
func TestPDFRecall(t *testing.T) {
	pdfCorpusFiles(t)
	bin := testtool.Path(t, "poppler-utils", "pdftotext")
	docs, err := pdfInProcess()
	if err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range docs {
			if !yield(n) {
				return
			}
		}
	})
	var recalls []float64
	for _, name := range names {
		doc := docs[name]
		if doc.Skip != corpus.NotSkipped || pdfNoRecall[name] != "" {
			continue
		}
		out, err := exec.Command(bin, "-q", "-enc", "UTF-8", filepath.Join(pdfCorpusDir, name), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		ref := string(out)
		got := pdfWords(doc.Text)
		r := pdfRecall(pdfWords(ref), got)
		var pages [][]string
		for _, p := range strings.Split(ref, "\f") {
			pages = append(pages, strings.Split(text.Normalize(p), "\n"))
		}
		pdfRemoveFurniture(pages)
		var clean []string
		for _, p := range pages {
			clean = append(clean, strings.Join(p, "\n"))
		}
		rc := pdfRecall(pdfWords(strings.Join(clean, "\n")), got)
		recalls = append(recalls, r)

		refWords := map[string]bool{}
		for _, w := range pdfWords(ref) {
			refWords[w] = true
		}
		lowerRef := strings.ToLower(text.Normalize(ref))
		var split []string
		for _, m := range pdfHyphenRe.FindAllStringSubmatch(doc.Text, -1) {
			joined := strings.ToLower(m[1] + m[2])
			if refWords[joined] && !strings.Contains(lowerRef, strings.ToLower(m[1]+"-"+m[2])) {
				split = append(split, m[0])
			}
		}
		t.Logf("%-50s recall %.3f clean %.3f words %d/%d split %d", name, r, rc, len(got), len(pdfWords(ref)), len(split))
		if r < 0.90 {
			t.Errorf("%s: word recall vs pdftotext = %.3f, want ≥ 0.90", name, r)
		}
		if len(split) > 0 {
			t.Errorf("%s: %d words left hyphen-split that pdftotext joins: %q", name, len(split), split[:min(5, len(split))])
		}
	}
	if len(recalls) == 0 {
		t.Fatal("no text PDFs")
	}
	slices.Sort(recalls)
	med := recalls[len(recalls)/2]
	if len(recalls)%2 == 0 {
		med = (recalls[len(recalls)/2-1] + recalls[len(recalls)/2]) / 2
	}
	t.Logf("median recall %.3f over %d text PDFs, min %.3f", med, len(recalls), recalls[0])
	if med < 0.97 {
		t.Errorf("median word recall = %.3f, want ≥ 0.97", med)
	}
}

// TestPDFMetadata checks titles (≥ 90% of text articles) and a few known
// titles, DOIs and years.
func TestPDFMetadata(t *testing.T) {
	pdfCorpusFiles(t)
	docs, err := pdfInProcess()
	if err != nil {
		t.Fatal(err)
	}
	known := []struct {
		file, title, doi string
		year             int
	}{
		{"cermine_test1_trauma-dvt-prophylaxis.pdf", "Complications related to deep venous thrombosis prophylaxis in trauma: a systematic review of the literature", "10.1186/1752-2897-4-1", 2010},
		{"cermine_example1_psychogeriatrics.pdf", "Stressful life events are not associated with the development of dementia", "10.1017/s1041610213001804", 0},
		{"grobid_0807.3577_jcap.pdf", "Apparent and average accelerations of the Universe", "10.1088/1475-7516/2008/10/003", 2008},
		{"cermine_complex_physics-preprint.pdf", "Heavy Mesons In A Relativistic Model", "", 0},                                // info Title "paper.dvi"
		{"cermine_test3_phoenix-paludosa.pdf", "Phytochemical and Biological investigations of Phoenix paludosa Roxb.", "", 0}, // "Microsoft Word - 02. 206.doc"
		{"grobid_two_pages_image-only.pdf", "Ability of different obturation techniques", "", 0},                               // page 1 is a scan
	}
	for _, k := range known {
		t.Run(k.file, func(t *testing.T) {
			doc := docs[k.file]
			if doc == nil {
				t.Fatalf("%s not in corpus", k.file)
			}
			if !strings.HasPrefix(doc.Title, k.title) {
				t.Errorf("Title = %q, want prefix %q", doc.Title, k.title)
			}
			if doc.DOI != k.doi && k.doi != "" {
				t.Errorf("DOI = %q, want %q", doc.DOI, k.doi)
			}
			if k.year != 0 && doc.Year != k.year {
				t.Errorf("Year = %d, want %d", doc.Year, k.year)
			}
		})
	}
	articles, titled := 0, 0
	for name, doc := range docs {
		if doc.Skip != corpus.NotSkipped || name == "pysample_015_arabic-habibi.pdf" { // one word, not an article
			continue
		}
		articles++
		if doc.Title != "" {
			titled++
		} else {
			t.Logf("no title: %s", name)
		}
	}
	t.Logf("titles found for %d of %d text documents", titled, articles)
	if float64(titled) < 0.9*float64(articles) {
		t.Errorf("titles found for %d of %d text documents, want ≥ 90%%", titled, articles)
	}
}

// pdfTestWorkerEnv makes the test binary act as an extraction worker.
const pdfTestWorkerEnv = "PEERMAP_TEST_WORKER"

// pdfTestWorker returns the argv that re-runs this test binary as a worker.
func pdfTestWorker() []string {
	return []string{os.Args[0], "-test.run=^TestPDFWorkerProcess$"}
}

// TestPDFWorkerProcess is not a test: when pdfTestWorkerEnv is set it is the
// worker child (what `peermap extract-worker` does), then exits.
func TestPDFWorkerProcess(t *testing.T) {
	switch os.Getenv(pdfTestWorkerEnv) {
	case "1":
		if err := Worker(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	case "crash":
		panic("worker crashed on purpose")
	case "hang":
		time.Sleep(time.Minute)
		os.Exit(0)
	case "retire", "lowhard", "probe", "limit":
		pdfTestWorkerMode(os.Getenv(pdfTestWorkerEnv)) // worker_test.go; exits
	}
	t.Skip("helper process for the worker tests")
}

// TestPDFWorker checks the parent side: a result comes back, and a crashed
// or hung child becomes a Skip, not an error or a hang.
func TestPDFWorker(t *testing.T) {
	data := pdfTestDoc([]string{"Peer support workers share lived experience."})
	tests := []struct {
		name, mode string
		skip       corpus.Skip
		detail     string
	}{
		{"ok", "1", corpus.NotSkipped, ""},
		{"crash", "crash", corpus.SkipFailed, "worker crashed"},
		{"hang", "hang", corpus.SkipTimeout, "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(pdfTestWorkerEnv, tt.mode)
			opts := Options{Worker: pdfTestWorker(), Timeout: time.Second}
			doc, err := Extract(context.Background(), "test.pdf", data, opts)
			if err != nil {
				t.Fatalf("extractPDF via worker: %v", err)
			}
			if doc.Skip != tt.skip || !strings.Contains(doc.SkipDetail, tt.detail) {
				t.Fatalf("extractPDF via worker = skip %v %q, want %v %q", doc.Skip, doc.SkipDetail, tt.skip, tt.detail)
			}
			if tt.skip == corpus.NotSkipped && !strings.Contains(doc.Text, "lived experience") {
				t.Errorf("text = %q", doc.Text)
			}
		})
	}
}

// pdfTestDoc builds a small valid PDF with one page per string (Helvetica,
// WinAnsi), with a correct cross-reference table.
func pdfTestDoc(pages []string) []byte {
	var objs []string
	n := len(pages)
	// 1 catalog, 2 pages, 3 font, then page i at 4+2i and its content at 5+2i.
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>")
	objs = append(objs, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	objs = append(objs, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, text := range pages {
		var content strings.Builder
		if raw, ok := strings.CutPrefix(text, "raw:"); ok { // a content stream as is
			objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
			objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(raw), raw))
			continue
		}
		content.WriteString("BT /F1 11 Tf 72 720 Td 14 TL\n")
		for _, line := range strings.Split(text, "\n") {
			r := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
			fmt.Fprintf(&content, "(%s) Tj T*\n", r.Replace(line))
		}
		content.WriteString("ET")
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()))
	}
	return pdfTestFile(objs)
}

// pdfTestFile writes a PDF 1.4 file of objs (object i+1 is objs[i]; the
// first is the catalog) with a correct cross-reference table.
func pdfTestFile(objs []string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// TestExtractPDFSmall covers repair, cleanup and skip paths on built files.
func TestExtractPDFSmall(t *testing.T) {
	body := "Peer support workers share lived experience with service users."
	three := []string{
		"Journal of Peer Support 2024\nThe first page talks about commu-\nnity health workers.\n1",
		"Journal of Peer Support 2024\nThe second page is about peer-\nled groups.\n2",
		"Journal of Peer Support 2024\nThe third page ends a word over the page: recov-",
		"ery colleges.\n4",
	}
	tests := []struct {
		name    string
		data    []byte
		skip    corpus.Skip
		has     []string
		hasNot  []string
		warning string
	}{
		{name: "plain", data: pdfTestDoc([]string{body}), has: []string{body}},
		{name: "junk before header", data: append([]byte("HTTP/1.1 200 OK\r\n\r\n"), pdfTestDoc([]string{body})...), has: []string{body}, warning: "before the %PDF header"},
		{name: "PDF 2.0 header", data: []byte(strings.Replace(string(pdfTestDoc([]string{body})), "%PDF-1.4", "%PDF-2.0", 1)), has: []string{body}, warning: "read as %PDF-1.7"},
		{name: "junk after EOF", data: append(pdfTestDoc([]string{body}), []byte("\n<html>trailing junk</html>\n")...), has: []string{body}, warning: "after %%EOF"},
		{name: "cleanup", data: pdfTestDoc(three),
			has:    []string{"community\nhealth", "peerled\ngroups", "page: recovery\n\ncolleges."},
			hasNot: []string{"Journal of Peer Support", "\n1\n", "recov-"}},
		{name: "bad page", data: pdfTestDoc([]string{body, "raw:BT /F1 11 Tf 72 720 Td (Half a page) Tj ] >> ) ( <a1 [", "Third page survives."}),
			has: []string{body, "Third page survives."}, warning: "page 2: poor text"},
		{name: "empty", data: nil, skip: corpus.SkipInvalid},
		{name: "not a pdf", data: []byte("<html><body>hello</body></html>"), skip: corpus.SkipInvalid},
		{name: "truncated", data: pdfTestDoc([]string{body})[:200], skip: corpus.SkipInvalid},
		{name: "no text", data: pdfTestDoc([]string{""}), skip: corpus.SkipNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(context.Background(), tt.name+".pdf", tt.data, Options{PDFToText: "-"})
			if err != nil {
				t.Fatalf("extractPDF: %v", err)
			}
			pdfCheckDoc(t, tt.name, doc)
			if doc.Skip != tt.skip {
				t.Fatalf("extractPDF skip = %v %q, want %v", doc.Skip, doc.SkipDetail, tt.skip)
			}
			for _, s := range tt.has {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("text %q lacks %q", doc.Text, s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(doc.Text, s) {
					t.Errorf("text %q holds %q", doc.Text, s)
				}
			}
			if tt.warning != "" && !slices.ContainsFunc(doc.Warnings, func(w string) bool { return strings.Contains(w, tt.warning) }) {
				t.Errorf("warnings %q lack %q", doc.Warnings, tt.warning)
			}
		})
	}
}

func TestPDFRemoveFurniture(t *testing.T) {
	pages := [][]string{
		{"BMC Research 2014, 14:1", "Body one.", "Page 1 of 4"},
		{"BMC Research 2014, 14:2", "Body two.", "Page 2 of 4"},
		{"BMC Research 2014, 14:3", "Body three.", "- 3 -"},
		{"Other header", "Body four.", "iv"},
	}
	pdfRemoveFurniture(pages)
	want := [][]string{{"Body one."}, {"Body two."}, {"Body three."}, {"Other header", "Body four."}}
	for i := range want {
		if !slices.Equal(pages[i], want[i]) {
			t.Errorf("page %d = %q, want %q", i+1, pages[i], want[i])
		}
	}
}

func TestPDFQuality(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"clean", strings.Repeat("peer support workers share lived experience ", 20), ""},
		{"glued", strings.Repeat("peersupportworkerssharelivedexperience ", 40), "words without spaces"},
		{"garbage", strings.Repeat("\uE000\uE001\uFFFD ab ", 30), "garbage characters"},
		{"empty", "", "no text"},
	}
	for _, tt := range tests {
		if got := pdfMeasure(tt.text).poor(); got != tt.want {
			t.Errorf("%s: pdfMeasure(...).poor() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPDFReadingOrder measures reading order against pdftotext on the
// two-column files: pdftotext's lines of 40+ characters are looked up in
// our text, and the share of consecutive found lines that keep their order
// is the order agreement. Column one must come before column two, as in
// pdftotext, so the agreement must be ≥ 0.95.
func TestPDFReadingOrder(t *testing.T) {
	pdfCorpusFiles(t)
	bin := testtool.Path(t, "poppler-utils", "pdftotext")
	docs, err := pdfInProcess()
	if err != nil {
		t.Fatal(err)
	}
	space := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, name := range []string{
		"pysample_026_latex-multicolumn.pdf",       // LaTeX twocolumn
		"cermine_test1_trauma-dvt-prophylaxis.pdf", // BMC two-column
		"grobid_test_Grobid_1_05452615.pdf",        // IEEE two-column
		"cermine_example2_bmc-hsr-quality-improvement.pdf",
		"grobid_sample_bicriteria.pdf",
	} {
		doc := docs[name]
		if doc == nil || doc.Skip != corpus.NotSkipped {
			t.Errorf("%s: not extracted", name)
			continue
		}
		out, err := exec.Command(bin, "-q", "-enc", "UTF-8", filepath.Join(pdfCorpusDir, name), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		ours := space(doc.Text)
		lines, found, inOrder, pairs := 0, 0, 0, 0
		last := -1
		for _, l := range strings.Split(text.Normalize(string(out)), "\n") {
			l = space(l)
			if len(l) < 40 || strings.HasSuffix(l, "-") {
				continue
			}
			lines++
			i := strings.Index(ours, l)
			if i < 0 || strings.Count(ours, l) > 1 {
				continue
			}
			found++
			if last >= 0 {
				pairs++
				if i > last {
					inOrder++
				}
			}
			last = i
		}
		agree := float64(inOrder) / float64(max(pairs, 1))
		t.Logf("%-50s lines found %d/%d, in order %.3f", name, found, lines, agree)
		if agree < 0.95 {
			t.Errorf("%s: reading order agrees with pdftotext on %.3f of line pairs, want ≥ 0.95", name, agree)
		}
	}
}

// TestPDFTimeout checks the in-process guard: a file that takes longer than
// Options.Timeout becomes SkipTimeout, and a cancelled context an error.
func TestPDFTimeout(t *testing.T) {
	pdfCorpusFiles(t)
	data := mustRead(t, filepath.Join(pdfCorpusDir, "pysample_009_GeoTopo-komprimiert_117pages.pdf"))
	doc, err := Extract(context.Background(), "geotopo.pdf", data, Options{Timeout: time.Millisecond, PDFToText: "-"})
	if err != nil || doc.Skip != corpus.SkipTimeout {
		t.Errorf("extractPDF with 1ms timeout = %v, %v; want SkipTimeout", doc, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if doc, err := Extract(ctx, "geotopo.pdf", data, Options{PDFToText: "-"}); err == nil {
		t.Errorf("extractPDF with cancelled context = %+v, want an error", doc)
	}
}
