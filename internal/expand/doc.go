// Package expand bounds what a compressed stream may expand to, against
// compression bombs (zip, tar and gzip files, and DOCX parts, that unpack to
// gigabytes from a few kilobytes).
//
// A Reader wraps the expanded side of a decompressor and fails with an
// *Error as soon as the bytes read through it pass an absolute limit, or
// pass Ratio times the compressed bytes consumed so far (once Slack bytes
// are out, so that small, very regular files are not taken for bombs). It
// reads nothing ahead, keeps nothing, and never decides what a stream is:
// callers turn its error into a skip reason for the member or file.
package expand
