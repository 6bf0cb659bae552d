// Package web is `peermap serve`: a localhost web UI over a corpus to
// search passages with facets, read a passage in context with its citation
// and annotations, read the report, and code passages by hand.
//
// New(Options) returns an http.Handler with these routes:
//
//	GET  /                         search form and results: q (corpus.ParseQuery syntax,
//	                               inline filters allowed) plus label, family, code, dim,
//	                               lang, kind (repeatable), year=A..B, n, page; facets link
//	                               to the same search with one more filter
//	GET  /api/search               the same query string; JSON of corpus.Results
//	GET  /passage/{doc}/{n}        a passage by full or short ID (corpus.PassageID.Short):
//	GET  /passage/{id}             text with evidence spans marked, annotations (machine and
//	                               human), citation, document metadata, previous/next, and
//	                               the coding form ({id} is the ID with its slash escaped)
//	POST /passage/{doc}/{n}/codes  store one coder's codes of the passage, then 303 back
//	POST /passage/{id}/codes
//	GET  /doc/{id}                 document metadata, skip reason, version group, passages
//	GET  /report                   the HTML report written by Options.Report
//	GET  /healthz                  "ok"
//
// Contract:
//   - web reads the corpus through Options.Store and writes to it only
//     through Store.PutHumanCodes, from POST /passage/.../codes. It never
//     writes machine annotations, documents or passages. With
//     Options.ReadOnly, every POST is refused (403).
//   - A POST must be same-origin: Sec-Fetch-Site, when sent, must be
//     same-origin; Origin, when sent, must name the request's host; without
//     Origin, Referer must be present and name it. Anything else is 403.
//   - Codes and labels posted must be in Options.Vocab (or already given to
//     that passage by that coder); a post replaces that coder's codes of the
//     passage and nothing else.
//   - All text from the corpus and the index is HTML-escaped. Highlighted
//     fragments from the index keep only their <mark> tags, balanced.
//     Pages use embedded templates and inline CSS, load nothing external,
//     need no JavaScript, and are sent with a strict Content-Security-Policy.
//   - web imports corpus only. It declares what it needs from the index
//     (Searcher) and the report (Options.Report) and is given them.
//   - Output is deterministic: the same corpus and search results give the
//     same bytes (no clock, maps are rendered in sorted order).
package web
