package corpus

import "time"

// Source statuses.
const (
	StatusIngested  = "ingested"
	StatusSkipped   = "skipped"
	StatusDuplicate = "duplicate"
	StatusFailed    = "failed"
)

// A Source records what became of one input (file, archive member or URL):
// ingested, skipped with a reason, a duplicate of a document already held,
// or failed with an error.
type Source struct {
	Path     string    `json:"path"`
	SHA256   string    `json:"sha256,omitempty"`
	Size     int64     `json:"size"`
	Format   string    `json:"format,omitempty"`
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"`
	Docs     []DocID   `json:"docs,omitempty"`     // documents it produced (for an export: its first record only; Document.Source names the rest)
	Records  int       `json:"records,omitempty"`  // records in it (reference exports)
	Skipped  int       `json:"skipped,omitempty"`  // records in it that were skipped
	Warnings []string  `json:"warnings,omitempty"` //
	Run      int       `json:"run,omitempty"`      // run that last saw it
	Time     time.Time `json:"time"`               //
	Fetched  string    `json:"fetched,omitempty"`  // for URLs: where the fetched bytes are kept
}

// A Run records one invocation of a stage or of the whole pipeline.
type Run struct {
	N        int            `json:"n"`
	Command  string         `json:"command"`
	Args     []string       `json:"args,omitempty"`
	Version  string         `json:"version,omitempty"`
	Codebook string         `json:"codebook,omitempty"`
	Started  time.Time      `json:"started"`
	Ended    time.Time      `json:"ended,omitempty"`
	Counts   map[string]int `json:"counts,omitempty"` // e.g. ingested, skipped, duplicate, failed, passages
	Error    string         `json:"error,omitempty"`
}

// A Group is a set of documents that are the same work: exact duplicates,
// versions (preprint, report, journal article) or a record and its full text.
// Nothing is deleted; reports count a group once, through its Preferred member.
type Group struct {
	ID        string   `json:"id"`
	Members   []DocID  `json:"members"`
	Preferred DocID    `json:"preferred"`
	Reasons   []string `json:"reasons,omitempty"` // e.g. "same doi", "near duplicate (0.93)"
}
