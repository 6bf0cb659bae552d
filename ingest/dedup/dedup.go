package dedup

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/peermap/peermap/corpus"

	"github.com/peermap/peermap/internal/text"
)

// Options control grouping. The zero value is ready to use.
type Options struct {
	TitleThreshold float64     // similarity (0..1, edit-distance ratio) of normalised titles that links two documents of the same year; 0 means 0.9
	NearThreshold  float64     // Jaccard similarity of word 3-shingles of Text that makes two documents versions of one work; 0 means 0.8
	Logger         *zap.Logger // nil means no logging
}

// minShingles is the number of distinct shingles a text needs to take part
// in near-duplicate detection: shorter texts (a bare title) say too little.
const minShingles = 20

// minTitleWords is the number of words a normalised title needs to link
// documents by title alone ("Editorial", "Introduction" do not).
const minTitleWords = 4

// Groups finds the documents of docs that are the same work and returns one
// Group per set of two or more, each with a Preferred member and the
// Reasons that joined it:
//
//   - exact duplicates: the same DOI, the same PMID (unless the two carry
//     different journal DOIs and different titles: a metadata error), or the
//     same normalised title, year and first-author family name;
//   - a record and a full text (or any two documents) whose normalised titles
//     are at least TitleThreshold alike and whose years agree (or one is
//     unknown, or they are one year apart and the first author is the
//     same), unless something says they differ: different first authors,
//     different numbers in the titles ("Part 1"/"Part 2"), a correction or
//     reply against the original, different PMIDs, or different DOIs neither
//     of which is a preprint's;
//   - near duplicates (preprint, report and journal versions): texts whose
//     word 3-shingle sets have a Jaccard similarity of at least
//     NearThreshold. Candidates come from MinHash with LSH banding (fixed
//     seeds), so the cost grows with the number of documents, not pairs;
//     each candidate pair is then checked with the exact Jaccard similarity.
//
// Membership is transitive. The preferred member is an article full text
// before a grey full text before a record, then the longest Text, then the
// smallest ID. Groups, their members and reasons are sorted; a group's ID is
// "g-" and the first 12 hex digits of the SHA-256 of its sorted member IDs,
// so the same input always gives the same groups. Groups reads docs (their
// metadata and Text) and changes nothing; Mark records the result on them.
func Groups(ctx context.Context, docs []*corpus.Document, opts Options) ([]corpus.Group, error) {
	byID := make(map[corpus.DocID]*corpus.Document, len(docs))
	var sks []Sketch
	for _, d := range docs {
		if d != nil && byID[d.ID] == nil {
			byID[d.ID] = d
			sks = append(sks, NewSketch(d))
		}
	}
	return GroupSketches(ctx, sks, func(id corpus.DocID) (string, error) { return byID[id].Text, nil }, opts)
}

