package qda_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/peermap/peermap/qda"
)

// TestCodebookQDC writes the codebook as .qdc, validates it against the
// codebook schema, reads it back, and maps every code back to itself.
func TestCodebookQDC(t *testing.T) {
	codes := qda.Codebook(vocab)
	var b bytes.Buffer
	if err := qda.WriteCodebook(&b, codes, "peermap test"); err != nil {
		t.Fatal(err)
	}
	validate(t, filepath.Join("testdata", "Codebook.xsd"), b.Bytes())
	back, origin, err := qda.ReadCodebook(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if origin != "peermap test" {
		t.Errorf("origin = %q", origin)
	}
	if d := cmp.Diff(codes, back); d != "" {
		t.Errorf("codebook read back differs (-want +got):\n%s", d)
	}
	m := qda.MapCodes(back, vocab)
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, x := range m.Mapped {
		if x.By != "guid" {
			t.Errorf("%s mapped by %s, want by guid", x.Path, x.By)
		}
		got[x.Target.String()] = true
	}
	// 4 codes, 2 families, 2 negated families, 2 labels other than their
	// family's name (patient navigator, health mediator).
	if len(got) != 10 {
		t.Errorf("%d distinct targets, want 10: %v", len(got), got)
	}
}

// TestMapCodes maps a team's own codebook by names and hierarchy.
func TestMapCodes(t *testing.T) {
	code := func(name string, codable bool, children ...qda.Code) qda.Code {
		c := qda.Code{GUID: qda.GUID("team", name), Name: name, IsCodable: "false", Children: children}
		if codable {
			c.IsCodable = "true"
		}
		return c
	}
	team := []qda.Code{
		code("Rôles", false,
			code("Role", true, // a codable code named like a dimension: a group
				code("Navigation", true),
				code("Emotional_and-social SUPPORT", true),
				code("Advocacy work", true),
			),
		),
		code("What do the peers draw on?", false, code("lived experience", true)),
		code("setting.community", true),
		code("Lived experience", true), // no dimension above it
		code("Names", false, code("Patient Navigator", true), code("médiateur", true), code("negated: Peer Navigator", true)),
	}
	m := qda.MapCodes(team, vocab)
	got := map[string]string{}
	for _, x := range m.Mapped {
		got[x.Path] = x.Target.String() + " by " + x.By
	}
	want := map[string]string{
		"Rôles / Role / Navigation":                     "role.navigation by dimension and category",
		"Rôles / Role / Emotional_and-social SUPPORT":   "role.emotional_social by dimension and category",
		"What do the peers draw on? / lived experience": "knowledge.lived_experience by dimension and category",
		"setting.community":                             "setting.community by id",
		"Names / Patient Navigator":                     "label:patient navigator (peer navigator) by label",
		"Names / negated: Peer Navigator":               "neg:peer navigator by negated family",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mapping (-want +got):\n%s", d)
	}
	var unmapped []string
	for _, u := range m.Unmapped {
		unmapped = append(unmapped, u.Path)
	}
	if d := cmp.Diff([]string{"Rôles / Role / Advocacy work", "Lived experience", "Names / médiateur"}, unmapped); d != "" {
		t.Errorf("unmapped (-want +got):\n%s", d)
	}
	err := m.Err()
	if err == nil || !strings.Contains(err.Error(), "Rôles / Role / Advocacy work: no category of dimension role has this name") {
		t.Errorf("Err() = %v", err)
	}
	if _, ok := m.Target(strings.ToLower("{" + qda.GUID("team", "Navigation") + "}")); !ok {
		t.Error("Target does not find a GUID written in lower case with braces")
	}
}

// TestMapMAXQDA: a codebook about something else maps nothing, and says so.
func TestMapMAXQDA(t *testing.T) {
	p := readQDPX(t, filepath.Join(shared(t, "corpus/qda"), "maxqda24_icls-themes.qdpx"))
	m := qda.MapCodes(p.Codes, vocab)
	n, _, _ := countCodes(p.Codes)
	if len(m.Mapped) != 0 || len(m.Unmapped) != n || m.Err() == nil {
		t.Errorf("MAXQDA codebook: %d mapped, %d unmapped of %d codes", len(m.Mapped), len(m.Unmapped), n)
	}
	var b bytes.Buffer
	if err := qda.WriteCodebook(&b, p.Codes, p.Origin); err != nil {
		t.Fatal(err)
	}
	validate(t, filepath.Join("testdata", "Codebook.xsd"), b.Bytes())
}

// TestReadErrors: documents of the wrong kind are refused with a reason.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"codebook as project", `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`, "expected element"},
		{"other namespace", `<Project xmlns="urn:other" name="p"/>`, "expected element"},
		{"bad range", `<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources><TextSource guid="1" name="s"><PlainTextSelection guid="2" startPosition="5" endPosition="3"/></TextSource></Sources></Project>`, "not a range"},
		{"code without guid", `<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes><Code name="c" isCodable="true"/></Codes></CodeBook></Project>`, "has no guid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := qda.ReadProject(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadProject(%s) = %v, want an error containing %q", tt.name, err, tt.want)
			}
		})
	}
	if _, _, err := qda.ReadCodebook(strings.NewReader(`<Other/>`)); err == nil || !strings.Contains(err.Error(), "want {urn:QDA-XML:codebook:1.0}CodeBook") {
		t.Errorf("ReadCodebook(<Other/>) = %v", err)
	}
}
