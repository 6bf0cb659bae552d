package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// IgnoreFile is the name of the file that, in an input folder or any folder
// below it, lists files to leave out, in .gitignore syntax.
const IgnoreFile = ".peermapignore"

// WalkOptions control Walk.
type WalkOptions struct {
	// Exclude lists patterns of files and folders to leave out, in
	// .gitignore syntax ("*.md", "drafts/", "!keep.md"), relative to each
	// input folder; a file given by name is matched by its base name.
	Exclude []string
}

// A Walked is what Walk found.
type Walked struct {
	Files    []string    // regular files (and links to files), in walk order
	Problems []WalkError // entries that could not be read; the walk went on
	Excluded int         // files left out by -exclude or a .peermapignore
}

// A WalkError is an input entry Walk could not read.
type WalkError struct {
	Path string
	Err  error
}

func (e WalkError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// Walk lists the files of paths: a file is itself; a folder is walked
// recursively in lexical order, leaving out hidden entries (".name"),
// links to folders, and what opts.Exclude or a .peermapignore file in the
// folder or below it excludes. A path that does not exist is an error; a
// path that is not a regular file or folder (a named pipe, a device), and
// an entry that cannot be read inside a folder, are Problems and the walk
// goes on. Inside folders, entries that are neither files, folders nor
// links to files are left out.
func Walk(paths []string, opts WalkOptions) (Walked, error) {
	var w Walked
	var base []gitignore.Pattern
	for _, x := range opts.Exclude {
		if p := strings.TrimSpace(x); p != "" && !strings.HasPrefix(p, "#") {
			base = append(base, gitignore.ParsePattern(p, nil))
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return w, fmt.Errorf("walk %s: %w", p, err)
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				// A named pipe or device given by name: opening it could
				// wait forever, reading it never end.
				w.Problems = append(w.Problems, WalkError{Path: p, Err: fmt.Errorf("not a regular file (%s)", st.Mode().Type())})
				continue
			}
			if len(base) > 0 && gitignore.NewMatcher(base).Match([]string{filepath.Base(p)}, false) {
				w.Excluded++
				continue
			}
			w.Files = append(w.Files, p)
			continue
		}
		if err := walkDir(p, base, &w); err != nil {
			return w, fmt.Errorf("walk %s: %w", p, err)
		}
	}
	return w, nil
}

// walkDir walks the folder root, reading each folder's .peermapignore
// before its entries.
func walkDir(root string, base []gitignore.Pattern, w *Walked) error {
	patterns := append([]gitignore.Pattern(nil), base...)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			w.Problems = append(w.Problems, WalkError{Path: path, Err: err})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if path != root {
			if strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if len(patterns) > 0 && gitignore.NewMatcher(patterns).Match(parts, d.IsDir()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				w.Excluded++
				return nil
			}
		}
		if d.IsDir() {
			domain := parts
			if path == root {
				domain = nil
			}
			ps, err := readIgnore(filepath.Join(path, IgnoreFile), domain)
			if err != nil {
				w.Problems = append(w.Problems, WalkError{Path: filepath.Join(path, IgnoreFile), Err: err})
			}
			patterns = append(patterns, ps...)
			return nil
		}
		if d.Type().IsRegular() {
			w.Files = append(w.Files, path)
		} else if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(path)
			switch {
			case err != nil:
				w.Problems = append(w.Problems, WalkError{Path: path, Err: err})
			case st.Mode().IsRegular():
				w.Files = append(w.Files, path) // a link to a file (links to folders are not followed)
			}
		}
		return nil
	})
}

// readIgnore reads the patterns of an ignore file, relative to the folder
// domain; a missing file has none.
func readIgnore(path string, domain []string) ([]gitignore.Pattern, error) {
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps, sc.Err()
}