// GroupSketches is Groups over the sketches of the documents: the same
// documents give the same groups either way. text returns the Text of a
// document; it is called only for the documents of candidate near
// duplicates, to confirm them. Every sketch must have had Meta (or
// NewSketch) called with its document's current metadata.
func GroupSketches(ctx context.Context, sketches []Sketch, text func(corpus.DocID) (string, error), opts Options) ([]corpus.Group, error) {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	log = log.Named("dedup")
	if opts.TitleThreshold <= 0 {
		opts.TitleThreshold = 0.9
	}
	if opts.NearThreshold <= 0 {
		opts.NearThreshold = 0.8
	}
	// One entry per distinct ID, in ID order, so that the result does not
	// depend on the order of sketches.
	ss := make([]*Sketch, 0, len(sketches))
	seen := make(map[corpus.DocID]bool, len(sketches))
	for i := range sketches {
		s := &sketches[i]
		if !s.meta {
			return nil, fmt.Errorf("group: sketch of %s has no metadata", s.ID.Short())
		}
		if !seen[s.ID] {
			seen[s.ID] = true
			ss = append(ss, s)
		}
	}
	slices.SortFunc(ss, func(a, b *Sketch) int { return strings.Compare(string(a.ID), string(b.ID)) })

	g := &grouper{docs: ss, parent: make([]int, len(ss)), reasons: map[[2]int]string{}}
	for i := range g.parent {
		g.parent[i] = i
	}
	infos := make([]info, len(ss))
	for i, s := range ss {
		infos[i] = s.in
	}
	// Exact keys. A shared PMID whose documents carry different journal DOIs
	// and different titles is a metadata error (OpenAlex has some: two JAMA
	// papers, "Cardiovascular..." and "Noncardiovascular...", share one), not
	// a duplicate.
	pmidConflict := func(a, b info) bool {
		return a.doi != "" && b.doi != "" && a.doi != b.doi && !isPreprintDOI(a.doi) && !isPreprintDOI(b.doi) && a.title != b.title
	}
	for _, k := range []struct {
		reason string
		key    func(info) string
		veto   func(a, b info) bool
	}{
		{"same doi", func(in info) string { return in.doi }, nil},
		{"same pmid", func(in info) string { return in.pmid }, pmidConflict},
		{"same title, year and first author", func(in info) string {
			if in.titleWords < 2 || in.year == 0 || in.author == "" {
				return ""
			}
			return in.title + "\x00" + strconv.Itoa(in.year) + "\x00" + in.author
		}, nil},
	} {
		byKey := map[string][]int{}
		for i, in := range infos {
			key := k.key(in)
			if key == "" {
				continue
			}
			for _, j := range byKey[key] {
				if k.veto == nil || !k.veto(infos[j], in) {
					g.union(j, i, k.reason)
					break
				}
			}
			byKey[key] = append(byKey[key], i)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Similar titles: candidates from MinHash LSH over character 4-grams of
	// the normalised title, confirmed by the edit-distance ratio.
	for _, p := range bandPairs(len(ss), titleBands, func(i int) []uint64 { return ss[i].TitleKeys }) {
		i, j := p[0], p[1]
		if g.find(i) == g.find(j) {
			continue
		}
		a, b := infos[i], infos[j]
		// Years must agree; one year apart is allowed when the first author is
		// known to be the same (online-first vs print, abstract vs article).
		if dy := abs(a.year - b.year); a.year != 0 && b.year != 0 && dy != 0 && (dy > 1 || a.author == "" || a.author != b.author) {
			continue
		}
		if conflict(a, b) {
			continue
		}
		if s := titleSimilarity(a.title, b.title); s >= opts.TitleThreshold {
			g.union(i, j, fmt.Sprintf("similar title and year (%.2f)", s))
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Near-duplicate texts: candidates from the text band keys, confirmed by
	// the Jaccard similarity of the two texts' shingles.
	shingles := map[int][]uint64{}
	textSet := func(i int) ([]uint64, error) {
		if set, ok := shingles[i]; ok {
			return set, nil
		}
		t, err := text(ss[i].ID)
		if err != nil {
			return nil, err
		}
		set := wordShingles(t, 3)
		shingles[i] = set
		return set, nil
	}
	for _, p := range bandPairs(len(ss), textBands, func(i int) []uint64 { return ss[i].TextKeys }) {
		i, j := p[0], p[1]
		if g.find(i) == g.find(j) {
			continue
		}
		a, err := textSet(i)
		if err != nil {
			return nil, err
		}
		b, err := textSet(j)
		if err != nil {
			return nil, err
		}
		if s := jaccard(a, b); s >= opts.NearThreshold {
			g.union(i, j, fmt.Sprintf("near duplicate (%.2f)", s))
		}
	}
	groups := g.groups()
	log.Info("grouped", zap.Int(corpus.LogKeyCount, len(groups)), zap.Int("docs", len(ss)), zap.Int("texts read", len(shingles)))
	return groups, nil
}

// Mark sets Group and Preferred on the documents of docs that belong to
// one of groups, and clears them on the others.
func Mark(docs []*corpus.Document, groups []corpus.Group) {
	type mark struct {
		group     string
		preferred bool
	}
	m := map[corpus.DocID]mark{}
	for _, g := range groups {
		for _, id := range g.Members {
			m[id] = mark{g.ID, id == g.Preferred}
		}
	}
	for _, d := range docs {
		if d != nil {
			mk := m[d.ID]
			d.Group, d.Preferred = mk.group, mk.preferred
		}
	}
}

// info is what grouping compares of a document.
type info struct {
	title      string // normalised
	titleWords int
	nums       string // the numbers in the title, in order
	notice     bool   // the title is a correction, retraction, comment or reply
	year       int
	author     string // normalised family name of the first author
	doi, pmid  string
}

var noticePrefixes = []string{"correction", "erratum", "errata", "corrigendum", "retraction", "retracted", "comment on",
	"reply to", "response to", "re ", "expression of concern", "notice of retraction", "addendum"}

// numberedBy holds the words after which a roman numeral numbers a part.
var numberedBy = map[string]bool{"part": true, "parts": true, "parte": true, "partie": true, "teil": true, "phase": true,
	"study": true, "volume": true, "vol": true, "book": true, "chapter": true, "series": true, "no": true}

// noticeSuffixes end the titles of replies and notices ("Title—Reply").
var noticeSuffixes = []string{" reply", " in reply", " authors reply", " response", " erratum", " correction", " retraction"}

var romanNumerals = map[string]bool{"i": true, "ii": true, "iii": true, "iv": true, "v": true, "vi": true, "vii": true, "viii": true, "ix": true, "x": true}

func newInfo(d *corpus.Document) info {
	in := info{title: text.Key(d.Title), year: d.Year, doi: text.DOI(d.DOI), pmid: strings.TrimLeft(strings.TrimSpace(d.PMID), "0")}
	words := strings.Fields(in.title)
	in.titleWords = len(words)
	var nums []string
	for i, w := range words {
		if w[0] >= '0' && w[0] <= '9' || len(w) <= 4 && strings.IndexByte("ivx", w[0]) >= 0 && romanNumerals[w] && i > 0 && numberedBy[words[i-1]] {
			nums = append(nums, w)
		}
	}
	in.nums = strings.Join(nums, " ")
	for _, p := range noticePrefixes {
		if strings.HasPrefix(in.title, p) {
			in.notice = true
		}
	}
	for _, s := range noticeSuffixes {
		if strings.HasSuffix(in.title, s) {
			in.notice = true
		}
	}
	if len(d.Authors) > 0 {
		in.author = surname(d.Authors[0])
	}
	return in
}

// preprintPrefixes are DOI prefixes of preprint servers (bioRxiv/medRxiv,
// arXiv, OSF/PsyArXiv/SocArXiv, SSRN, Research Square, Preprints.org,
// JMIR Preprints, Authorea, ResearchGate), whose DOI differs from the
// journal version's.
var preprintPrefixes = []string{"10.1101/", "10.48550/", "10.31219/", "10.31234/", "10.31235/", "10.2139/", "10.21203/",
	"10.20944/", "10.2196/preprints", "10.22541/", "10.13140/"}

func isPreprintDOI(doi string) bool {
	for _, p := range preprintPrefixes {
		if strings.HasPrefix(doi, p) {
			return true
		}
	}
	return false
}

// conflict reports whether a and b, though their titles are alike, are
// known to be different works.
func conflict(a, b info) bool {
	switch {
	case a.doi != "" && b.doi != "" && a.doi != b.doi && !isPreprintDOI(a.doi) && !isPreprintDOI(b.doi):
		return true
	case a.pmid != "" && b.pmid != "" && a.pmid != b.pmid:
		return true
	case a.author != "" && b.author != "" && a.author != b.author:
		return true
	case a.nums != b.nums:
		return true
	case a.notice != b.notice:
		return true
	}
	return false
}

// titleSimilarity is 1 - (edit distance / length of the longer title), over runes.
func titleSimilarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 0
	}
	// Titles whose lengths differ by more than the threshold allows cannot match;
	// a quick bound before the quadratic distance.
	if float64(abs(len(ra)-len(rb)))/float64(n) > 0.5 {
		return 0
	}
	return 1 - float64(levenshtein(ra, rb))/float64(n)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(prev[j-1], prev[j], cur[j-1])
			} else {
				c = min(c, prev[j]+1, cur[j-1]+1)
			}
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// A grouper is a union-find over document indexes that remembers why two
// were joined.
type grouper struct {
	docs    []*Sketch
	parent  []int
	reasons map[[2]int]string // (i, j) with i < j → reason
}

func (g *grouper) find(i int) int {
	for g.parent[i] != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = g.parent[i]
	}
	return i
}

func (g *grouper) union(i, j int, reason string) {
	if i > j {
		i, j = j, i
	}
	if _, ok := g.reasons[[2]int{i, j}]; !ok {
		g.reasons[[2]int{i, j}] = reason
	}
	ri, rj := g.find(i), g.find(j)
	if ri == rj {
		return
	}
	// The smaller index becomes the root, so roots do not depend on call order.
	if ri < rj {
		g.parent[rj] = ri
	} else {
		g.parent[ri] = rj
	}
}

// kindRank orders kinds for the preferred member: article, grey, record.
func kindRank(k corpus.Kind) int {
	switch k {
	case corpus.KindArticle:
		return 0
	case corpus.KindGrey:
		return 1
	}
	return 2
}

func (g *grouper) groups() []corpus.Group {
	members := map[int][]int{}
	for i := range g.docs {
		r := g.find(i)
		members[r] = append(members[r], i)
	}
	reasons := map[int]map[string]bool{}
	for p, why := range g.reasons {
		r := g.find(p[0])
		if reasons[r] == nil {
			reasons[r] = map[string]bool{}
		}
		reasons[r][why] = true
	}
	var out []corpus.Group
	for r, idx := range members {
		if len(idx) < 2 {
			continue
		}
		var grp corpus.Group
		best := -1
		h := sha256.New()
		for _, i := range idx { // idx is in ID order: docs are sorted
			d := g.docs[i]
			grp.Members = append(grp.Members, d.ID)
			h.Write([]byte(d.ID))
			h.Write([]byte{'\n'})
			if best < 0 || better(d, g.docs[best]) {
				best = i
			}
		}
		grp.ID = "g-" + hex.EncodeToString(h.Sum(nil))[:12]
		grp.Preferred = g.docs[best].ID
		for why := range reasons[r] {
			grp.Reasons = append(grp.Reasons, why)
		}
		slices.Sort(grp.Reasons)
		out = append(out, grp)
	}
	slices.SortFunc(out, func(a, b corpus.Group) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// better reports whether a is preferred to b as the member that stands for
// a group.
func better(a, b *Sketch) bool {
	if c := cmp.Compare(kindRank(a.kind), kindRank(b.kind)); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(a.TextLen, b.TextLen); c != 0 {
		return c > 0
	}
	return a.ID < b.ID
}

// hash64 is FNV-1a of s.
func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
