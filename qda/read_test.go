package qda_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/peermap/peermap/qda"
)

func readQDPX(t *testing.T, path string) *qda.Project {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := qda.ReadQDPX(bytes.NewReader(data), int64(len(data)), qda.ReadOptions{})
	if err != nil {
		t.Fatalf("ReadQDPX(%s): %v", path, err)
	}
	return p
}

func countCodes(cs []qda.Code) (n, described, depth int) {
	for _, c := range cs {
		n++
		if strings.TrimSpace(c.Description) != "" {
			described++
		}
		cn, cd, cdep := countCodes(c.Children)
		n += cn
		described += cd
		depth = max(depth, cdep)
	}
	if len(cs) > 0 {
		depth++
	}
	return n, described, depth
}

// TestMAXQDA reads the MAXQDA 24 export: ten text sources with their text,
// a codebook of 307 codes with descriptions, nested two deep; then writes
// it back, checks the result against the schema and reads it again.
func TestMAXQDA(t *testing.T) {
	dir := shared(t, "corpus/qda")
	p := readQDPX(t, filepath.Join(dir, "maxqda24_icls-themes.qdpx"))
	if len(p.Sources) != 10 {
		t.Fatalf("sources: got %d, want 10", len(p.Sources))
	}
	for _, s := range p.Sources {
		if !strings.HasPrefix(s.Name, "ICLS 202") || len(s.Text) < 30000 {
			t.Errorf("source %q: %d bytes of text, want the ICLS paper text", s.Name, len(s.Text))
		}
	}
	// 307 <Code> and 307 <Description> elements: counted with grep in the
	// unzipped project.qde, not by this reader.
	n, described, depth := countCodes(p.Codes)
	if n != 307 || described != 307 || depth != 2 {
		t.Errorf("codebook: %d codes, %d with a description, depth %d; want 307, 307, 2", n, described, depth)
	}
	first := p.Codes[0]
	if first.Name != "Additional Themes and Ideas" || len(first.Children) == 0 || first.Children[0].Name != "THEME - Affinity Spaces (Gee)" ||
		first.Children[0].Description != "Apply this code when a study uses Gee's concept of affinity spaces." {
		t.Errorf("first code group read as %q with %d children", first.Name, len(first.Children))
	}
	if len(p.Users) != 1 || p.Users[0].Name != "johnb" || len(p.Sets) != 2 || len(p.Sets[0].MemberSources) != 5 {
		t.Errorf("users %v, sets %d", p.Users, len(p.Sets))
	}

	var qde bytes.Buffer
	if err := qda.WriteProject(&qde, p); err != nil {
		t.Fatal(err)
	}
	validate(t, filepath.Join(dir, "Project-mrt2019.xsd"), qde.Bytes())

	var zipped bytes.Buffer
	if err := qda.WriteQDPX(&zipped, p); err != nil {
		t.Fatal(err)
	}
	back, err := qda.ReadQDPX(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()), qda.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(p, back, cmpopts.IgnoreFields(qda.Code{}, "IsCodable")); d != "" {
		t.Errorf("MAXQDA project written and read again differs (-read +again):\n%s", head(d, 4000))
	}
}

// TestATLAS reads the two ATLAS.ti samples: users, and the nested codes of
// the second.
func TestATLAS(t *testing.T) {
	dir := shared(t, "corpus/qda")
	tests := []struct {
		file  string
		users int
		codes int
	}{
		{"atlas_blank.qdpx", 2, 0},
		{"atlas_target.qdpx", 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := readQDPX(t, filepath.Join(dir, tt.file))
			n, _, _ := countCodes(p.Codes)
			if len(p.Users) != tt.users || n != tt.codes {
				t.Errorf("%s: %d users, %d codes; want %d, %d", tt.file, len(p.Users), n, tt.users, tt.codes)
			}
			var qde bytes.Buffer
			if err := qda.WriteProject(&qde, p); err != nil {
				t.Fatal(err)
			}
			validate(t, filepath.Join(dir, "Project-mrt2019.xsd"), qde.Bytes())
		})
	}
}
