package main

import (
	"context"
	"fmt"
)

const backupHelp = `
Usage: peermap backup -o FILE

Writes a consistent copy of the workspace's store (documents, passages,
machine annotations, human codes, sources, runs) to FILE, in one read
transaction: it may run while other peermap commands read or serve the
workspace. The copy is a store like corpus.db: to restore, put it in a
workspace folder as corpus.db and run 'peermap reindex' (the search index is
derived data and is not copied).

Example:
  peermap -w review backup -o review-2026-12-01.db
`

const upgradeHelp = `
Usage: peermap upgrade

Opens the workspace for writing, which upgrades a store written by an older
peermap to this one's format (any command that writes does the same). The old
file is kept beside it as corpus.db.v<N>.bak.

Example:
  peermap -w review upgrade && peermap -w review check
`

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", backupHelp)
	out := fs.String("o", "", "output `file`")
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("peermap backup -o review.db", "give -o FILE")
	}
	ws, err := e.open(true)
	if err != nil {
		return err
	}
	defer ws.Close()
	n, err := ws.Backup(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "backup: %s (%d bytes)\n", *out, n)
	return nil
}

func runUpgrade(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "upgrade", upgradeHelp)
	if _, err := e.parseFlags(fs, args); err != nil {
		return err
	}
	ws, err := e.open(false)
	if err != nil {
		return err
	}
	defer ws.Close()
	fmt.Fprintf(e.stderr, "upgrade: %s is in this peermap's format\n", ws.StorePath())
	return nil
}
