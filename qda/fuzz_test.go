package qda_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/qda"
)

// FuzzReadProject feeds project.qde documents to the reader: no panic, and
// a project it accepts has GUIDs and selection ranges it can write back.
func FuzzReadProject(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users><User guid="088B08AC-D5CD-4ADB-8B71-B4F3459C177F" name="a"/></Users><CodeBook><Codes><Code guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6" name="c" isCodable="true"><Code guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" name="d" isCodable="false"/></Code></Codes></CodeBook><Sources><TextSource guid="C5E4C960-5296-4FDE-8C63-DEABA4E17F92" name="s"><PlainTextContent>héllo wörld</PlainTextContent><PlainTextSelection guid="7391D47A-323D-4291-8202-ED599C250828" startPosition="1" endPosition="5"><Coding guid="6D0B5D8D-C3FA-492F-92C7-AABEF30CE82A"><CodeRef targetGUID="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6"/></Coding></PlainTextSelection></TextSource></Sources></Project>`))
	f.Add([]byte(`<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><PDFSource guid="1"><Representation guid="2" plainTextPath="internal://2.txt"/></PDFSource></Sources></Project>`))
	f.Add([]byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1" name="a" isCodable="true"/></Codes></CodeBook>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := qda.ReadProject(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, s := range p.Sources {
			for _, sel := range s.Selections {
				if sel.Start < 0 || sel.End < sel.Start {
					t.Fatalf("accepted selection %d..%d", sel.Start, sel.End)
				}
			}
		}
		var out bytes.Buffer
		if err := qda.WriteProject(&out, p); err != nil {
			t.Fatalf("WriteProject of an accepted project: %v", err)
		}
		if _, err := qda.ReadProject(&out); err != nil {
			t.Fatalf("a written project does not read back: %v", err)
		}
	})
}

// FuzzReadQDPX feeds whole .qdpx archives (zip) to the reader: no panic.
func FuzzReadQDPX(f *testing.F) {
	for _, name := range []string{"atlas_target.qdpx", "atlas_blank.qdpx"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "qda", name)); err == nil {
			f.Add(b)
		}
	}
	var b bytes.Buffer
	if err := qda.WriteQDPX(&b, &qda.Project{Name: "seed", Sources: []qda.Source{{GUID: qda.GUID("source", "x"), Name: "x", PlainTextPath: "internal://x.txt", Text: "pair aidant 😀"}}}); err == nil {
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := qda.ReadQDPX(bytes.NewReader(b), int64(len(b)), qda.ReadOptions{MaxEntry: 1 << 20})
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := qda.WriteQDPX(&out, p); err != nil {
			t.Logf("WriteQDPX: %v", err) // e.g. two sources naming the same file
		}
	})
}
