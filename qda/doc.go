// Package qda exchanges peermap's corpus, codebook and hand coding with the
// qualitative data analysis tools review teams use (NVivo, ATLAS.ti, MAXQDA,
// QualCoder) through REFI-QDA: QDA-XML 1.0 projects (.qdpx: a zip of
// project.qde, namespace urn:QDA-XML:project:1.0, and a sources/ folder of
// plain texts) and codebooks (.qdc, namespace urn:QDA-XML:codebook:1.0).
//
// Contract:
//   - Model: Project, Code, Source, Selection, Coding follow
//     Project-mrt2019.xsd in element order; WriteProject and WriteQDPX write
//     documents that validate against it, WriteCodebook one that validates
//     against the codebook schema. Variables, cases, links, graphs and
//     media sources are not kept.
//   - Positions: a PlainTextSelection's startPosition and endPosition count
//     Unicode code points of the source's plain text from 0, end exclusive
//     (REFI-QDA 1.5, section 10.2); the store counts bytes. Conversion is
//     exact both ways, a character outside the BMP counting once. A leading
//     byte-order mark is not part of the text. ATLAS.ti counts a CR LF line
//     break as one position, and is read so; peermap writes LF only.
//   - Export: every ingested document is a TextSource whose text is the
//     document's Text byte for byte; the codebook is Codebook(vocabulary);
//     annotations are Codings of PlainTextSelections by Users named after
//     their coders ("ana"), machine annotations only on request and by a
//     user "peermap rules@<codebook version>". GUIDs are name-based UUIDs of
//     IDs (GUID), output is sorted: the same store gives the same bytes.
//   - Import: Place maps a project's codes onto the vocabulary (MapCodes),
//     its sources onto documents (stable GUID, else equal text), its
//     selections onto passages (exact offsets when the text is the
//     document's, else by searching the selected text), and returns human
//     codes per coder and passage plus every coding it could not place, with
//     the reason. It never reads codings of the "peermap …" machine user as
//     human codes; Placement.Store replaces only the named coders' codes of
//     the passages the project codes.
//
// qda imports corpus and no other stage; it never logs.
package qda
