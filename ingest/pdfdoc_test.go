package ingest

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/ingest/pdf"
	"github.com/peermap/peermap/internal/pdfgen"
)

// TestPDFDocument checks the seam with ingest/pdf: a PDF's Result becomes
// a Document with the fields every format shares (ID, Path, Size, Format,
// Added, Lang, Kind) and the Result's text, pages, extractor, warnings,
// metadata and skip, unchanged.
func TestPDFDocument(t *testing.T) {
	var buf bytes.Buffer
	err := pdfgen.Write(&buf, pdfgen.Doc{
		Title:  "Peer navigators in community mental health care",
		Author: "Ada Lovelace; Grace Hopper",
		Pages: [][]string{
			{"Peer navigators accompany patients to their appointments and", "help them find their way through the services."},
			{"Community health workers share the language of the people they serve."},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		skip corpus.Skip
	}{
		{"text", buf.Bytes(), corpus.NotSkipped},
		{"truncated", buf.Bytes()[:300], corpus.SkipInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{PDFToText: "-"}
			doc, ps, err := Bytes(context.Background(), tt.name+".pdf", tt.data, opts)
			if err != nil {
				t.Fatalf("Bytes(%s): %v", tt.name, err)
			}
			want, err := pdf.Extract(context.Background(), tt.name+".pdf", tt.data, pdf.Options{PDFToText: "-"})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != FormatPDF || doc.Size != int64(len(tt.data)) || doc.ID != corpus.NewDocID(tt.data) || doc.Path != tt.name+".pdf" {
				t.Errorf("Bytes(%s) = format %q size %d id %q path %q, want pdf, %d, content ID, the name", tt.name, doc.Format, doc.Size, doc.ID, doc.Path, len(tt.data))
			}
			if doc.Skip != tt.skip || doc.Skip != want.Skip || doc.SkipDetail != want.SkipDetail {
				t.Fatalf("Bytes(%s) skip = %v %q, want %v (pdf.Extract: %v %q)", tt.name, doc.Skip, doc.SkipDetail, tt.skip, want.Skip, want.SkipDetail)
			}
			if doc.Skip != corpus.NotSkipped {
				if len(ps) != 0 {
					t.Errorf("Bytes(%s): skipped with %d passages", tt.name, len(ps))
				}
				return
			}
			if doc.Text != want.Text || !slices.Equal(doc.Pages, want.Pages) || doc.Extractor != want.Extractor || !slices.Equal(doc.Warnings, want.Warnings) {
				t.Errorf("Bytes(%s): text, pages, extractor or warnings differ from pdf.Extract's", tt.name)
			}
			if doc.Title != want.Title || !slices.Equal(doc.Authors, want.Authors) || doc.Year != want.Year || doc.DOI != want.DOI {
				t.Errorf("Bytes(%s) metadata = %q %q %d %q, want %q %q %d %q", tt.name, doc.Title, doc.Authors, doc.Year, doc.DOI, want.Title, want.Authors, want.Year, want.DOI)
			}
			if !strings.HasPrefix(doc.Title, "Peer navigators") || len(doc.Authors) != 2 || len(doc.Pages) != 2 || doc.Extractor != pdf.ExtractorLib {
				t.Errorf("Bytes(%s) = title %q, authors %q, %d pages, extractor %q", tt.name, doc.Title, doc.Authors, len(doc.Pages), doc.Extractor)
			}
			if doc.Lang != "en" || doc.Kind == "" || len(ps) == 0 {
				t.Errorf("Bytes(%s): lang %q kind %q, %d passages; want en, a kind, passages", tt.name, doc.Lang, doc.Kind, len(ps))
			}
		})
	}
}
