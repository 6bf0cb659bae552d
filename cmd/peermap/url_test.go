package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/pipeline"
)

// TestIngestURL ingests a web page over HTTP: the page is stored as a
// document with the URL as its path, the fetched bytes are kept under the
// workspace, and a second ingest adds nothing.
func TestIngestURL(t *testing.T) {
	page := []byte(`<!doctype html><html lang="en"><head><title>Promotoras in South LA</title></head><body>
<nav>Home | About | Donate</nav>
<article><h1>Promotoras in South LA</h1>
<p>Promotoras de salud are community health workers who share the language and culture of the families they visit at home.
They talk about asthma triggers, help families reach the clinic and speak up for tenants with landlords.</p>
<p>Each promotora is trained for forty hours and paid a stipend by the community housing organisation.</p></article>
<footer>Copyright 2021 Example Housing</footer></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	ws := filepath.Join(t.TempDir(), "ws")
	url := srv.URL + "/promotoras.html"
	code, out, errs := peermap(t, ws, "ingest", "-json", url)
	if code != 0 {
		t.Fatalf("ingest %s: exit %d: %s", url, code, errs)
	}
	r := decodeLines[pipeline.IngestResult](t, out)
	if len(r) != 1 || r[0].Status != corpus.StatusIngested || r[0].Path != url || r[0].Passages == 0 {
		t.Fatalf("ingest %s = %+v", url, r)
	}
	sum := sha256.Sum256(page)
	if kept, err := os.ReadFile(filepath.Join(ws, "fetched", hex.EncodeToString(sum[:]))); err != nil || string(kept) != string(page) {
		t.Errorf("fetched bytes not kept under the workspace: %v", err)
	}
	code, out, _ = peermap(t, ws, "ingest", "-json", url)
	if r := decodeLines[pipeline.IngestResult](t, out); code != 0 || len(r) != 1 || r[0].Status != corpus.StatusDuplicate {
		t.Errorf("second ingest of %s: exit %d, %+v; want duplicate", url, code, r)
	}
}
