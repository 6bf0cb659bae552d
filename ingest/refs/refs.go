package refs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/expand"
	"github.com/peermap/peermap/internal/text"
)

// The export formats Detect returns and Read accepts.
const (
	FormatRIS      = "ris"
	FormatBibTeX   = "bibtex"
	FormatCSL      = "csl-json"
	FormatMedline  = "medline-xml"
	FormatNbib     = "nbib"
	FormatEndNote  = "endnote-xml"
	FormatISI      = "isi"
	FormatCSV      = "csv"
	FormatTSV      = "tsv"
	FormatOpenAlex = "openalex"
	FormatOvid     = "ovid"
	FormatTarGz    = "tar.gz"
	FormatZip      = "zip"
	FormatGz       = "gz"
	headSize       = 64 << 10
)

// Limits of one export, against broken and hostile files. A record past
// them is yielded with Skip = corpus.SkipTooLarge and reading goes on at
// the next record (line formats, BibTeX), or the file ends with one error
// (CSV, JSON and XML, whose parsers cannot skip to the next record). A
// compressed stream or archive member past them ends with an error that
// says so; an archive's other members are still read.
const (
	maxRecord = 8 << 20 // bytes of one record
	maxLine   = 1 << 20 // bytes of one line of RIS, nbib, ISI, Ovid or TSV
	maxExpand = 1 << 30 // bytes one gzip stream or archive member may expand to
	maxRatio  = 100     // expanded bytes per compressed byte, past the first MiB
	maxSpool  = 1 << 30 // bytes of a zip copied to a temporary file to be read
)

// limits are the limits a read runs with (tests lower them).
type limits struct {
	record, line, expand, ratio, spool int64
}

func defaultLimits() limits {
	return limits{record: maxRecord, line: maxLine, expand: maxExpand, ratio: maxRatio, spool: maxSpool}
}

// expansion returns the limits of a compressed stream or archive member.
func (l limits) expansion() expand.Limits {
	return expand.Limits{Max: l.expand, Ratio: l.ratio, Slack: 1 << 20}
}

// bibTypes are the BibTeX and BibLaTeX entry types Detect knows.
const bibTypes = `(article|book|booklet|inbook|incollection|inproceedings|conference|manual|mastersthesis|phdthesis|thesis|misc|online|electronic|www|proceedings|techreport|report|unpublished|string|preamble|comment|collection|mvbook|periodical|dataset|software|patent|standard)`

var (
	reRISTag    = text.Regexp(`(?m)^TY  -`)
	reNbibTag   = text.Regexp(`(?m)^(PMID|FAU |OWN |STAT)-`)
	reISITag    = text.Regexp(`(?m)^PT [A-Z]\s*$`)
	reOvidStart = text.Regexp(`^<\d+>\s*$`)
	reBibEntry  = text.Regexp(`(?mi)^\s*@` + bibTypes + `\s*[{(]`)
	reISITitle  = text.Regexp(`(?m)^TI `)
	reYear      = text.Regexp(`\b(1[5-9]\d\d|20\d\d)\b`)
	reCSLType   = text.Regexp(`"type"\s*:\s*"(article|article-journal|article-magazine|article-newspaper|bill|book|broadcast|chapter|classic|collection|dataset|document|entry|entry-dictionary|entry-encyclopedia|event|figure|graphic|hearing|interview|legal_case|legislation|manuscript|map|motion_picture|musical_score|pamphlet|paper-conference|patent|performance|periodical|personal_communication|post|post-weblog|regulation|report|review|review-book|software|song|speech|standard|thesis|treaty|webpage)"`)
	reCSLKey    = text.Regexp(`"(issued|container-title|DOI|accessed|event-date|original-date|citation-key|date-parts|family)"\s*:`)
)

// Detect returns the export format of a file from its first bytes (up to 64
// KiB) and its name, or "" if it is not a reference export. A gzip file whose
// content is recognisable from head is reported by its content format (Read
// decompresses it); otherwise it is "gz", "tar.gz" or "zip".
func Detect(head []byte, name string) string {
	return detect(head, name, 0)
}

