package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/peermap/peermap/internal/atomicfile"
	"github.com/peermap/peermap/qda"
)

// This file holds the REFI-QDA commands (export -format qdpx|qdc,
// code import FILE.qdpx, codebook -from-qdc): flags are parsed by the
// commands' own files, which call these functions.

// qdaOptions are the flags of export that REFI-QDA output uses.
type qdaOptions struct {
	format    string // qdpx or qdc
	out       string // file, or - for stdout
	coder     string
	machine   bool
	onlyCoded bool
}

// exportQDA writes the workspace as a .qdpx project, or the codebook as .qdc.
func (e *env) exportQDA(ctx context.Context, o qdaOptions) error {
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	v := cb.Vocabulary()
	origin := "peermap " + versionString()
	var buf bytes.Buffer
	summary := ""
	switch o.format {
	case "qdc":
		if err := qda.WriteCodebook(&buf, qda.Codebook(v), origin); err != nil {
			return err
		}
		summary = fmt.Sprintf("codebook %s: %d codes, %d label families", v.Version, len(v.Codes), len(v.Families))
	case "qdpx":
		if o.out == "-" {
			return usagef("peermap export -format qdpx -o review.qdpx", "a .qdpx file is a zip: give -o FILE")
		}
		ws, err := e.open(true)
		if err != nil {
			return err
		}
		defer ws.Close()
		name := strings.TrimSuffix(filepath.Base(o.out), filepath.Ext(o.out))
		st, err := ws.ExportQDPX(ctx, &buf, qda.ExportOptions{Name: name, Origin: origin, Coder: o.coder, Machine: o.machine, OnlyCoded: o.onlyCoded})
		if err != nil {
			return err
		}
		for i, sk := range st.Skipped {
			if i == 20 {
				fmt.Fprintf(e.stderr, "export: … and %d more not exported\n", len(st.Skipped)-i)
				break
			}
			fmt.Fprintln(e.stderr, "export: not exported:", sk)
		}
		summary = fmt.Sprintf("%d sources, %d selections, %d codings by %d users, %d memos", st.Sources, st.Selections, st.Codings, st.Users, st.Notes)
		if st.Negated > 0 {
			summary += fmt.Sprintf("; %d negated machine codes left out", st.Negated)
		}
	default:
		return usagef("peermap export -format qdpx -o review.qdpx", "unknown format %q (want jsonl, qdpx or qdc)", o.format)
	}
	if o.out == "-" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	if err := atomicfile.Write(o.out, buf.Bytes()); err != nil {
		return fmt.Errorf("export %s: %w", o.out, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s: %s\n", o.out, summary)
	return nil
}

// importQDPX places the codings of a .qdpx project as human codes and
// reports what it could not place.
func (e *env) importQDPX(ctx context.Context, path, coder string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ws, err := e.open(false)
	if err != nil {
		return err
	}
	defer ws.Close()
	p, pl, err := ws.ImportQDPX(ctx, bytes.NewReader(data), int64(len(data)), coder)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	coders := map[string]bool{}
	for _, c := range pl.Codes {
		coders[c.Coder] = true
	}
	for _, pr := range pl.Problems {
		fmt.Fprintln(e.stdout, "not placed:", pr)
	}
	fmt.Fprintf(e.stderr, "code import: %s (%s): %d codings, %d placed (%d by their text), %d not placed, %d machine codings skipped; %d passages coded by %d coders (run 'peermap index' to search them)\n",
		path, p.Origin, pl.Codings, pl.Placed, pl.ByText, len(pl.Problems), pl.Machine, len(pl.Codes), len(coders))
	if p.Media > 0 {
		fmt.Fprintf(e.stderr, "code import: %d picture, audio or video sources ignored\n", p.Media)
	}
	return nil
}

// codebookFromQDC maps a team's REFI-QDA codebook (.qdc, or a .qde/.qdpx
// project's codebook) onto the active codebook and prints the mapping.
func (e *env) codebookFromQDC(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var codes []qda.Code
	if strings.EqualFold(filepath.Ext(path), ".qdpx") {
		p, err := qda.ReadQDPX(bytes.NewReader(data), int64(len(data)), qda.ReadOptions{})
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		codes = p.Codes
	} else if codes, _, err = qda.ReadCodebook(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	cb, err := e.loadCodebook()
	if err != nil {
		return err
	}
	m := qda.MapCodes(codes, cb.Vocabulary())
	for _, x := range m.Mapped {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", x.Path, x.Target, x.By)
	}
	if err := m.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(e.stderr, "%s: every code maps onto codebook %s (%d codes)\n", path, cb.Version(), len(m.Mapped))
	return nil
}
