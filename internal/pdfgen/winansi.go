package pdfgen

// winAnsiHigh maps WinAnsiEncoding codes 0x80 to 0x9F to their characters;
// 0 marks the five codes the encoding leaves undefined.
var winAnsiHigh = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// winAnsi returns the WinAnsiEncoding code of r. Control characters are
// not encodable.
func winAnsi(r rune) (byte, bool) {
	switch {
	case r >= 0x20 && r < 0x7f, r >= 0xa0 && r <= 0xff:
		return byte(r), true
	case r == 0 || r < 0x20:
		return 0, false
	}
	for i, h := range winAnsiHigh {
		if h == r {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}
