package pipeline

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/peermap/peermap/internal/atomicfile"
)

// Consensus is the coder name under which adjudicated codes are stored: the
// code set two coders agreed on after discussing their disagreements. No
// account and no sign-in may take it.
const Consensus = "consensus"

// CodersFile is the name of the file, in the workspace folder, that holds
// the coder accounts of 'peermap serve'. It is JSON, written atomically with
// mode 0600, and holds no token, only each token's SHA-256:
//
//	{"format": 1,
//	 "coders": [{"name": "ana", "token_sha256": "<64 hex digits>", "added": "<RFC 3339>"}, ...]}
//
// Coders are sorted by name. A token is 32 random bytes, base64url without
// padding: guessing one is hopeless, so a plain SHA-256 (no salt, no slow
// hash) protects the file as well as a password hash would.
const CodersFile = "coders.json"

const codersFormat = 1

type codersJSON struct {
	Format int          `json:"format"`
	Coders []coderEntry `json:"coders"`
}

type coderEntry struct {
	Name  string    `json:"name"`
	Hash  string    `json:"token_sha256"`
	Added time.Time `json:"added"`
}

// CheckCoder returns an error saying what is wrong with a coder name, nil
// if it is one: 1 to 64 printable characters, not "consensus".
func CheckCoder(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("give a coder name: codes are stored per coder")
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > 64:
		return errors.New("a coder name is at most 64 characters of text")
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return errors.New("a coder name holds only printable characters")
	case name != strings.TrimSpace(name):
		return errors.New("a coder name neither starts nor ends with a space")
	case name == Consensus:
		return fmt.Errorf("%q is where adjudicated codes are kept: choose another coder name", Consensus)
	}
	return nil
}

// AddCoder creates the account of coder name in the workspace folder dir
// (or gives it a new token, which revokes the old one) and returns the
// token, which is shown once: only its hash is kept. It needs no lock on
// the store, so it works while 'peermap serve' runs; two AddCoder calls at
// the same moment may lose one of the two accounts.
func AddCoder(dir, name string, now time.Time) (string, error) {
	if err := CheckCoder(name); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "corpus.db")); err != nil {
		return "", fmt.Errorf("add coder: %s is not a workspace: %w", dir, err)
	}
	f, err := readCoders(dir)
	if err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("add coder: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	e := coderEntry{Name: name, Hash: hashToken(token), Added: now.UTC()}
	if i := slices.IndexFunc(f.Coders, func(c coderEntry) bool { return c.Name == name }); i >= 0 {
		f.Coders[i] = e
	} else {
		f.Coders = append(f.Coders, e)
	}
	slices.SortFunc(f.Coders, func(a, b coderEntry) int { return strings.Compare(a.Name, b.Name) })
	f.Format = codersFormat
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return "", fmt.Errorf("add coder: %w", err)
	}
	path := filepath.Join(dir, CodersFile)
	if err := atomicfile.Write(path, append(data, '\n')); err != nil {
		return "", fmt.Errorf("add coder: write %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return "", fmt.Errorf("add coder: %w", err)
	}
	return token, nil
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func readCoders(dir string) (codersJSON, error) {
	var f codersJSON
	path := filepath.Join(dir, CodersFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read coder accounts: %w", err)
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("read coder accounts %s: %w", path, err)
	}
	if f.Format != codersFormat {
		return f, fmt.Errorf("read coder accounts %s: format %d, want %d", path, f.Format, codersFormat)
	}
	return f, nil
}

// Accounts are the coder accounts of a workspace, as read from CodersFile.
// The zero value has no account.
type Accounts struct {
	names  []string
	hashes [][]byte // SHA-256 of each coder's token, in names order
}

// ReadAccounts reads the coder accounts of the workspace folder dir; a
// workspace without CodersFile has none.
func ReadAccounts(dir string) (Accounts, error) {
	f, err := readCoders(dir)
	if err != nil {
		return Accounts{}, err
	}
	var a Accounts
	for _, c := range f.Coders {
		h, err := hex.DecodeString(c.Hash)
		if err != nil || len(h) != sha256.Size || CheckCoder(c.Name) != nil {
			return Accounts{}, fmt.Errorf("read coder accounts %s: bad entry for %q", filepath.Join(dir, CodersFile), c.Name)
		}
		a.names = append(a.names, c.Name)
		a.hashes = append(a.hashes, h)
	}
	return a, nil
}

// Names returns the coders who have an account, sorted.
func (a Accounts) Names() []string { return slices.Clone(a.names) }

// Len returns how many accounts there are.
func (a Accounts) Len() int { return len(a.names) }

// Coder returns the coder whose token this is; ok is false for a token no
// account has. Every account is compared, in constant time each.
func (a Accounts) Coder(token string) (name string, ok bool) {
	if token == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(token))
	for i, want := range a.hashes {
		if subtle.ConstantTimeCompare(h[:], want) == 1 {
			name, ok = a.names[i], true
		}
	}
	return name, ok
}