// detect is Detect looking into at most one level of gzip.
func detect(head []byte, name string, depth int) string {
	if len(head) > headSize {
		head = head[:headSize]
	}
	lower := strings.ToLower(path.Base(name))
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		if strings.HasSuffix(lower, ".tar.gz") || strings.HasSuffix(lower, ".tgz") {
			return FormatTarGz
		}
		inner := gunzipHead(head)
		if len(inner) > 262 && string(inner[257:262]) == "ustar" {
			return FormatTarGz
		}
		if depth == 0 {
			if f := detect(inner, strings.TrimSuffix(name, path.Ext(name)), 1); f != "" && !isArchive(f) {
				return f
			}
		}
		return FormatGz
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if officeZip(head, lower) {
			return "" // a DOCX (or another office file) is a document, not an archive of exports
		}
		return FormatZip
	}
	text := toUTF8(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	trim := bytes.TrimLeft(text, " \t\r\n")
	switch {
	case bytes.HasPrefix(trim, []byte("<")):
		switch {
		case bytes.Contains(trim, []byte("<PubmedArticleSet")), bytes.Contains(trim, []byte("<MedlineCitationSet")),
			bytes.Contains(trim, []byte("<PubmedArticle>")), bytes.Contains(trim, []byte("<PubmedBookArticle>")),
			bytes.Contains(trim, []byte("<MedlineCitation ")):
			return FormatMedline
		case bytes.Contains(trim, []byte("<records>")) && bytes.Contains(trim, []byte("<record>")):
			return FormatEndNote
		case reOvidStart().Match(firstLine(trim)):
			return FormatOvid
		}
		return ""
	case bytes.HasPrefix(trim, []byte("[")) || bytes.HasPrefix(trim, []byte("{")):
		switch {
		case bytes.Contains(trim, []byte(`"abstract_inverted_index"`)), bytes.Contains(trim, []byte(`"https://openalex.org/W`)):
			return FormatOpenAlex
		case bytes.Contains(trim, []byte(`"title"`)) && (bytes.Contains(trim, []byte(`"DOI"`)) ||
			bytes.Contains(trim, []byte(`"container-title"`)) || bytes.Contains(trim, []byte(`"issued"`)) ||
			bytes.Contains(trim, []byte(`"family"`)) || bytes.Contains(trim, []byte(`"article-journal"`))):
			// CSL-JSON: a title and at least one CSL-specific key, so that
			// any JSON with a "title" is not taken for references.
			return FormatCSL
		case reCSLType().Match(trim) && bytes.Contains(trim, []byte(`"id"`)) && reCSLKey().Match(trim):
			// CSL-JSON items without a title (only id, type and a date, say):
			// a CSL item type, an id and a key only CSL uses.
			return FormatCSL
		}
		return ""
	case reRISTag().Match(trim):
		return FormatRIS
	case reNbibTag().Match(trim):
		return FormatNbib
	case bytes.HasPrefix(trim, []byte("FN ")) || reISITag().Match(trim) && reISITitle().Match(trim):
		return FormatISI
	case reBibEntry().Match(trim):
		return FormatBibTeX
	}
	// A table is an export when its header names a column Read knows
	// (title, abstract, doi, pmid, ...); other CSV files are data, not references.
	header := string(firstLine(trim))
	switch {
	case strings.HasSuffix(lower, ".tsv"), strings.HasSuffix(lower, ".tab"):
		if knownHeader(header, "\t") {
			return FormatTSV
		}
	case strings.HasSuffix(lower, ".csv"):
		if knownHeader(header, ",") {
			return FormatCSV
		}
	case knownHeader(header, "\t") && knownColumns(header, "\t") >= 2:
		return FormatTSV
	case knownHeader(header, ",") && knownColumns(header, ",") >= 2:
		return FormatCSV // without the extension, two known columns are needed
	}
	return ""
}

// knownHeader reports whether header, split at sep, names a title or
// abstract column, or an identifier column (doi, pmid, standard_id).
func knownHeader(header, sep string) bool {
	for _, h := range strings.Split(header, sep) {
		switch csvColumns[strings.ToLower(strings.TrimSpace(strings.Trim(h, "\"")))] {
		case "title", "abstract", "doi", "pmid", "id":
			return true
		}
	}
	return false
}

// knownColumns counts the columns of header that Read maps to a field.
func knownColumns(header, sep string) int {
	n := 0
	for _, h := range strings.Split(header, sep) {
		if _, ok := csvColumns[strings.ToLower(strings.TrimSpace(strings.Trim(h, "\"")))]; ok {
			n++
		}
	}
	return n
}

