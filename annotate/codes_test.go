package annotate_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/peermap/peermap/annotate"
	"github.com/peermap/peermap/corpus"
)

func TestReadCodes(t *testing.T) {
	tests := []struct {
		name, format, in string
		want             []annotate.HumanCode
	}{
		{"csv ids", "csv", "Passage,Codes,Labels,Coder\nd/0001,role.navigation; setting.remote,peer navigator,ana\n",
			[]annotate.HumanCode{{Passage: "d/0001", Codes: []string{"role.navigation", "setting.remote"}, Labels: []string{"peer navigator"}, Coder: "ana", Row: 2}}},
		{"csv text and pipes", "CSV", "TEXT,CODES,CODER\n\"Peers, paid.\",pathway.status|role.education,bo\n\n",
			[]annotate.HumanCode{{Text: "Peers, paid.", Codes: []string{"pathway.status", "role.education"}, Coder: "bo", Row: 2}}},
		{"csv no codes", "csv", "id,codes\nd/0002,\n",
			[]annotate.HumanCode{{Passage: "d/0002", Row: 2}}},
		{"jsonl", "jsonl", "{\"passage\":\"d/0001\",\"codes\":[\"role.outreach\"],\"coder\":\"ana\"}\n\n{\"text\":\"x\",\"codes\":[]}\n",
			[]annotate.HumanCode{{Passage: "d/0001", Codes: []string{"role.outreach"}, Coder: "ana", Row: 1}, {Text: "x", Row: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := annotate.ReadCodes(strings.NewReader(tt.in), tt.format)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadCodes = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadCodesErrors(t *testing.T) {
	tests := []struct {
		name, format, in, want string
	}{
		{"unknown format", "xlsx", "", `unknown format "xlsx"`},
		{"no codes column", "csv", "passage,coder\n", "no codes column"},
		{"no passage column", "csv", "codes,coder\n", "neither a passage nor a text column"},
		{"bad code form", "csv", "passage,codes\nd/1,role.navigation\nd/2,navigation\n", `row 3: code "navigation"`},
		{"no passage in row", "jsonl", "{\"codes\":[\"role.x\"]}\n", "row 1: no passage and no text"},
		{"bad json row", "jsonl", "{\"passage\":\"a\",\"codes\":[]}\n{\n", "row 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := annotate.ReadCodes(strings.NewReader(tt.in), tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadCodes(%q) = %v, want an error containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestCheckCodes(t *testing.T) {
	cb := annotate.Default()
	hc, err := annotate.ReadCodes(strings.NewReader("passage,codes,labels\nd/1,role.navigation,peer navigator;other:buddy\nd/2,role.flying,\nd/3,,peer pilot\n"), "csv")
	if err != nil {
		t.Fatal(err)
	}
	err = cb.CheckCodes(hc)
	if err == nil || !strings.Contains(err.Error(), `row 3: unknown code "role.flying"`) || !strings.Contains(err.Error(), `row 4: unknown label "peer pilot"`) {
		t.Errorf("CheckCodes = %v, want errors naming rows 3 and 4", err)
	}
	if err := cb.CheckCodes(hc[:1]); err != nil {
		t.Errorf("CheckCodes(valid) = %v", err)
	}
}

func TestWriteCodesRoundTrip(t *testing.T) {
	in := []annotate.HumanCode{
		{Passage: "d/0001", Codes: []string{"role.navigation", "setting.remote"}, Labels: []string{"peer navigator"}, Coder: "ana"},
		{Text: "Peers, \"paid\".", Codes: []string{"pathway.status"}, Coder: "bo"},
	}
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := annotate.WriteCodes(&buf, format, in); err != nil {
				t.Fatal(err)
			}
			got, err := annotate.ReadCodes(&buf, format)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].Row = 0
			}
			if !reflect.DeepEqual(got, in) {
				t.Errorf("round trip = %+v, want %+v", got, in)
			}
		})
	}
}

func TestHumanAnnotations(t *testing.T) {
	cb := annotate.Default()
	h := annotate.HumanCode{Passage: "d/0001", Codes: []string{"role.outreach", "role.navigation"}, Labels: []string{"neg:peer navigator", "other:x"}, Coder: "ana"}
	anns := h.Annotations(cb)
	if len(anns) != 3 {
		t.Fatalf("Annotations = %+v, want 2 codes and 1 label", anns)
	}
	for _, a := range anns {
		if !a.Human() || a.Annotator != "human:ana" || a.Passage != "d/0001" {
			t.Errorf("annotation %+v: want a human annotation of d/0001 by ana", a)
		}
	}
	back := annotate.HumanCodes(anns)
	want := []annotate.HumanCode{{Passage: "d/0001", Codes: []string{"role.navigation", "role.outreach"}, Labels: []string{"neg:peer navigator"}, Coder: "ana"}}
	if !reflect.DeepEqual(back, want) {
		t.Errorf("HumanCodes = %+v, want %+v", back, want)
	}
}

// TestSheetFormulas: passage text that a spreadsheet would run as a
// formula is written inert and read back as it was.
func TestSheetFormulas(t *testing.T) {
	texts := []string{"=HYPERLINK(\"http://evil\",\"click\")", "+1+1", "-2 patients", "@SUM(A1)", "\tTab", "plain = text", "'quoted"}
	var rows []annotate.HumanCode
	for i, s := range texts {
		rows = append(rows, annotate.HumanCode{Passage: corpus.PassageID(fmt.Sprintf("d/%04d", i)), Text: s, Codes: []string{}, Coder: "=ana"})
	}
	var buf bytes.Buffer
	if err := annotate.WriteCodes(&buf, annotate.FormatCSV, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q would run as a formula", c)
			}
		}
	}
	back, err := annotate.ReadCodes(bytes.NewReader(buf.Bytes()), annotate.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range back {
		if want := strings.TrimSpace(texts[i]); strings.TrimSpace(h.Text) != want || h.Coder != "=ana" {
			t.Errorf("row %d read back as %q by %q, want %q by =ana", i, h.Text, h.Coder, want)
		}
	}
}
