package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/internal/atomicfile"
)

// allowedTypes are the media types URL ingests; anything else is skipped
// as unsupported.
var allowedTypes = map[string]bool{
	"text/html": true, "application/xhtml+xml": true, "application/pdf": true, "application/x-pdf": true,
	"application/xml": true, "text/xml": true, "application/jats+xml": true, "application/tei+xml": true,
	"text/plain": true, "text/markdown": true, "text/x-markdown": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
}

// URL fetches rawURL (GET, at most opts.maxBytes() bytes, opts.timeout(),
// at most opts.MaxRedirect redirects) and ingests the body like Bytes,
// with Path = rawURL. Only HTML, PDF, XML, plain text and DOCX responses
// are read; other content types are skipped as unsupported, bodies over
// the size cap as too large. When opts.FetchDir is set, the fetched bytes
// are kept there, named by their SHA-256, so a run can be reproduced.
// Network failures and non-2xx statuses are errors naming the URL.
func URL(ctx context.Context, rawURL string, opts Options) (*corpus.Document, []corpus.Passage, error) {
	ctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, nil, fmt.Errorf("fetch %s: unsupported scheme %q", rawURL, req.URL.Scheme)
	}
	req.Header.Set("User-Agent", "peermap (literature synthesis; +https://github.com/peermap/peermap)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
	resp, err := opts.client().Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, fmt.Errorf("fetch %s: status %s", rawURL, resp.Status)
	}
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if ct != "" && !allowedTypes[mt] && mt != "application/octet-stream" {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		doc := &corpus.Document{ID: corpus.NewDocID([]byte(rawURL)), Path: rawURL, Added: opts.now(), Kind: opts.Kind}
		skip(doc, corpus.SkipUnsupported, "unsupported content type: "+mt)
		return doc, nil, nil
	}
	limit := opts.maxBytes()
	if resp.ContentLength > limit {
		doc := &corpus.Document{ID: corpus.NewDocID([]byte(rawURL)), Path: rawURL, Added: opts.now(), Size: resp.ContentLength}
		skip(doc, corpus.SkipTooLarge, fmt.Sprintf("too large: %d bytes, limit %d", resp.ContentLength, limit))
		return doc, nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if int64(len(data)) > limit {
		doc := &corpus.Document{ID: corpus.NewDocID([]byte(rawURL)), Path: rawURL, Added: opts.now(), Size: int64(len(data))}
		skip(doc, corpus.SkipTooLarge, fmt.Sprintf("too large: over %d bytes", limit))
		return doc, nil, nil
	}
	if opts.FetchDir != "" {
		if err := keep(opts.FetchDir, data); err != nil {
			return nil, nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	return ingest(ctx, rawURL, data, ct, opts)
}

// client returns opts.HTTP or a client that follows at most MaxRedirect
// redirects (default 5).
func (o Options) client() *http.Client {
	if o.HTTP != nil {
		return o.HTTP
	}
	max := o.MaxRedirect
	if max <= 0 {
		max = 5
	}
	return &http.Client{
		Timeout: o.timeout(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > max {
				return fmt.Errorf("more than %d redirects", max)
			}
			return nil
		},
	}
}

// keep writes data to dir/<sha256 hex>, atomically, unless it is there.
func keep(dir string, data []byte) error {
	sum := sha256.Sum256(data)
	name := filepath.Join(dir, hex.EncodeToString(sum[:]))
	if _, err := os.Stat(name); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return atomicfile.Write(name, data)
}

// IsURL reports whether arg names an http(s) URL rather than a file.
func IsURL(arg string) bool {
	return strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://")
}
