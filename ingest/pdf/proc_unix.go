//go:build unix

package pdf

import (
	"os"
	"os/exec"
	"syscall"
)

// pdfIsolate makes cmd start in a process group of its own, so that
// pdfKill ends it together with what it started (pdftotext).
func pdfIsolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// pdfKill kills the process group of p, started by pdfIsolate, or p alone
// if the group is gone.
func pdfKill(p *os.Process) error {
	if err := syscall.Kill(-p.Pid, syscall.SIGKILL); err == nil {
		return nil
	}
	return p.Kill()
}