// officeZip reports whether a zip is an office document (OOXML: DOCX,
// XLSX, PPTX; OpenDocument; EPUB), by its name or its first members.
func officeZip(head []byte, lower string) bool {
	switch path.Ext(lower) {
	case ".docx", ".docm", ".dotx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub":
		return true
	}
	return bytes.Contains(head, []byte("[Content_Types].xml")) || bytes.Contains(head, []byte("word/")) ||
		bytes.Contains(head[:min(len(head), 64)], []byte("mimetypeapplication/"))
}

func isArchive(f string) bool { return f == FormatTarGz || f == FormatZip || f == FormatGz }

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return bytes.TrimRight(b[:i], "\r")
	}
	return b
}

// Read streams the records of r, an export of the given format ("" means
// detect it from the first bytes and name). Each record becomes a Document
// of kind record; a record without title and abstract is yielded with
// Skip = corpus.SkipEmpty, a record that cannot be parsed with
// Skip = corpus.SkipInvalid, so the number of documents equals the number of
// records in the file. A fatal error (unreadable stream, broken container)
// is yielded once as an error naming the file, and ends the sequence.
//
// Read holds one record at a time, never the file: see the limits above.
func Read(ctx context.Context, r io.Reader, name, format string) iter.Seq2[*corpus.Document, error] {
	return read(ctx, r, name, format, defaultLimits())
}

func read(ctx context.Context, r io.Reader, name, format string, lim limits) iter.Seq2[*corpus.Document, error] {
	return func(yield func(*corpus.Document, error) bool) {
		e := &emitter{ctx: ctx, name: name, yield: yield, lim: lim}
		err := e.read(r, name, format)
		if err != nil && !e.stopped {
			yield(nil, fmt.Errorf("read %s: %w", name, err))
		}
	}
}

// errStop ends a parser once the consumer has stopped or ctx is done.
var errStop = errors.New("stopped")

// An emitter numbers records and hands them to the consumer.
type emitter struct {
	ctx      context.Context
	name     string // the file records are numbered in (an archive, not its member)
	gz       int    // gzip layers opened so far
	n        int
	format   string
	yield    func(*corpus.Document, error) bool
	stopped  bool
	lim      limits
	nested   bool   // reading an archive member
	pending  int64  // bytes read for the record being parsed
	cut      string // why the record being parsed is cut, "" if it is not
	cutShort bool   // cut by the end of the stream (an error), not by a limit
}

func (e *emitter) read(r io.Reader, name, format string) error {
	br := bufio.NewReaderSize(r, headSize)
	head, err := br.Peek(headSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return err
	}
	if format == "" {
		format = Detect(head, name)
		if format == "" {
			return fmt.Errorf("not a reference export")
		}
	}
	if e.nested && (format == FormatZip || format == FormatTarGz) {
		return errors.New("an archive inside an archive is not read")
	}
	if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) && format != FormatTarGz {
		if e.gz++; e.gz > 2 {
			return errors.New("gzip nested more than twice")
		}
		zr, x, err := e.gunzip(br)
		if err != nil {
			return err
		}
		defer zr.Close()
		inner := strings.TrimSuffix(name, path.Ext(name))
		if format == FormatGz {
			format = ""
		}
		return e.read(x, inner, format)
	}
	e.format = format
	var perr error
	switch format {
	case FormatRIS:
		perr = readRIS(e.text(br), e)
	case FormatNbib:
		perr = readNbib(e.text(br), e)
	case FormatISI:
		perr = readISI(e.text(br), e)
	case FormatOvid:
		perr = readOvid(e.text(br), e)
	case FormatBibTeX:
		perr = readBibTeX(e.text(br), e)
	case FormatCSV:
		perr = readCSV(e.text(e.budget(br)), e, ',')
	case FormatTSV:
		perr = readCSV(e.text(br), e, '\t')
	case FormatCSL:
		perr = readCSL(e.budget(br), e)
	case FormatOpenAlex:
		perr = readOpenAlex(e.budget(br), e)
	case FormatMedline:
		perr = readMedline(e.budget(br), e)
	case FormatEndNote:
		perr = readEndNote(e.budget(br), e)
	case FormatTarGz:
		perr = readTarGz(br, e)
	case FormatZip:
		perr = readZip(br, e)
	default:
		return fmt.Errorf("unknown format %q", format)
	}
	if perr == errStop {
		return nil
	}
	return perr
}

