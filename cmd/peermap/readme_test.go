package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeCommands checks README.md against the command table: every
// command is listed with its one-line description, and every command with
// a long help has an example in its help text.
func TestReadmeCommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, c := range commandTable() {
		if !strings.Contains(readme, "| `"+c.name) {
			t.Errorf("README.md's command table lacks %q", c.name)
		}
		if !strings.HasPrefix(strings.TrimSpace(c.help), "Usage: peermap "+c.name) {
			t.Errorf("help of %q does not start with its usage line", c.name)
		}
		if c.name != "version" && c.name != "help" && !strings.Contains(c.help, "Example") {
			t.Errorf("help of %q has no example", c.name)
		}
	}
}
