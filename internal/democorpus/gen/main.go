// Command gen writes the PDF files of the demo corpus with pdfgen. It is
// run by go generate in internal/democorpus:
//
//	go run ./gen -dir files
//
// The output is deterministic, so running it again changes nothing unless
// the texts in texts.go change.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/peermap/peermap/internal/pdfgen"
)

// A source is one PDF to generate: its file name and its pages of prose.
type source struct {
	name    string
	title   string
	author  string
	date    time.Time
	header  string
	subject string
	pages   []string // one string of paragraphs per page
}

var sources = []source{
	{
		name:    "en-patient-partners-research.pdf",
		title:   "Patient partners in cardiovascular research: how the HeartLink network works with people who live with heart disease",
		author:  "Naomi Castellanos",
		date:    time.Date(2023, 4, 12, 0, 0, 0, 0, time.UTC),
		subject: "patient partners; research partnership; co-design",
		pages:   patientPartnersEN,
	},
	{
		name:    "fr-mediateurs-sante-pairs.pdf",
		title:   "Médiateurs de santé pairs et médiatrices en santé : un même nom, deux métiers",
		author:  "Claire Moreau-Lambert",
		date:    time.Date(2012, 9, 3, 0, 0, 0, 0, time.UTC),
		header:  "Cahiers inventés de la santé communautaire, 2012",
		subject: "médiation en santé; médiateurs de santé pairs",
		pages:   mediateursFR,
	},
}

// render returns the PDF bytes of s.
func render(s source) ([]byte, error) {
	doc := pdfgen.Doc{
		Title:       s.title,
		Author:      s.author,
		Subject:     s.subject,
		Date:        s.date,
		Header:      s.header,
		PageNumbers: len(s.pages) > 1,
	}
	for _, p := range s.pages {
		doc.Pages = append(doc.Pages, pdfgen.Wrap(p, pdfgen.CharsPerLine))
	}
	var b bytes.Buffer
	if err := pdfgen.Write(&b, doc); err != nil {
		return nil, fmt.Errorf("render %s: %w", s.name, err)
	}
	return b.Bytes(), nil
}

func run(dir string) error {
	for _, s := range sources {
		b, err := render(s)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, s.name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

func main() {
	dir := flag.String("dir", "files", "directory to write the PDFs into")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
