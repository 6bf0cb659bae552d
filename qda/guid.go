package qda

import (
	"strings"

	"github.com/google/uuid"
)

// space is the UUID name space of peermap's GUIDs (itself a name-based
// UUID of the module path), so the GUIDs never collide with another
// tool's and never change between releases.
var space = uuid.NewSHA1(uuid.NameSpaceURL, []byte("github.com/peermap/peermap/qda"))

// GUID returns the stable GUID of a thing of kind (source, code, family,
// label, negated, user, selection, coding, note, group, dimension) with key
// (a document ID, a code ID, a coder...): a name-based (version 5, SHA-1)
// UUID in upper case. The same workspace therefore exports the same GUIDs
// every time, and a fresh workspace holding the same documents gives its
// sources the same GUIDs, which is how imported codings find their
// documents.
func GUID(kind, key string) string {
	return strings.ToUpper(uuid.NewSHA1(space, []byte(kind+"\x00"+key)).String())
}

// normGUID is the form GUIDs are compared in: upper case, without the
// braces the schema allows.
func normGUID(g string) string {
	return strings.ToUpper(strings.Trim(strings.TrimSpace(g), "{}"))
}
