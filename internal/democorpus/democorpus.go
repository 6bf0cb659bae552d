package democorpus

import (
	"embed"
	"io/fs"
	"sort"
)

//go:generate go run ./gen -dir files

//go:embed files
var files embed.FS

// FS returns the demo documents as a read-only file system with the
// files at its root (for example "en-hospital-peer-navigators.html").
func FS() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "files" is valid.
		return files
	}
	return sub
}

// Names returns the file names of the demo documents, sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, "files")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}
