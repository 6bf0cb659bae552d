// Package ingest turns source files into corpus documents and passages:
// files → *corpus.Document → []corpus.Passage.
//
// Input is a file (File), bytes in memory (Bytes) or an http(s) URL (URL);
// Walk expands folders into files. Sniff decides the format from content
// (PDF magic, zip members, XML root element and DOCTYPE, HTML markup, then
// ingest/refs for reference exports), using the extension only to break
// ties. Formats read here: PDF (ingest/pdf: page by page, optionally in a
// worker process; pdfdoc.go makes its Result a Document), HTML (charset checked against the bytes; main content by
// rules after trafilatura's, compared with go-readability's article and
// a baseline, see htmlmain.go; headings as sections, metadata from
// citation_*, Dublin Core, OpenGraph and JSON-LD), JATS/NLM XML and GROBID TEI
// (front matter for metadata, abstract and body sections; references,
// tables, figures with their captions, footnotes and back matter are left
// out), DOCX (document.xml and core.xml), plain text and Markdown (front
// matter read for metadata then removed; Markdown inline markup stripped
// before splitting, so Text is the stripped form), and story files (the
// CNN/Daily Mail summarisation format, used for ClinicalTrials.gov
// records: title, body, then the highlights as a "Summary" section).
// Reference exports are
// not read here: File reports them as SkipUnsupported with a detail
// starting "reference export:" and the caller routes them to ingest/refs.
//
// Citation metadata comes from what the file states about itself, never
// from the file name: the TEI header (then, for a year, the document's own
// running header, licence or copyright lines, then its submission note),
// JATS article-meta, HTML citation_*, Dublin Core, JSON-LD and OpenGraph
// (a " | Site" suffix naming the site or author removed from the title),
// front matter (organization_name as a group author), header lines near
// the top of a text ("Title:", "Author:", "Organization:", "Date:", also
// in a leading HTML comment; template placeholders ignored), a lone
// level-1 Markdown heading that opens the page, the first line of a plain
// text, a story's first line without its control token. A title is left
// empty rather than wrong: no author query of a proof, no file listing or
// page furniture, and for a guessed title no glossary entry, sentence or
// instruction; callers cite a document without title by its file name.
// Authors are names: bylines lose "By"/"Par", dates and "Edited by ...",
// and account names, section slugs and "et al." fragments are dropped.
// GROBID text is repaired where it is damaged: numeric citation callouts
// are bracketed ("insurance. [4]") and first letters GROBID lost after a
// callout are put back when the document's own words allow one reading
// only (a warning counts them); an author query is never a heading, and a
// glossary entry set as a heading stays a paragraph.
//
// Output: a Document with ID = corpus.NewDocID(source bytes), Path,
// Format, Kind (opts.Kind, else inferred: JATS, TEI or a DOI/PMID/venue →
// article, the rest → grey), Lang (ISO 639-1, detected from the text by
// whatlanggo's trigram profiles and algorithm, reimplemented in trigram.go
// with the same results, many times faster; a reliable detection overrides
// a declared language), metadata, Text
// (valid UTF-8, NFKC-normalised, paragraphs separated by blank lines,
// each heading a paragraph of its own that opens a Section), Sections,
// Pages for paged sources, Extractor, Warnings, Size and Added =
// opts.Now(). Split cuts Text into paragraph passages within sections,
// with Text == doc.Text[Start:End]; the same bytes always give the same
// document and passages (Added aside).
//
// Failure policy: expected conditions are data, not errors. An empty,
// too large, unsupported, invalid or textless input returns a Document
// with Skip set and a specific SkipDetail, and no passages. An error is
// returned only for unexpected failures (unreadable file, network error,
// cancelled context, a parser panic, a path that is not a regular file)
// and names the path or URL once. Nothing here panics, exits or writes
// outside opts.FetchDir.
//
// Limits, against hostile files: File sniffs the first 8 KiB before it
// reads anything else, and only hashes (a buffer at a time) a file it will
// not extract: unsupported, a reference export, or over its format's limit
// (Options.MaxText, 64 MiB, for HTML, XML, text and Markdown, which are
// parsed whole; Options.MaxBytes, 256 MiB, for PDF and DOCX). A DOCX part
// that declares or reaches more than 100 times its compressed size, or
// 256 MiB, is a zip bomb (SkipTooLarge). XML entities declared in a
// DOCTYPE are never expanded; HTML nested deeper than 512 elements is
// SkipInvalid (the parser's own limit).
package ingest
