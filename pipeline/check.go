package pipeline

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/peermap/peermap/corpus"
	"github.com/peermap/peermap/index"
)

// A CheckResult is what Check found.
type CheckResult struct {
	Documents  int      `json:"documents"`   // ingested documents
	Passages   int      `json:"passages"`    // their passages
	HumanCodes int      `json:"human_codes"` //
	Codebook   string   `json:"codebook"`    // active codebook version
	Annotator  string   `json:"annotator"`   // active annotator (codebook and model)
	Problems   []string `json:"problems"`    // each with the command that fixes it; none means all agree
}

// Check verifies that the store, the index and the codebook agree: every
// passage's text is its document's text at its offsets; every ingested
// document is annotated with the active codebook; the index holds exactly
// the store's passages with their current annotations and was built with
// this corpus format and codebook; every human code points to a passage
// that exists. An error is returned only when the check itself cannot run.
func (w *Workspace) Check(ctx context.Context) (*CheckResult, error) {
	s, cb := w.store, w.Codebook()
	res := &CheckResult{Codebook: cb.Version(), Annotator: w.Annotator()}
	report := func(format string, a ...any) { res.Problems = append(res.Problems, fmt.Sprintf(format, a...)) }

	damage, err := s.Verify()
	if err != nil {
		return nil, err
	}
	for _, d := range damage {
		report("store damaged: %s: restore a backup (peermap backup) or re-ingest into a new workspace", d)
	}
	if len(damage) > 0 {
		return res, nil
	}
	docs, err := w.ingestedDocs(ctx)
	if err != nil {
		return nil, err
	}
	fps := map[corpus.DocID]string{}  // for an index stamped with fingerprints
	digs := map[corpus.DocID]string{} // for an index stamped with digests
	counts := map[corpus.DocID]int{}
	stale := 0
	for _, meta := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := s.Document(meta.ID)
		if err != nil {
			return nil, err
		}
		vs, err := s.Views(d.ID)
		if err != nil {
			return nil, err
		}
		for i, v := range vs {
			p := v.Passage
			if p.N != i || p.ID != corpus.NewPassageID(d.ID, i) {
				report("passage %s: read as passage %d of %s: passages out of order: run 'peermap upgrade'", p.ID.Short(), i, d.Path)
			}
			if p.Start < 0 || p.End > len(d.Text) || p.Start > p.End || d.Text[p.Start:p.End] != p.Text {
				report("passage %s: text does not match its document at [%d,%d): re-ingest %s", p.ID.Short(), p.Start, p.End, d.Path)
			}
		}
		res.Passages += len(vs)
		counts[d.ID] = len(vs)
		fps[d.ID] = fingerprint(vs)
		if digs[d.ID], err = s.ViewDigest(d.ID); err != nil {
			return nil, err
		}
		v, err := s.AnnotatedWith(d.ID)
		if err != nil {
			return nil, err
		}
		if v != res.Annotator {
			stale++
		}
	}
	res.Documents = len(docs)
	if stale > 0 {
		report("%d of %d documents are not annotated by %s: run 'peermap annotate'", stale, len(docs), res.Annotator)
	}
	hc, err := s.HumanCodes("")
	if err != nil {
		return nil, err
	}
	res.HumanCodes = len(hc)
	for _, a := range hc {
		if _, err := s.Passage(a.Passage); err != nil {
			report("human code %s by %s points to missing passage %s", a.Code, a.Annotator, a.Passage)
		}
	}

	ix, err := index.Open(w.IndexPath(), w.indexOptions(true))
	if err != nil {
		report("index: %v: run 'peermap reindex'", err)
		return res, nil
	}
	defer ix.Close()
	held, err := ix.DocIDs(ctx)
	if err != nil {
		return nil, err
	}
	var missing, extra, wrong int
	for id, n := range counts {
		switch m, ok := held[id]; {
		case !ok && n > 0:
			missing++
		case ok && m != n:
			wrong++
		}
	}
	for id := range held {
		if _, ok := counts[id]; !ok {
			extra++
		}
	}
	if missing+extra+wrong > 0 {
		report("index: %d documents missing, %d not in the store, %d with another passage count: run 'peermap index'", missing, extra, wrong)
	}
	old := map[corpus.DocID]string{}
	key, now := stampDigests, digs
	raw, _ := ix.Stamp(stampDigests)
	if raw == "" {
		key, now = stampFingerprints, fps
		raw, _ = ix.Stamp(stampFingerprints)
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &old); err != nil {
			report("index: unreadable %s (%v): run 'peermap reindex'", key, err)
		}
	}
	changed := 0
	for id, fp := range now {
		if o, ok := old[id]; ok && o != fp {
			changed++
		}
	}
	if changed > 0 {
		report("index: %d documents changed (passages or annotations) since indexing: run 'peermap index'", changed)
	}
	if v, _ := ix.Stamp("codebook"); v != cb.Version() {
		report("index: built with codebook %q, active codebook is %s: run 'peermap annotate' then 'peermap index'", v, cb.Version())
	}
	return res, nil
}