// A rec is the bibliographic content of one record, before it becomes a Document.
type rec struct {
	title, venue, abstract, lang, doi, pmid string
	authors, keywords                       []string
	year                                    int
}

// emit turns raw (the record's own bytes) and r into a Document and yields it.
// It returns errStop when the consumer wants no more.
func (e *emitter) emit(raw []byte, r *rec) error {
	return e.send(raw, r, corpus.NotSkipped, "")
}

// invalid yields record raw as unparseable.
func (e *emitter) invalid(raw []byte, cause error) error {
	return e.send(raw, &rec{}, corpus.SkipInvalid, fmt.Sprintf("record %d: %v", e.n+1, cause))
}

func (e *emitter) send(raw []byte, r *rec, skip corpus.Skip, detail string) error {
	if e.stopped {
		return errStop
	}
	if err := e.ctx.Err(); err != nil {
		e.stopped = true
		e.yield(nil, fmt.Errorf("read %s: %w", e.name, err))
		return errStop
	}
	e.n++
	if e.cut != "" && skip == corpus.NotSkipped {
		skip, detail = corpus.SkipTooLarge, fmt.Sprintf("record %d: %s", e.n, e.cut)
		if e.cutShort {
			skip = corpus.SkipInvalid
		}
	}
	e.cutShort = false
	e.cut, e.pending = "", 0
	d := &corpus.Document{
		ID:       corpus.NewDocID(raw),
		Path:     e.name + "#" + strconv.Itoa(e.n),
		Source:   e.name,
		Record:   e.n,
		Format:   e.format,
		Kind:     corpus.KindRecord,
		Title:    clean(r.title),
		Venue:    clean(r.venue),
		Abstract: cleanPara(r.abstract),
		DOI:      text.DOI(clean(r.doi)),
		PMID:     cleanPMID(r.pmid),
		Year:     r.year,
		Lang:     langCode(r.lang),
		Size:     int64(len(raw)),
	}
	for _, a := range r.authors {
		if a = clean(a); a != "" {
			d.Authors = append(d.Authors, a)
		}
	}
	seen := map[string]bool{}
	for _, k := range r.keywords {
		if k = clean(k); k != "" && !seen[strings.ToLower(k)] {
			seen[strings.ToLower(k)] = true
			d.Keywords = append(d.Keywords, k)
		}
	}
	switch {
	case skip != corpus.NotSkipped:
		d.Skip, d.SkipDetail = skip, detail
	case d.Title == "" && d.Abstract == "":
		d.Skip, d.SkipDetail = corpus.SkipEmpty, fmt.Sprintf("record %d has no title and no abstract", e.n)
	}
	switch {
	case d.Title != "" && d.Abstract != "":
		d.Text = d.Title + "\n\n" + d.Abstract
	case d.Title != "":
		d.Text = d.Title
	default:
		d.Text = d.Abstract
	}
	if !e.yield(d, nil) {
		e.stopped = true
		return errStop
	}
	return nil
}

// clean collapses white space and drops invalid UTF-8 and control characters.
func clean(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' ' // NUL, escape and other control bytes are not text
			}
			return r
		}, s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// cleanPara is clean applied to each line, keeping line breaks between
// non-empty lines (structured abstracts keep one section per line).
func cleanPara(s string) string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = clean(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// cleanPMID keeps the digits of a PubMed ID written as "123", "PMID: 123" or
// "https://pubmed.ncbi.nlm.nih.gov/123".
func cleanPMID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, "/")
	if i := strings.LastIndexAny(s, "/: "); i >= 0 {
		s = s[i+1:]
	}
	if s == "" || len(s) > 10 {
		return ""
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return strings.TrimLeft(s, "0")
}

// year returns the first plausible year (1500-2099) in s, 0 if none.
func year(s string) int {
	m := reYear().FindString(s)
	if m == "" {
		return 0
	}
	y, _ := strconv.Atoi(m)
	return y
}

