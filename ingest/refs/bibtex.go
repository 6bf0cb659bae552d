package refs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/peermap/peermap/internal/text"

	"golang.org/x/text/unicode/norm"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/expand"
)

// bibReader is a rune reader that can record what it reads (the raw bytes
// of the current entry) and knows whether it is at the start of a line.
// While it records, it stops with errNextEntry before an entry that starts
// a line (the current one was not closed) and with an *errLong once the
// entry passes limit bytes.
type bibReader struct {
	br        *bufio.Reader
	raw       strings.Builder
	recording bool
	lineStart bool
	limit     int
}

// errNextEntry ends an entry that is not closed before the next one.
var errNextEntry = errors.New("entry not closed before the next entry")

// An errLong ends an entry longer than the record limit.
type errLong struct{ limit int }

func (e *errLong) Error() string { return "longer than " + expand.Size(int64(e.limit)) }

// reBibStart matches the start of an entry at the start of a line.
var reBibStart = text.Regexp(`(?i)^@` + bibTypes + `\s*[{(]`)

func (b *bibReader) next() (rune, error) {
	if b.recording {
		if b.raw.Len() >= b.limit {
			return 0, &errLong{b.limit}
		}
		if b.lineStart {
			if head, _ := b.br.Peek(64); len(head) > 0 && head[0] == '@' && reBibStart().Match(head) {
				return 0, errNextEntry
			}
		}
	}
	c, _, err := b.br.ReadRune()
	if err != nil {
		return 0, err
	}
	if b.recording {
		b.raw.WriteRune(c)
	}
	b.lineStart = c == '\n'
	return c, nil
}

func (b *bibReader) peek() (rune, error) {
	c, _, err := b.br.ReadRune()
	if err != nil {
		return 0, err
	}
	return c, b.br.UnreadRune()
}

func (b *bibReader) skipSpace() error {
	for {
		c, err := b.peek()
		if err != nil {
			return err
		}
		if !unicode.IsSpace(c) {
			return nil
		}
		b.next()
	}
}

func (b *bibReader) ident() (string, error) {
	var s strings.Builder
	for {
		c, err := b.peek()
		if err != nil {
			if err == io.EOF && s.Len() > 0 {
				return s.String(), nil
			}
			return s.String(), err
		}
		if unicode.IsSpace(c) || strings.ContainsRune("{}(),=#\"@", c) {
			return s.String(), nil
		}
		b.next()
		s.WriteRune(c)
	}
}

// errBib is a syntax error in one entry.
type errBib struct{ msg string }

func (e *errBib) Error() string { return e.msg }

func bibErr(format string, args ...any) error { return &errBib{fmt.Sprintf(format, args...)} }

// braced reads a {...} group whose '{' has been read, and returns its
// content with inner braces kept.
func (b *bibReader) braced() (string, error) {
	var s strings.Builder
	depth := 1
	for {
		c, err := b.next()
		if err != nil {
			return s.String(), err
		}
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s.String(), nil
			}
		}
		s.WriteRune(c)
	}
}

// quoted reads a "..." string whose '"' has been read; a '"' inside braces
// does not end it.
func (b *bibReader) quoted() (string, error) {
	var s strings.Builder
	depth := 0
	for {
		c, err := b.next()
		if err != nil {
			return s.String(), err
		}
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
		case c == '"' && depth <= 0:
			return s.String(), nil
		}
		s.WriteRune(c)
	}
}

