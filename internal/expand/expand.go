package expand

import (
	"fmt"
	"io"
)

// Limits bound how far a stream may expand. The zero value bounds nothing.
type Limits struct {
	Max   int64 // expanded bytes allowed; 0 means no absolute limit
	Ratio int64 // expanded bytes allowed per compressed byte; 0 means no ratio limit
	Slack int64 // expanded bytes allowed whatever the ratio
}

// An Error says which limit a stream broke and where.
type Error struct {
	Expanded int64 // bytes expanded when the limit was passed
	Packed   int64 // compressed bytes consumed by then
	Limits   Limits
}

func (e *Error) Error() string {
	if e.Limits.Max > 0 && e.Expanded > e.Limits.Max {
		return fmt.Sprintf("expands past the limit of %s", Size(e.Limits.Max))
	}
	return fmt.Sprintf("expands more than %d times (%s from %s): a compression bomb", e.Limits.Ratio, Size(e.Expanded), Size(e.Packed))
}

// Check returns an *Error if a stream of packed compressed bytes that
// declares it expands to expanded bytes breaks lim, nil otherwise. A zip
// entry declares both sizes and archive/zip holds it to them, so a bomb
// is refused before a byte of it is expanded.
func Check(packed, expanded int64, lim Limits) error {
	if broken(packed, expanded, lim) {
		return &Error{Expanded: expanded, Packed: packed, Limits: lim}
	}
	return nil
}

func broken(packed, expanded int64, lim Limits) bool {
	return lim.Max > 0 && expanded > lim.Max || lim.Ratio > 0 && expanded > lim.Slack && expanded > lim.Ratio*packed
}

// A Reader reads an expanded stream and fails once it breaks its limits.
type Reader struct {
	r      io.Reader
	packed func() int64
	lim    Limits
	n      int64
	err    error
}

// NewReader returns a Reader of r, the expanded side of a stream; packed
// returns how many compressed bytes the decompressor has consumed so far
// (a Counter's N, or a zip entry's compressed size).
func NewReader(r io.Reader, packed func() int64, lim Limits) *Reader {
	return &Reader{r: r, packed: packed, lim: lim}
}

// Read reads from the expanded stream. Once the stream breaks its limits,
// Read returns an *Error, now and on every later call.
func (x *Reader) Read(p []byte) (int, error) {
	if x.err != nil {
		return 0, x.err
	}
	n, err := x.r.Read(p)
	x.n += int64(n)
	if x.lim.Max > 0 && x.n > x.lim.Max || x.lim.Ratio > 0 && broken(x.packed(), x.n, x.lim) {
		x.err = &Error{Expanded: x.n, Packed: x.packed(), Limits: x.lim}
		return 0, x.err
	}
	return n, err
}

// N returns the number of expanded bytes read so far.
func (x *Reader) N() int64 { return x.n }

// A Counter counts the bytes read through it: put it under a decompressor
// to know how much of the compressed stream it has consumed.
type Counter struct {
	R io.Reader
	N int64
}

func (c *Counter) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}

// Size writes a byte count for people: "512 B", "64 KiB", "1.5 GiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %ciB", int64(v), "KMGTPE"[exp])
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[exp])
}
