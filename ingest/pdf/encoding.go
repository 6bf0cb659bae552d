package pdf

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/text"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// Type1 fonts with neither /Encoding nor /ToUnicode (pdfTeX's Computer
// Modern subsets: CMR10, CMBX12, CMSY10, ...) use the encoding built into
// the font program. ledongthuc/pdf reads their codes as PDFDocEncoding, so
// the OT1 ligature slots (0x0B–0x0F: ff fi fl ffi ffl) came out as U+FFFD
// ("�lled", "O�cial") and GeoTopo lost a word on most pages. pdfBuiltinTable
// reads the "dup <code> /<glyph> put" lines of the font's clear-text part and
// maps glyph names to text.

var pdfDupRe = text.Regexp(`dup\s+(\d{1,3})\s*/([A-Za-z0-9._]+)\s+put`)

// pdfGlyphNames maps the glyph names met in TeX and other Type1 fonts to
// text. Single letters and digits' names are handled in pdfGlyphText.
var pdfGlyphNames = map[string]string{
	"ff": "ff", "fi": "fi", "fl": "fl", "ffi": "ffi", "ffl": "ffl",
	"dotlessi": "ı", "dotlessj": "ȷ", "germandbls": "ß", "ae": "æ", "oe": "œ", "oslash": "ø",
	"AE": "Æ", "OE": "Œ", "Oslash": "Ø", "aring": "å", "Aring": "Å",
	"endash": "–", "emdash": "—", "quotedblleft": "“", "quotedblright": "”", "quoteleft": "‘", "quoteright": "’",
	"quotesinglbase": "‚", "quotedblbase": "„", "exclamdown": "¡", "questiondown": "¿", "bullet": "•",
	"space": " ", "exclam": "!", "quotedbl": "\"", "numbersign": "#", "dollar": "$", "percent": "%",
	"ampersand": "&", "quotesingle": "'", "parenleft": "(", "parenright": ")", "asterisk": "*", "plus": "+",
	"comma": ",", "hyphen": "-", "period": ".", "slash": "/", "colon": ":", "semicolon": ";", "less": "<",
	"equal": "=", "greater": ">", "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\",
	"bracketright": "]", "asciicircum": "^", "underscore": "_", "grave": "`", "braceleft": "{", "bar": "|",
	"braceright": "}", "asciitilde": "~", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
	"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
	"acute": "´", "caron": "ˇ", "breve": "˘", "macron": "¯", "ring": "˚", "cedilla": "¸", "dieresis": "¨",
	"circumflex": "ˆ", "tilde": "˜", "hungarumlaut": "˝", "dotaccent": "˙", "ogonek": "˛",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "alpha": "α", "beta": "β", "gamma": "γ",
	"delta": "δ", "epsilon": "ϵ", "epsilon1": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι",
	"kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
	"tau": "τ", "upsilon": "υ", "phi": "ϕ", "phi1": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"minus": "−", "periodcentered": "·", "multiply": "×", "asteriskmath": "∗", "divide": "÷",
	"plusminus": "±", "minusplus": "∓", "lessequal": "≤", "greaterequal": "≥", "similar": "∼",
	"approxequal": "≈", "propersubset": "⊂", "propersuperset": "⊃", "reflexsubset": "⊆",
	"reflexsuperset": "⊇", "element": "∈", "arrowright": "→", "arrowleft": "←", "arrowup": "↑",
	"arrowdown": "↓", "arrowdblright": "⇒", "arrowdblleft": "⇐", "arrowdblboth": "⇔", "infinity": "∞",
	"partialdiff": "∂", "emptyset": "∅", "universal": "∀", "existential": "∃", "logicalnot": "¬",
	"union": "∪", "intersection": "∩", "logicaland": "∧", "logicalor": "∨", "equivalence": "≡",
	"negationslash": "̸", "prime": "′", "circlemultiply": "⊗", "circleplus": "⊕", "nabla": "∇",
	"radical": "√", "integral": "∫", "summation": "∑", "product": "∏", "angbracketleft": "⟨",
	"angbracketright": "⟩", "dagger": "†", "daggerdbl": "‡", "section": "§", "paragraph": "¶",
	"circledot": "⊙", "proportional": "∝", "notelement": "∉", "bardbl": "‖", "backslashmath": "∖",
	"ellipsis": "…", "degree": "°", "copyright": "©", "registered": "®", "trademark": "™",
}

// pdfGlyphText returns the text of a glyph name, or "" if unknown.
func pdfGlyphText(name string) string {
	if t, ok := pdfGlyphNames[name]; ok {
		return t
	}
	if len(name) == 1 && (name[0] >= 'A' && name[0] <= 'Z' || name[0] >= 'a' && name[0] <= 'z') {
		return name
	}
	if strings.HasPrefix(name, "uni") && len(name) == 7 {
		if n, err := strconv.ParseUint(name[3:], 16, 32); err == nil && utf8.ValidRune(rune(n)) {
			return string(rune(n))
		}
	}
	return ""
}

// pdfBuiltinTable returns a code table from the built-in encoding of an
// embedded Type1 font, or nil if there is none to read.
func pdfBuiltinTable(font pdf.Value) *[256]string {
	ff := font.Key("FontDescriptor").Key("FontFile")
	if ff.Kind() != pdf.Stream {
		return nil
	}
	n1 := ff.Key("Length1").Int64()
	if n1 <= 0 || n1 > 1<<20 {
		n1 = 64 << 10
	}
	rc := ff.Reader()
	defer rc.Close()
	clear, err := io.ReadAll(io.LimitReader(rc, n1))
	if err != nil && len(clear) == 0 {
		return nil
	}
	if i := bytes.Index(clear, []byte("eexec")); i >= 0 {
		clear = clear[:i]
	}
	ms := pdfDupRe().FindAllSubmatch(clear, 256)
	if len(ms) == 0 {
		return nil
	}
	var t [256]string
	for c := 0; c < 256; c++ {
		t[c] = string(charmap.Windows1252.DecodeByte(byte(c)))
		if c < 32 {
			t[c] = "\uFFFD"
		}
	}
	for _, m := range ms {
		code, err := strconv.Atoi(string(m[1]))
		if err != nil || code > 255 {
			continue
		}
		if s := pdfGlyphText(string(m[2])); s != "" {
			t[code] = s
		} else {
			t[code] = "\uFFFD"
		}
	}
	return &t
}
