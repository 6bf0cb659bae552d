// Package web is `peermap serve`: the web UI of a workspace for a review
// team. It searches passages with facets, shows a passage in context with
// its citation and annotations, shows the report, and lets coders code
// passages by hand from a queue, see how far they agree, and adjudicate.
//
// New(Options) returns an http.Handler with these routes (a passage {id}
// is its full or short ID; as one path segment its slash is escaped, %2F):
//
//	GET  /                          search: q (corpus.ParseQuery syntax, inline filters
//	                                allowed) plus label, family, code, dim, lang, kind
//	                                (repeatable), year=A..B, n, page; facets link to the
//	                                same search with one more filter
//	GET  /signin, POST /signin      sign in: with a coder token when there are accounts,
//	                                else by picking a name; POST /signout ends the session
//	GET  /queue                     the coder's queue (pipeline.Workspace.Queue) and
//	                                progress, coded n of N; /queue/next goes to its head
//	GET  /passage/{doc}/{n}         a passage: text with evidence spans marked, machine
//	GET  /passage/{id}              annotations and human codes, citation, metadata,
//	                                previous/next, and the coding form: the machine's
//	                                suggestions to accept (tick) or reject, every other
//	                                code and label, a memo; keys: one per code, a accepts
//	                                every suggestion, m memo, s save, n save and next
//	POST /passage/{...}/codes       store one coder's codes and memo of the passage
//	GET  /doc/{id}                  document metadata, skip reason, version group, passages
//	GET  /report                    the HTML report; its quotes link to /passage/...
//	GET  /agreement[?a=A&b=B]       coders and pairs; for a pair, Cohen's kappa and
//	                                Krippendorff's alpha per dimension on the passages both
//	                                coded (pipeline.Workspace.CoderAgreement: the numbers of
//	                                'peermap eval -coders' on their exports) and the
//	                                disagreements, each linked to its passage
//	GET  /adjudicate/{...}?a=&b=    both coders' codes side by side and a form for the
//	POST /adjudicate/{...}          agreed set, stored as coder "consensus"
//	GET  /api/search                the search's query string; JSON of corpus.Results
//	GET  /api/passages/{...}        a passage, its citation, document, annotations, the
//	                                machine's suggestions and the asking coder's codes
//	GET  /api/queue?n=10            the coder's next passages and progress
//	GET  /api/codes[?coder=NAME]    human codes, as 'peermap code export', with memos
//	POST /api/codes                 {"passage","codes","labels","memo"}: one coder's codes
//	GET  /api/agreement?a=&b=       the agreement of two coders, as JSON
//	GET  /static/code.js            the coding page's keyboard shortcuts
//	GET  /healthz                   "ok"
//
// Contract:
//   - Only requests whose Host names the server's address (Options.Addr;
//     any loopback name on a loopback address) or a name of
//     Options.AllowHosts are answered; others get 421. A request that
//     changes state (POST) from another origin, as the browser tells by
//     Sec-Fetch-Site or Origin, gets 403 (http.CrossOriginProtection).
//   - A non-loopback address needs coder accounts (pipeline.AddCoder): New
//     fails with ErrNoCoders without one. With accounts, every route but
//     /signin, /healthz and /static/ needs a coder signed in (a session
//     cookie, HttpOnly and SameSite=Strict, or "Authorization: Bearer
//     TOKEN"); a wrong token gets 401 and writes nothing. A signed-in coder
//     writes only their own codes; "consensus" is written only by
//     adjudication.
//   - web writes to the store only human codes (Store.PutHumanCodes), from
//     the coding form, POST /api/codes and adjudication, each replacing
//     one coder's codes of one passage; a memo is the Note of the first
//     code. Codes and labels must be in Options.Vocab (or already given to
//     that passage by that coder). With Options.ReadOnly every write is
//     refused (403). It never writes machine annotations, documents or
//     passages; after a write it re-indexes the passage's document when
//     Options.Search is an Updater.
//   - Bodies are capped (1 MiB; forms and JSON 64 KiB); NewServer sets
//     header, read, write and idle timeouts. Error texts sent to clients
//     are generic; details go to the log.
//   - All text from the corpus, the index and coders is HTML-escaped.
//     Highlighted fragments keep only their <mark> tags, balanced. Pages
//     use embedded templates, inline CSS and one script of our own (the
//     keyboard shortcuts; the pages work without it), load nothing
//     external, and are sent with a strict Content-Security-Policy.
//   - Citations are text.CiteAt, as 'peermap search' prints them.
//   - web imports pipeline, corpus and internal/... only.
//   - Output is deterministic: the same corpus and search results give the
//     same bytes (no clock, maps are rendered in sorted order).
package web
