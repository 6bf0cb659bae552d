package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
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

// pdfToTextPages runs pdftotext (reading order, not -layout) and returns
// the text of pages first..last (1-based, inclusive; last 0 means to the
// end): pdftotext ends every page with a form feed. The PDF is written to a
// temporary file because pdftotext cannot seek in a pipe.
func pdfToTextPages(ctx context.Context, bin string, data []byte, first, last int) ([]string, error) {
	return pdfToTextRanges(ctx, bin, data, [][2]int{{first, last}}, nil)
}

// pdfToTextRanges runs pdftotext once per page range, on one temporary copy
// of the file, and returns the pages of all ranges in order. If into is not
// nil, page n's text is also stored in into[n-1].
func pdfToTextRanges(ctx context.Context, bin string, data []byte, ranges [][2]int, into []string) ([]string, error) {
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
	var all []string
	for _, r := range ranges {
		args := []string{"-q", "-enc", "UTF-8"}
		if r[0] > 0 {
			args = append(args, "-f", strconv.Itoa(r[0]))
		}
		if r[1] > 0 {
			args = append(args, "-l", strconv.Itoa(r[1]))
		}
		cmd := exec.CommandContext(ctx, bin, append(args, f.Name(), "-")...)
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
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				return nil, fmt.Errorf("pdftotext: %w: %s", err, msg)
			}
			return nil, fmt.Errorf("pdftotext: %w", err)
		}
		pages := strings.Split(string(out), "\f")
		if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
			pages = pages[:n-1]
		}
		for i, p := range pages {
			if n := max(r[0], 1) + i; into != nil && n-1 < len(into) {
				into[n-1] = p
			}
		}
		all = append(all, pages...)
	}
	return all, nil
}
