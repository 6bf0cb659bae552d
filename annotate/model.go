package annotate

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
)

// The embedded model and its training set are written by
// "go test ./annotate -run TestEmbeddedModel -update", which trains on
// ../shared/gold/train.jsonl with DefaultTrainOptions; the test fails when
// they differ from what training gives.
var (
	//go:embed model.bin
	modelBin []byte
	//go:embed trainset.json.gz
	trainsetGz []byte
)

// ModelFormat is the version of the model's fields (what they mean), in
// either encoding of a model file.
const ModelFormat = 1

// modelMagic opens a model file as Save writes it: then a little-endian
// uint32, the length of a JSON header (the model without its weights),
// the header, and the weights as little-endian float64s, the peer model's
// then each code's, len(Features) each. Every process that tags reads the
// embedded model: the weights are copied, not parsed (gzip-compressed JSON,
// the encoding before, took a sixth of the CPU of an annotate process over
// a few new documents), and LoadModel still reads that encoding.
const modelMagic = "peermap model\n\x00\x00"

// A Model is the learned layer: one logistic regression per code, and one
// for the passage's peer focus, over the features of a passage's peer
// sentences (see features.go), with the calibration of their outputs.
// It is trained for one codebook version and only used with it.
type Model struct {
	Format   int          `json:"format"`
	Codebook string       `json:"codebook"` // version of the codebook the features came from
	Options  TrainOptions `json:"options"`
	Examples int          `json:"examples"` // training passages (with a peer sentence)
	Codes    []string     `json:"codes"`    // in codebook order
	Features []string     `json:"features"` // sorted
	Peer     Linear       `json:"peer"`     // is_peer
	Code     []Linear     `json:"code"`     // per Codes
	// Threshold: a code is given when its calibrated probability reaches it.
	Threshold float64 `json:"threshold"`
	// RuleCodes marks, per code, the codes that the rules decide (given
	// when a cue fires in a sentence that may give codes): those whose
	// rules did better than the model on the held-out folds of training
	// (see ruleDecides). Nil: the model decides every code.
	RuleCodes []bool `json:"rule_codes,omitempty"`
	// RulePrecision is, per code, the precision of the rules alone on the
	// training set (peer sentences only, smoothed): the confidence of a
	// code given by rules@ annotators. RulePeer is the same for the peer
	// decision.
	RulePrecision []float64 `json:"rule_precision"`
	RulePeer      float64   `json:"rule_peer"`
	// Calib maps a code's probability (from its Linear) to the
	// confidence its annotation carries: the isotonic recalibration of
	// the codes the model decides, pooled, on the held-out folds of
	// training (Platt's per-code curves stay over-confident where
	// codes are given). Nil: the probability itself.
	Calib *Isotonic `json:"calib,omitempty"`

	hash  string
	index map[string]int32
	w     []float32 // feature-major: w[f*stride+k]; k = 0 the peer model, k = 1+c code c
}

// A Linear is one logistic regression over the model's features, with its
// calibration: P(yes) = σ(A·z + B), z = Bias + Σ W[f] over the passage's
// features f.
type Linear struct {
	Bias float64   `json:"bias"`
	W    []float64 `json:"w,omitempty"` // per Model.Features
	A    float64   `json:"a"`
	B    float64   `json:"b"`
}

func (l Linear) prob(z float64) float64 { return sigmoid(l.A*z + l.B) }

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

var defaultModel = sync.OnceValues(func() (*Model, error) {
	return loadModel(modelBin)
})

// DefaultModel returns the embedded model (trained on train.jsonl for the
// embedded codebook). The same *Model is returned on every call; it must
// not be modified.
func DefaultModel() (*Model, error) { return defaultModel() }

// LoadModel reads a model written by Save, or gzip-compressed or plain
// JSON (how models were written before).
func LoadModel(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	return loadModel(b)
}

func loadModel(b []byte) (*Model, error) {
	var m Model
	var err error
	switch {
	case bytes.HasPrefix(b, []byte(modelMagic)):
		err = m.decode(b[len(modelMagic):])
		// The hash of Save's bytes: the same model always has the same.
		m.hash = hashOf(b)
	case len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b:
		zr, zerr := gzip.NewReader(bytes.NewReader(b))
		if zerr != nil {
			return nil, fmt.Errorf("load model: %w", zerr)
		}
		if b, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("load model: %w", err)
		}
		err = jsonv2.Unmarshal(b, &m)
		// A model saved as gzip-compressed JSON keeps the hash of its
		// JSON, so the annotations made with it keep their annotator.
		m.hash = hashOf(b)
	default:
		err = jsonv2.Unmarshal(b, &m)
	}
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if m.Format != ModelFormat {
		return nil, fmt.Errorf("load model: format %d, want %d", m.Format, ModelFormat)
	}
	if len(m.Code) != len(m.Codes) || len(m.RulePrecision) != len(m.Codes) || (m.RuleCodes != nil && len(m.RuleCodes) != len(m.Codes)) {
		return nil, fmt.Errorf("load model: %d codes but %d models, %d rule precisions and %d rule decisions", len(m.Codes), len(m.Code), len(m.RulePrecision), len(m.RuleCodes))
	}
	if c := m.Calib; c != nil && (len(c.Y) == 0 || len(c.X) != len(c.Y)-1 || !slices.IsSorted(c.X)) {
		return nil, fmt.Errorf("load model: calibration with %d steps and %d bounds", len(c.Y), len(c.X))
	}
	for i, l := range append([]Linear{m.Peer}, m.Code...) {
		if len(l.W) != len(m.Features) {
			return nil, fmt.Errorf("load model: model %d has %d weights for %d features", i, len(l.W), len(m.Features))
		}
	}
	m.prepare()
	if m.hash == "" {
		m.hash = m.computeHash()
	}
	return &m, nil
}

