package pipeline

import (
	"context"
	"errors"
	"io"

	"github.com/peermap/peermap/qda"
)

// ExportQDPX writes the workspace as a REFI-QDA project (.qdpx) to out:
// its documents as text sources, the codebook as codes, the annotations
// chosen by opts as codings.
func (w *Workspace) ExportQDPX(ctx context.Context, out io.Writer, opts qda.ExportOptions) (*qda.ExportStats, error) {
	p, st, err := qda.Export(ctx, w.store, w.Codebook().Vocabulary(), opts)
	if err != nil {
		return nil, err
	}
	if err := qda.WriteQDPX(out, p); err != nil {
		return nil, err
	}
	return st, nil
}

// ImportQDPX reads a REFI-QDA project and stores its codings as human codes
// of their users (coder for codings without one), matched to passages by
// source and offsets or by text. Other coders' codes are never touched.
// The placement lists what could not be placed.
func (w *Workspace) ImportQDPX(ctx context.Context, r io.ReaderAt, size int64, coder string) (*qda.Project, *qda.Placement, error) {
	if w.opts.ReadOnly {
		return nil, nil, errors.New("code import: the workspace is open read-only")
	}
	p, err := qda.ReadQDPX(r, size, qda.ReadOptions{})
	if err != nil {
		return nil, nil, err
	}
	pl, err := qda.Place(ctx, w.store, p, w.Codebook().Vocabulary(), qda.PlaceOptions{Coder: coder})
	if err != nil {
		return p, nil, err
	}
	if err := pl.Store(w.store); err != nil {
		return p, pl, err
	}
	return p, pl, nil
}
