package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/peermap/peermap/pipeline"
	"github.com/peermap/peermap/web"
)

// ExampleNew serves a corpus without a search index: passages, documents
// and hand coding work, search answers that it is disabled, and a request
// for another host name (DNS rebinding) is refused.
func ExampleNew() {
	dir, err := os.MkdirTemp("", "peermap-web")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ws, _, err := pipeline.Init(pipeline.Options{Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ws.Close()

	h, err := web.New(web.Options{Workspace: ws, Addr: "127.0.0.1:8080", Coder: "alice"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// In cmd/peermap: web.NewServer(h, logger).Serve(listener).
	for _, target := range []string{"/healthz", "/api/search?q=peer", "/passage/abcdef123456/0000", "http://evil.example:8080/healthz"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, target, nil)
		if req.Host == "example.com" {
			req.Host = "127.0.0.1:8080" // what a browser sends for http://127.0.0.1:8080/...
		}
		h.ServeHTTP(rec, req)
		fmt.Println(target, rec.Code)
	}
	// Output:
	// /healthz 200
	// /api/search?q=peer 503
	// /passage/abcdef123456/0000 404
	// http://evil.example:8080/healthz 421
}
