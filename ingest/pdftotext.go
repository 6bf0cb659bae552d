package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// pdfToTextBin returns the pdftotext binary to use, or "" if none.
func pdfToTextBin(opts Options) string {
	switch opts.PDFToText {
	case "-":
		return ""
	case "":
		p, err := exec.LookPath("pdftotext")
		if err != nil {
			return ""
		}
		return p
	}
	return opts.PDFToText
}

// errPDFToTextPassword is returned when pdftotext needs a password.
var errPDFToTextPassword = errors.New("pdftotext: incorrect password")

// pdfToTextPages runs pdftotext (reading order, not -layout) over the whole
// file and returns the text of each page: pdftotext ends every page with a
// form feed. The PDF is written to a temporary file because pdftotext cannot
// seek in a pipe.
func pdfToTextPages(ctx context.Context, bin string, data []byte) ([]string, error) {
	f, err := os.CreateTemp("", "peermap-*.pdf")
	if err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	cmd := exec.CommandContext(ctx, bin, "-q", "-enc", "UTF-8", f.Name(), "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 && bytes.Contains(bytes.ToLower(data), []byte("/encrypt")) {
			return nil, errPDFToTextPassword
		}
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			return nil, fmt.Errorf("pdftotext: %w: %s", err, msg)
		}
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages, nil
}