var langCodes = map[string]string{
	"en": "en", "eng": "en", "english": "en",
	"fr": "fr", "fre": "fr", "fra": "fr", "french": "fr", "français": "fr", "francais": "fr",
	"de": "de", "ger": "de", "deu": "de", "german": "de",
	"es": "es", "spa": "es", "spanish": "es",
	"it": "it", "ita": "it", "italian": "it",
	"nl": "nl", "dut": "nl", "nld": "nl", "dutch": "nl",
	"pt": "pt", "por": "pt", "portuguese": "pt",
	"zh": "zh", "chi": "zh", "zho": "zh", "chinese": "zh",
	"ja": "ja", "jpn": "ja", "japanese": "ja",
	"ru": "ru", "rus": "ru", "russian": "ru",
	"pl": "pl", "pol": "pl", "polish": "pl",
	"sv": "sv", "swe": "sv", "swedish": "sv",
	"da": "da", "dan": "da", "danish": "da",
	"no": "no", "nor": "no", "norwegian": "no",
	"fi": "fi", "fin": "fi", "finnish": "fi",
	"ko": "ko", "kor": "ko", "korean": "ko",
	"tr": "tr", "tur": "tr", "turkish": "tr",
	"ar": "ar", "ara": "ar", "arabic": "ar",
}

// langCode maps a language name or ISO 639-1/639-2 code to ISO 639-1, "" if unknown.
func langCode(s string) string {
	s = strings.ToLower(clean(s))
	if i := strings.IndexAny(s, ";,"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return langCodes[s]
}

// toUTF8 returns b unchanged if it is valid UTF-8, else b decoded as Windows-1252.
func toUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// A utf8Reader yields its source line by line, each line valid UTF-8: a line
// that is not is taken as Windows-1252 (which covers Latin-1). A leading
// byte-order mark is dropped. Lines never split a UTF-8 sequence, so a file
// can mix both encodings line by line. A line longer than the read buffer
// (64 KiB) is decided piece by piece, each piece ending at a character
// boundary, so that a file on one line is never held whole.
type utf8Reader struct {
	br    *bufio.Reader
	line  []byte // the piece being converted
	carry []byte // the start of a UTF-8 sequence cut by the buffer's end
	buf   []byte
	first bool
	err   error
	e     *emitter // whose limits a lineScanner over this reader applies; nil means none
}

func newUTF8Reader(r io.Reader) *utf8Reader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &utf8Reader{br: br, first: true}
}

// text returns a utf8Reader of r that carries e's limits to a lineScanner.
func (e *emitter) text(r io.Reader) *utf8Reader {
	u := newUTF8Reader(r)
	u.e = e
	return u
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	for len(u.buf) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		piece, err := u.br.ReadSlice('\n')
		u.line = append(append(u.line[:0], u.carry...), piece...)
		u.carry = u.carry[:0]
		switch err {
		case nil:
		case bufio.ErrBufferFull:
			n := len(u.line) - partialRune(u.line)
			u.carry = append(u.carry, u.line[n:]...)
			u.line = u.line[:n]
		default:
			u.err = err
		}
		if u.first {
			u.line = bytes.TrimPrefix(u.line, []byte("\xef\xbb\xbf"))
			u.first = false
		}
		u.buf = toUTF8(u.line)
	}
	n := copy(p, u.buf)
	u.buf = u.buf[n:]
	return n, nil
}

// partialRune returns the length of the incomplete UTF-8 sequence that ends
// b, 0 if b ends on a character boundary.
func partialRune(b []byte) int {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 { // a lead byte: is its sequence complete?
			need := 2
			switch {
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			}
			if need > i {
				return i
			}
			return 0
		}
	}
	return 0
}

// A lineScanner yields lines without their end of line (LF or CRLF). Over a
// utf8Reader made by emitter.text it converts each line as the utf8Reader
// would, and applies the emitter's limits: a line longer than the line
// limit is cut there (its rest is skipped unread), and a record longer than
// the record limit is cut; in both cases the lines up to the next record
// start are skipped and the record is yielded as too large. Otherwise it
// accepts lines of any length.
type lineScanner struct {
	br       *bufio.Reader
	conv     bool // convert each line to UTF-8 and drop a leading BOM
	first    bool
	e        *emitter // nil means no limits
	start    func(line string) bool
	skipping bool   // skipping to the next record start
	resumed  bool   // the last line returned ended a skip
	recut    string // why the record opened by that line is cut too
	buf      []byte
	err      error
	done     bool
}

func lines(r io.Reader) *lineScanner {
	if u, ok := r.(*utf8Reader); ok && len(u.buf) == 0 && u.err == nil && len(u.carry) == 0 {
		s := &lineScanner{br: u.br, conv: true, first: u.first, e: u.e}
		if s.e != nil {
			s.start = recordStart(s.e.format)
		}
		return s
	}
	return &lineScanner{br: bufio.NewReaderSize(r, 64<<10)}
}

