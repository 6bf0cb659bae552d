// Package refs reads bibliographic exports (reference-manager and database
// exports) and turns each record into a corpus.Document of kind record.
//
// Formats: RIS (Scopus, Embase, Ovid, ProQuest, Web of Science, EndNote and
// Zotero flavours), BibTeX/BibLaTeX, CSL-JSON, PubMed/MEDLINE XML
// (PubmedArticleSet, MedlineCitationSet), MEDLINE text (.nbib), EndNote XML,
// Web of Science plain text (ISI), Ovid citation text, CSV and TSV with
// title/abstract/doi columns, OpenAlex works JSON (as in the SYNERGY
// datasets), and gzip, tar.gz and zip files of these. Detect names the
// format from a file's first bytes and name; Read streams the records.
//
// Contract:
//   - Read never holds a whole file: line formats are read line by line,
//     XML and JSON token by token, one record at a time (a zip is spooled to
//     a temporary file, since zip needs random access). Limits bound what
//     one record may make it hold: a line of RIS, nbib, ISI, Ovid or TSV is
//     cut at 1 MiB and a record at 8 MiB; the record is yielded with Skip =
//     corpus.SkipTooLarge and reading resumes at the next record start
//     (BibTeX: the next '@' that starts a line; an entry not closed before
//     the next entry that starts a line is invalid there, not swallowing
//     it). CSV, JSON and XML, whose parsers cannot skip ahead, end with an
//     error past 8 MiB without a record.
//   - Compressed input is bounded: a gzip stream or archive member stops
//     with an error past 1 GiB or 100 times its compressed size (a zip
//     member is refused from the sizes it declares), a zip past 1 GiB is
//     not spooled, an archive inside an archive is reported and not read;
//     the other members of a zip are still read. A record cut short by
//     such an error is yielded skipped, never as a whole record. Office
//     documents (DOCX, XLSX, ODT, EPUB) are not taken for zips of exports.
//   - Every record of the file is yielded, in file order, numbered from 1
//     (Record; Path is name#N): a record with neither title nor abstract has
//     Skip = corpus.SkipEmpty, one that cannot be parsed Skip =
//     corpus.SkipInvalid, so the number of documents is the number of
//     records. Only a broken stream (not the format, unreadable) is an error,
//     yielded once with the file name.
//   - A record's ID is the SHA-256 of its own bytes (the re-encoded row for
//     CSV/TSV), so the same record in two files has the same ID.
//   - Text is title + "\n\n" + abstract; DOI is normalised with
//     dedup.NormalizeDOI; authors are "Family, Given" where the format says
//     which part is which; Lang is ISO 639-1 when the record names a language.
//   - Input may be UTF-8 (with or without BOM) or Windows-1252/Latin-1, line
//     by line (a line over 64 KiB piece by piece), with LF or CRLF; output
//     is always valid UTF-8, with no NUL or other control characters.
//
// refs reads nothing but the reader it is given (and its temporary file for
// a zip), logs nothing, and never panics on bad input (every parser is
// fuzzed).
package refs
