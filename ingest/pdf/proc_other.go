//go:build !unix

package pdf

import (
	"os"
	"os/exec"
)

// pdfIsolate does nothing where there are no process groups: a killed
// worker's pdftotext, if any, ends when it has read its file.
func pdfIsolate(cmd *exec.Cmd) {}

// pdfKill kills p.
func pdfKill(p *os.Process) error { return p.Kill() }
