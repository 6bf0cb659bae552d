package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peermap/peermap/corpus"
)

const testPage = `<html><head><title>Peer workers</title></head><body><article><h1>Peer workers</h1>
<p>Peer workers use their lived experience of mental illness to support people in recovery in community services and hospitals.</p>
<p>They are employed, trained and supervised by the service, and they work alongside nurses, social workers and psychiatrists.</p></article></body></html>`

func TestURL(t *testing.T) {
	latin1 := "<html><body><article><p>Les pairs aidants se r\xe9unissent \xe0 l'h\xf4pital chaque semaine pour partager leurs exp\xe9riences de r\xe9tablissement avec les patients et les \xe9quipes.</p></article></body></html>"
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, testPage)
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		fmt.Fprint(w, latin1)
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(strings.Repeat("x", 5000)))
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/page", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	t.Run("html kept by hash", func(t *testing.T) {
		dir := t.TempDir()
		doc, ps, err := URL(ctx, srv.URL+"/page", Options{FetchDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		checkDoc(t, "page", doc, ps)
		if doc.Path != srv.URL+"/page" || doc.Format != FormatHTML || doc.Skip != corpus.NotSkipped || doc.ID != corpus.NewDocID([]byte(testPage)) {
			t.Errorf("Path, Format, Skip, ID = %q, %q, %v, %s", doc.Path, doc.Format, doc.Skip, doc.ID)
		}
		sum := sha256.Sum256([]byte(testPage))
		kept, err := os.ReadFile(filepath.Join(dir, hex.EncodeToString(sum[:])))
		if err != nil || string(kept) != testPage {
			t.Errorf("fetched bytes not kept: %v", err)
		}
	})
	t.Run("charset from header", func(t *testing.T) {
		doc, _, err := URL(ctx, srv.URL+"/latin1", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc.Text, "se réunissent à l'hôpital") || doc.Lang != "fr" {
			t.Errorf("Text, Lang = %q, %q", doc.Text, doc.Lang)
		}
	})
	t.Run("redirect followed", func(t *testing.T) {
		doc, _, err := URL(ctx, srv.URL+"/moved", Options{})
		if err != nil || doc.Skip != corpus.NotSkipped {
			t.Fatalf("err %v, doc %+v", err, doc)
		}
	})
	for _, tt := range []struct {
		name, path string
		opts       Options
		skip       corpus.Skip
		errHas     string
	}{
		{"unsupported type", "/image", Options{}, corpus.SkipUnsupported, ""},
		{"too large", "/big", Options{MaxBytes: 1000}, corpus.SkipTooLarge, ""},
		{"not found", "/missing", Options{}, 0, "404"},
		{"redirect loop", "/loop", Options{MaxRedirect: 2}, 0, "redirects"},
		{"timeout", "/slow", Options{Timeout: 100 * time.Millisecond}, 0, "/slow"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, _, err := URL(ctx, srv.URL+tt.path, tt.opts)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), srv.URL) {
					t.Errorf("URL(%s) error = %v, want one naming the URL and %q", tt.path, err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.Skip != tt.skip || doc.SkipDetail == "" {
				t.Errorf("URL(%s) skip = %v %q, want %v", tt.path, doc.Skip, doc.SkipDetail, tt.skip)
			}
		})
	}
	if _, _, err := URL(ctx, "ftp://example.org/x", Options{}); err == nil {
		t.Errorf("ftp URL accepted")
	}
}
