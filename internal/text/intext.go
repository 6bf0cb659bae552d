package text

import (
	"fmt"
	"strings"
)

// InText returns the short citation of w that a sentence carries, the
// in-text form of Cite:
//
//	Okafor & Mensah 2021
//	Okafor et al. n.d.
//	Peer navigators in hospital care 2021
//	navigators.pdf n.d.
//
// Authors as in Authors; a work without authors is named by its title (see
// Title) shortened to 60 bytes.
func InText(w Work) string {
	year := "n.d."
	if w.Year > 0 {
		year = fmt.Sprint(w.Year)
	}
	name := Authors(w.Authors)
	if name == "" {
		name = strings.TrimRight(Shorten(Title(w), 60), ".")
	}
	return name + " " + year
}