// recordStart returns the test of a line that starts a record of format
// (or, for nbib, ends a block), the place a reader resynchronises after a
// record cut short.
func recordStart(format string) func(string) bool {
	switch format {
	case FormatRIS:
		return func(l string) bool { tag, _, ok := risTag(l); return ok && tag == "TY" }
	case FormatISI:
		return func(l string) bool { return strings.HasPrefix(l, "PT") && (len(l) == 2 || l[2] == ' ') }
	case FormatOvid:
		return reOvidStart().MatchString
	case FormatNbib:
		return func(l string) bool { return strings.TrimSpace(l) == "" }
	}
	return func(string) bool { return true } // TSV: a record is a line
}

// next returns the next line and true, or "" and false at the end.
func (s *lineScanner) next() (string, bool) {
	if s.resumed {
		// The reader has seen the start line that ended a skip, and so
		// yielded the cut record if one was open: the cut ends with it.
		s.e.cut, s.recut, s.resumed = s.recut, "", false
	}
	for {
		line, long, ok := s.read()
		if !ok {
			return "", false
		}
		if s.e == nil {
			return line, true
		}
		start := s.start(line)
		if s.skipping && !start {
			continue
		}
		if start {
			s.e.pending = 0
		}
		s.e.pending += int64(len(line)) + 1
		why := ""
		switch {
		case long:
			why = "a line longer than " + expand.Size(s.e.lim.line)
		case s.e.pending > s.e.lim.record:
			why = "longer than " + expand.Size(s.e.lim.record)
		}
		switch {
		case s.skipping: // a start line ends the skip
			s.skipping, s.resumed = why != "", true
			s.recut = why // the new record is cut too
		case why != "" && s.e.cut == "":
			s.e.cut, s.skipping = why, true
		}
		return line, true
	}
}

// read returns the next line, cut at the line limit (long reports that it
// was), and true; or false at the end.
func (s *lineScanner) read() (line string, long, ok bool) {
	if s.done {
		return "", false, false
	}
	limit := -1
	if s.e != nil {
		limit = int(s.e.lim.line)
	}
	s.buf = s.buf[:0]
	for {
		piece, err := s.br.ReadSlice('\n')
		if limit >= 0 && len(s.buf)+len(piece) > limit {
			s.buf = append(s.buf, piece[:max(0, limit-len(s.buf))]...)
			long = true
		} else {
			s.buf = append(s.buf, piece...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			s.done = true
			if err != io.EOF {
				s.err = err
				if s.e != nil {
					// The record being read ends here, not where it should.
					s.e.cut, s.e.cutShort = "cut short: "+err.Error(), true
				}
			}
			if len(s.buf) == 0 {
				return "", false, false
			}
		}
		break
	}
	b := bytes.TrimRight(s.buf, "\r\n")
	if s.conv {
		if s.first {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
			s.first = false
		}
		if !long {
			b = toUTF8(b)
		} else {
			b = toUTF8(b[:len(b)-partialRune(b)])
		}
	}
	return string(b), long, true
}

// A budget fails a read once the record being parsed passes the record
// limit, for the formats whose parser holds a record whole and cannot skip
// to the next one (CSV, JSON, XML): the file ends with that error.
type budget struct {
	r io.Reader
	e *emitter
}

func (e *emitter) budget(r io.Reader) io.Reader { return &budget{r: r, e: e} }

func (b *budget) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.e.pending += int64(n)
	if b.e.pending > b.e.lim.record {
		return n, &errTooLong{int64(b.e.n) + 1, b.e.lim.record}
	}
	return n, err
}

// An errTooLong ends a file whose record n is longer than the limit.
type errTooLong struct{ n, limit int64 }

func (e *errTooLong) Error() string {
	return fmt.Sprintf("record %d is longer than %s: the rest of the file is not read", e.n, expand.Size(e.limit))
}

// broken reports whether err, met while parsing a record, comes from the
// stream (the record limit, a compression bomb) rather than from the
// record's content: the record is not yielded and the file ends with err.
func broken(err error) bool {
	var long *errTooLong
	var bomb *expand.Error
	return errors.As(err, &long) || errors.As(err, &bomb)
}
