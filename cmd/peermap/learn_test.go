package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLearnAndNext codes two demo passages by hand, refits the model with
// annotate -learn (a workspace model, a new annotator, every document
// re-annotated, human codes untouched) and lists the passages to code next.
func TestLearnAndNext(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if code, _, errs := peermap(t, ws, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	code, next0, errs := peermap(t, ws, "code", "next", "-n", "5")
	if code != 0 {
		t.Fatalf("code next: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(next0), "\n")
	if len(lines) != 5 {
		t.Fatalf("code next -n 5 printed %d lines:\n%s", len(lines), next0)
	}
	// Code the two most uncertain passages by hand.
	var rows []string
	for i, l := range lines[:2] {
		pid := strings.Split(l, "\t")[0]
		rows = append(rows, pid+","+[]string{"role.advocacy", ""}[i])
	}
	coded := filepath.Join(t.TempDir(), "coded.csv")
	if err := os.WriteFile(coded, []byte("passage,codes\n"+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := peermap(t, ws, "code", "import", "-coder", "ana", coded); code != 0 {
		t.Fatalf("code import: %s", errs)
	}
	code, _, errs = peermap(t, ws, "annotate", "-learn")
	if code != 0 {
		t.Fatalf("annotate -learn: %s", errs)
	}
	if !strings.Contains(errs, "2 hand-coded passages") {
		t.Errorf("annotate -learn said %q, want 2 hand-coded passages", errs)
	}
	if _, err := os.Stat(filepath.Join(ws, "model.bin")); err != nil {
		t.Fatalf("no workspace model: %v", err)
	}
	// The hand-coded passages are no longer proposed.
	_, next1, _ := peermap(t, ws, "code", "next", "-n", "5")
	for _, r := range rows {
		pid := strings.Split(r, ",")[0]
		if strings.Contains(next1, pid+"\t") {
			t.Errorf("code next proposes %s, coded by hand:\n%s", pid, next1)
		}
	}
	// Human codes survive, machine annotations carry the workspace model.
	_, exp, _ := peermap(t, ws, "export")
	if !strings.Contains(exp, `"human:ana"`) {
		t.Error("the human code is gone after annotate -learn")
	}
	if !strings.Contains(exp, `"annotator":"model@`) {
		t.Error("no model@ annotator in the export")
	}
}