// value reads a field value: pieces joined by '#', each a braced group, a
// quoted string, a number or a macro name.
func (b *bibReader) value(macros map[string]string) (string, error) {
	var out strings.Builder
	for {
		if err := b.skipSpace(); err != nil {
			return out.String(), err
		}
		c, err := b.peek()
		if err != nil {
			return out.String(), err
		}
		switch {
		case c == '{':
			b.next()
			s, err := b.braced()
			out.WriteString(s)
			if err != nil {
				return out.String(), err
			}
		case c == '"':
			b.next()
			s, err := b.quoted()
			out.WriteString(s)
			if err != nil {
				return out.String(), err
			}
		default:
			id, err := b.ident()
			if err != nil && err != io.EOF {
				return out.String(), err
			}
			if id == "" {
				return out.String(), bibErr("expected a value, found %q", c)
			}
			if v, ok := macros[strings.ToLower(id)]; ok {
				out.WriteString(v)
			} else {
				out.WriteString(id) // a number, or an undefined macro kept as its name
			}
		}
		if err := b.skipSpace(); err != nil {
			return out.String(), err
		}
		if c, err := b.peek(); err != nil || c != '#' {
			return out.String(), err
		}
		b.next()
	}
}

var bibMonths = map[string]string{
	"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
	"jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

// readBibTeX reads BibTeX and BibLaTeX. Every @type{key, field = value, ...}
// entry is a record, except @string (macro definitions, expanded in later
// values, with the month macros predefined), @preamble and @comment. Text
// outside entries is ignored. A malformed entry is yielded as invalid and
// reading resumes at the next '@' that starts a line.
//
// Fields: title; author (else editor), split on "and", written "Family,
// Given"; year (else date); venue journal, journaltitle, booktitle, series,
// school, institution; doi (else a DOI in url); pmid (or eprint with
// eprinttype pubmed); abstract; keywords (","/";"-separated); language,
// langid. LaTeX accents and common commands become Unicode.
func readBibTeX(r *utf8Reader, e *emitter) error {
	b := &bibReader{br: bufio.NewReaderSize(r, 64<<10), lineStart: true, limit: int(e.lim.record)}
	macros := map[string]string{}
	for k, v := range bibMonths {
		macros[k] = v
	}
	for {
		// Find the next '@'.
		c, err := b.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if c != '@' {
			continue
		}
		b.raw.Reset()
		b.raw.WriteRune('@')
		b.recording = true
		typ, fields, perr := b.entry(macros)
		b.recording = false
		raw := b.raw.String()
		var long *errLong
		switch {
		case perr == nil, isBibSyntax(perr):
		case perr == errNextEntry, errors.As(perr, &long):
		case errors.Is(perr, io.EOF), errors.Is(perr, io.ErrUnexpectedEOF):
			perr = errors.New("entry not closed at the end of the file")
		default:
			return perr // the stream failed
		}
		switch typ {
		case "":
			// '@' not followed by an entry type: stray text.
			continue
		case "comment", "preamble", "string":
			if typ == "string" && perr == nil {
				for _, f := range fields {
					macros[f.tag] = f.val
				}
			}
		default:
			var err error
			switch {
			case perr == nil:
				err = e.emit([]byte(raw), bibRec(fields))
			case long != nil:
				err = e.send([]byte(raw), &rec{}, corpus.SkipTooLarge, fmt.Sprintf("record %d: %v", e.n+1, perr))
			default:
				err = e.invalid([]byte(raw), perr)
			}
			if err != nil {
				return err
			}
		}
		if perr == nil || perr == errNextEntry {
			continue
		}
		// Skip to the next '@' that starts a line.
		if err := b.resync(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func isBibSyntax(err error) bool {
	var se *errBib
	return errors.As(err, &se)
}

// resync skips to the next '@' at the start of a line, leaving it unread.
// It is not recording: the lines it skips are read a buffer at a time.
func (b *bibReader) resync() error {
	for {
		if b.lineStart {
			c, err := b.peek()
			if err != nil {
				return err
			}
			if c == '@' {
				return nil
			}
		}
		_, err := b.br.ReadSlice('\n')
		switch err {
		case nil:
			b.lineStart = true
		case bufio.ErrBufferFull:
			b.lineStart = false
		default:
			return err
		}
	}
}

// entry reads an entry whose '@' has been read and returns its lower-case
// type and its fields (tag = lower-case field name). For @string the fields
// are the macros; for @comment and @preamble none.
func (b *bibReader) entry(macros map[string]string) (string, tagged, error) {
	if err := b.skipSpace(); err != nil {
		return "", nil, err
	}
	typ, err := b.ident()
	typ = strings.ToLower(typ)
	if err != nil || typ == "" {
		return "", nil, err
	}
	if err := b.skipSpace(); err != nil {
		return typ, nil, err
	}
	open, err := b.next()
	if err != nil {
		return typ, nil, err
	}
	if open != '{' && open != '(' {
		if typ == "comment" {
			return typ, nil, nil // "@comment" as a line comment
		}
		return "", nil, nil
	}
	closer := '}'
	if open == '(' {
		closer = ')'
	}
	if typ == "comment" || typ == "preamble" {
		if open == '{' {
			_, err := b.braced()
			return typ, nil, err
		}
		for {
			c, err := b.next()
			if err != nil || c == ')' {
				return typ, nil, err
			}
		}
	}
	var fields tagged
	if typ != "string" {
		// The citation key runs to the first ',' (or the end of the entry).
		if err := b.skipSpace(); err != nil {
			return typ, nil, err
		}
		for {
			c, err := b.next()
			if err != nil {
				return typ, nil, err
			}
			if c == ',' {
				break
			}
			if c == closer {
				return typ, nil, nil
			}
			if c == '@' {
				return typ, nil, bibErr("'@' in citation key")
			}
		}
	}
	for {
		if err := b.skipSpace(); err != nil {
			return typ, fields, err
		}
		c, err := b.peek()
		if err != nil {
			return typ, fields, err
		}
		if c == closer {
			b.next()
			return typ, fields, nil
		}
		if c == ',' {
			b.next()
			continue
		}
		name, err := b.ident()
		if err != nil {
			return typ, fields, err
		}
		if name == "" {
			return typ, fields, bibErr("expected a field name, found %q", c)
		}
		if err := b.skipSpace(); err != nil {
			return typ, fields, err
		}
		if c, err := b.next(); err != nil || c != '=' {
			if err != nil {
				return typ, fields, err
			}
			return typ, fields, bibErr("expected '=' after %q, found %q", name, c)
		}
		v, err := b.value(macros)
		if err != nil {
			return typ, fields, err
		}
		fields = append(fields, field{tag: strings.ToLower(name), val: v})
	}
}

func bibRec(t tagged) *rec {
	r := &rec{
		title:    latex(t.first("title")),
		abstract: latex(t.first("abstract")),
		lang:     latex(t.first("language", "langid")),
		doi:      t.first("doi"),
		pmid:     t.first("pmid"),
		venue:    latex(t.first("journal", "journaltitle", "booktitle", "series", "school", "institution")),
	}
	authors := t.first("author")
	if authors == "" {
		authors = t.first("editor")
	}
	for _, a := range splitAnd(authors) {
		r.authors = append(r.authors, bibName(a))
	}
	r.year = year(t.first("year", "date"))
	if r.doi == "" {
		if u := t.first("url"); strings.Contains(strings.ToLower(u), "doi") {
			r.doi = u
		}
	}
	if r.pmid == "" && strings.EqualFold(t.first("eprinttype"), "pubmed") {
		r.pmid = t.first("eprint")
	}
	r.keywords = append(r.keywords, strings.FieldsFunc(latex(t.first("keywords")), isListSep)...)
	return r
}

// splitAnd splits a BibTeX name list at " and " outside braces.
func splitAnd(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ' ', '\t', '\n', '\r':
			if depth == 0 && i+5 <= len(s) && strings.EqualFold(s[i+1:i+4], "and") && i+4 < len(s) && unicode.IsSpace(rune(s[i+4])) {
				out = append(out, s[start:i])
				start = i + 5
				i += 4
			}
		}
	}
	out = append(out, s[start:])
	var names []string
	for _, n := range out {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// bibName turns a BibTeX name ("Given Family", "Family, Given", "{Corporate
// Name}") into "Family, Given".
func bibName(n string) string {
	if strings.HasPrefix(n, "{") && strings.HasSuffix(n, "}") && !strings.Contains(n[1:len(n)-1], "}") {
		return latex(n)
	}
	depth := 0
	for i := 0; i < len(n); i++ {
		switch n[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				return clean(latex(n))
			}
		}
	}
	words := strings.Fields(latex(n))
	if len(words) < 2 {
		return strings.Join(words, " ")
	}
	// "Ludwig van Beethoven": the family name starts at the first lower-case word.
	cut := len(words) - 1
	for i := 1; i < len(words)-1; i++ {
		if r := []rune(words[i]); unicode.IsLower(r[0]) {
			cut = i
			break
		}
	}
	return strings.Join(words[cut:], " ") + ", " + strings.Join(words[:cut], " ")
}

// latexAccents maps accent commands to combining characters.
var latexAccents = map[string]rune{
	"\"": '\u0308', "'": '\u0301', "`": '\u0300', "^": '\u0302', "~": '\u0303', "=": '\u0304', ".": '\u0307',
	"c": '\u0327', "v": '\u030c', "u": '\u0306', "H": '\u030b', "k": '\u0328', "r": '\u030a', "d": '\u0323', "b": '\u0331',
}

// latexSymbols maps letter commands to text.
var latexSymbols = map[string]string{
	"aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	"l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "textendash": "–", "textemdash": "—", "textquoteright": "’",
	"textquoteleft": "‘", "ldots": "…", "dots": "…", "textregistered": "®", "texttrademark": "™", "copyright": "©",
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "kappa": "κ", "lambda": "λ", "mu": "μ",
	"pi": "π", "sigma": "σ", "tau": "τ", "omega": "ω", "Delta": "Δ", "Omega": "Ω", "pm": "±", "times": "×",
	"textasciitilde": "~", "textbackslash": "\\", "S": "§", "P": "¶", "textdegree": "°", "degree": "°",
}

// latex turns the LaTeX of a BibTeX value into plain Unicode text: accents
// (\"o, \'{e}, {\c c}), letter commands (\ss, \o), escaped specials (\&, \%),
// dashes (-- and ---), ties (~); other commands (\textit{x}, \emph{x}) are
// dropped and their argument kept; braces are removed.
func latex(s string) string {
	if !strings.ContainsAny(s, "\\{}~-$") {
		return s
	}
	var out strings.Builder
	rs := []rune(s)
	var pending rune // a combining accent waiting for its letter
	write := func(c rune) {
		out.WriteRune(c)
		if pending != 0 && !unicode.IsSpace(c) {
			out.WriteRune(pending)
			pending = 0
		}
	}
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '{', '}', '$':
			continue
		case '~':
			write(' ')
			continue
		case '-':
			switch {
			case i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] == '-':
				write('—')
				i += 2
			case i+1 < len(rs) && rs[i+1] == '-':
				write('–')
				i++
			default:
				write('-')
			}
			continue
		case '\\':
		default:
			write(c)
			continue
		}
		// A command.
		if i+1 >= len(rs) {
			break
		}
		n := rs[i+1]
		if !unicode.IsLetter(n) {
			i++
			if acc, ok := latexAccents[string(n)]; ok {
				pending = acc
				continue
			}
			if n == '\\' {
				write(' ')
			} else {
				write(n)
			}
			continue
		}
		j := i + 1
		for j < len(rs) && unicode.IsLetter(rs[j]) && rs[j] < 128 {
			j++
		}
		name := string(rs[i+1 : j])
		i = j - 1
		if acc, ok := latexAccents[name]; ok && len(name) == 1 {
			pending = acc
			// Skip the space after "\c c".
			if j < len(rs) && rs[j] == ' ' {
				i++
			}
			continue
		}
		if sym, ok := latexSymbols[name]; ok {
			for _, r := range sym {
				write(r)
			}
			if j < len(rs) && rs[j] == ' ' && j+1 < len(rs) && rs[j+1] != ' ' {
				// "\ss e" is "ße"; "\ss{}e" too.
				i++
			}
		}
		// Any other command is dropped; its braced argument is kept as text.
	}
	return norm.NFC.String(out.String())
}