// decode reads what follows modelMagic (see there).
func (m *Model) decode(b []byte) error {
	if len(b) < 4 {
		return errors.New("truncated header")
	}
	n := binary.LittleEndian.Uint32(b)
	b = b[4:]
	if uint64(n) > uint64(len(b)) {
		return fmt.Errorf("header of %d bytes in %d", n, len(b))
	}
	if err := jsonv2.Unmarshal(b[:n], m); err != nil {
		return err
	}
	b = b[n:]
	nf := len(m.Features)
	if want := 8 * uint64(nf) * uint64(1+len(m.Code)); uint64(len(b)) != want {
		return fmt.Errorf("%d bytes of weights, want %d for %d features and %d models", len(b), want, nf, 1+len(m.Code))
	}
	w := make([]float64, nf*(1+len(m.Code)))
	for i := range w {
		w[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	m.Peer.W = w[:nf:nf]
	for c := range m.Code {
		m.Code[c].W = w[(1+c)*nf : (2+c)*nf : (2+c)*nf]
	}
	return nil
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:4])
}

// computeHash returns the hash of the bytes Save writes.
func (m *Model) computeHash() string {
	b, _ := m.encode() // a Model always marshals
	return hashOf(b)
}

// prepare builds the feature index and the feature-major weights.
func (m *Model) prepare() {
	m.index = make(map[string]int32, len(m.Features))
	for i, f := range m.Features {
		m.index[f] = int32(i)
	}
	stride := 1 + len(m.Codes)
	m.w = make([]float32, len(m.Features)*stride)
	for f := range m.Features {
		m.w[f*stride] = float32(m.Peer.W[f])
		for c := range m.Codes {
			m.w[f*stride+1+c] = float32(m.Code[c].W[f])
		}
	}
}

// Hash returns 8 hex digits of the SHA-256 of the bytes Save writes (of
// the JSON, for a model read from gzip-compressed JSON): the annotator
// name "model@<codebook version>+<hash>" carries it.
func (m *Model) Hash() string { return m.hash }

// Save writes m (see modelMagic). The bytes depend only on m.
func (m *Model) Save(w io.Writer) error {
	b, err := m.encode()
	if err == nil {
		_, err = w.Write(b)
	}
	if err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// encode returns the bytes Save writes.
func (m *Model) encode() ([]byte, error) {
	h := *m
	h.Peer.W = nil
	h.Code = slices.Clone(m.Code)
	for c := range h.Code {
		h.Code[c].W = nil
	}
	head, err := json.Marshal(&h)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(modelMagic)+4+len(head)+8*len(m.Features)*(1+len(m.Code)))
	b = append(b, modelMagic...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(head)))
	b = append(b, head...)
	for _, l := range append([]Linear{m.Peer}, m.Code...) {
		for _, v := range l.W {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b, nil
}

func writeGzip(w io.Writer, b []byte, what string) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := zw.Write(b); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// ruleCode reports whether the rules decide code c (see RuleCodes).
func (m *Model) ruleCode(c int) bool { return m.RuleCodes != nil && m.RuleCodes[c] }

// codeIndex returns the index of code in m.Codes, or -1.
func (m *Model) codeIndex(code string) int {
	for i, c := range m.Codes {
		if c == code {
			return i
		}
	}
	return -1
}

// scores computes the raw scores z of the peer model (z[0]) and of each
// code (z[1+c]) for the sorted, distinct feature indices fs.
func (m *Model) scores(fs []int32, z []float64) []float64 {
	stride := 1 + len(m.Codes)
	z = append(z[:0], make([]float64, stride)...)
	z[0] = m.Peer.Bias
	for c := range m.Codes {
		z[1+c] = m.Code[c].Bias
	}
	for _, f := range fs {
		row := m.w[int(f)*stride : int(f)*stride+stride]
		for k, v := range row {
			z[k] += float64(v)
		}
	}
	return z
}

// An Example is one passage as the learned layer sees it: its features
// (sorted, distinct; none when no sentence speaks about peers) and its
// gold decisions.
type Example struct {
	ID    string   `json:"id,omitempty"`
	Doc   string   `json:"doc,omitempty"` // source document: cross-validation folds keep a document together
	Focus bool     `json:"focus"`         // some sentence speaks about peers
	Feats []string `json:"feats,omitempty"`
	Peer  bool     `json:"peer"`
	Codes []string `json:"codes,omitempty"`
}

var defaultTrainSet = sync.OnceValues(func() ([]Example, error) {
	return ReadExamples(bytes.NewReader(trainsetGz))
})

// DefaultTrainSet returns the features of the embedded training set
// (train.jsonl as the embedded codebook's tagger sees it: features and
// gold decisions, no text), what the embedded model was trained on and
// what "annotate -learn" refits with. The slice must not be modified.
func DefaultTrainSet() ([]Example, error) { return defaultTrainSet() }

// ReadExamples reads examples written by WriteExamples (gzip-compressed
// or plain JSON lines).
func ReadExamples(r io.Reader) ([]Example, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read examples: %w", err)
	}
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("read examples: %w", err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("read examples: %w", err)
		}
	}
	var out []Example
	dec := json.NewDecoder(bytes.NewReader(b))
	for n := 1; dec.More(); n++ {
		var e Example
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("read examples: example %d: %w", n, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// WriteExamples writes examples as gzip-compressed JSON lines.
func WriteExamples(w io.Writer, ex []Example) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range ex {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("write examples: %w", err)
		}
	}
	return writeGzip(w, buf.Bytes(), "write examples")
}
