package ingest

import (
	"strconv"
	"strings"

	"github.com/peermap/peermap/internal/text"
)

// Years of GROBID TEI files whose header has no date (23 of the 34 in the
// peer corpus). The year is then looked for where the file states it:
//
//  1. the text, for the document's own citation: a year just before its
//     own DOI ("Hypertension. 2023;80:e143-e157. DOI: 10.1161/…"; a
//     download banner "15424863, 2018, 2, Downloaded from …/doi/10.3322/…"),
//     a licence line ("Originally published in JMIR …, 03.05.2022", a
//     copyright line in the header), copyright lines ("Copyright © 2019 The
//     Cochrane Collaboration") and a journal running header repeated on
//     three or more pages ("J Med Internet Res 2019 | vol. 21",
//     "CA CANCER J CLIN 2018;68:153-165"); the year with most votes wins,
//     and a lone copyright line in the body does not count (it may credit
//     a reprinted figure);
//  2. else the submission note, by rank: published, accepted, revised,
//     received or submitted (an accepted paper is mostly published the
//     same year).
//
// Reference lists and figures are not read.

// The scans below look for literal keys first and match a pattern only
// next to them: an unanchored regular expression over a 400 KB text costs
// more than the rest of the TEI reader.
var (
	afterCopyrightRe = text.Regexp(`^\s*(?:©\s*)?(?:\([cC]\)\s*)?((?:19|20)\d\d)\b`)
	dottedDateRe     = text.Regexp(`\b\d{1,2}\.\d{1,2}\.((?:19|20)\d\d)\b`)
	runningHeadRe    = text.Regexp(`^((?:19|20)\d\d)\s*(?:;\s*\d+\s*(?:\(\d+\))?\s*:\s*[eE]?\d+(?:\s*[-–]\s*[eE]?\d+)?|\|\s*vol\.?\s*\d+)`)
	submissionRe     = text.Regexp(`(?i)\b(published|accepted|revised|received|submitted)\b[^;]{0,60}?\b((?:19|20)\d\d)\b`)
)

// asciiLower lower-cases the ASCII letters of s only, so that byte
// offsets into the result are offsets into s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// indexAll calls f with the offset of every occurrence of key in s.
func indexAll(s, key string, f func(int)) {
	for off := 0; ; {
		i := strings.Index(s[off:], key)
		if i < 0 {
			return
		}
		f(off + i)
		off += i + len(key)
	}
}

// yearBefore returns the offset of a year that ends just before i in s,
// spaces aside, or -1.
func yearBefore(s string, i int) int {
	for i > 0 && s[i-1] == ' ' {
		i--
	}
	if i < 4 {
		return -1
	}
	y := s[i-4 : i]
	if (y[:2] != "19" && y[:2] != "20") || y[2] < '0' || y[2] > '9' || y[3] < '0' || y[3] > '9' {
		return -1
	}
	if i > 4 && s[i-5] >= '0' && s[i-5] <= '9' {
		return -1
	}
	return i - 4
}

// textYear returns the year the text states for the document itself (see
// above), 0 if none. licence is the header's licence text, doi the
// document's DOI.
func textYear(text, licence, doi string) int {
	votes := map[int]int{}
	strong := map[int]bool{}
	vote := func(s string, strongVote bool) {
		if y, err := strconv.Atoi(s); err == nil {
			votes[y]++
			strong[y] = strong[y] || strongVote
		}
	}
	copyrights := func(s string, strongVote bool) {
		lower := asciiLower(s)
		seen := map[int]bool{} // "Copyright © 2019" is one line, not two
		for _, key := range []string{"©", "(c)", "copyright"} {
			indexAll(lower, key, func(i int) {
				start := i + len(key)
				if m := afterCopyrightRe().FindStringSubmatchIndex(s[start:min(len(s), start+24)]); m != nil && !seen[start+m[2]] {
					seen[start+m[2]] = true
					vote(s[start+m[2]:start+m[3]], strongVote)
				}
			})
		}
	}
	copyrights(licence, true)
	copyrights(text, false)
	lower := asciiLower(text)
	indexAll(lower, "originally published in", func(i int) {
		if m := dottedDateRe().FindStringSubmatch(text[i:min(len(text), i+250)]); m != nil {
			vote(m[1], true)
		}
	})
	heads := map[string]int{}
	head := func(i int) {
		if y := yearBefore(text, i); y >= 0 {
			if m := runningHeadRe().FindString(text[y:min(len(text), y+48)]); m != "" {
				heads[m]++
			}
		}
	}
	indexAll(text, ";", head)
	indexAll(lower, "| vol", head)
	for h, n := range heads {
		if n >= 3 {
			for range n {
				vote(h[:4], true)
			}
		}
	}
	if doi = asciiLower(doi); doi != "" {
		indexAll(lower, doi, func(i int) {
			if ys := yearRe().FindAllString(text[max(0, i-100):i], -1); len(ys) > 0 {
				vote(ys[len(ys)-1], true)
			}
		})
	}
	best := 0
	for y, n := range votes {
		if !strong[y] && n < 2 {
			continue
		}
		if best == 0 || n > votes[best] || n == votes[best] && y > best {
			best = y
		}
	}
	return best
}

// submissionYear returns the year of a GROBID submission note ("Received:
// 10 January 2018 Accepted: 20 June 2018"), preferring the publication,
// then the acceptance, revision, receipt or submission date; 0 if none.
func submissionYear(note string) int {
	rank := map[string]int{"published": 5, "accepted": 4, "revised": 3, "received": 2, "submitted": 2}
	best, bestRank := 0, 0
	for _, m := range submissionRe().FindAllStringSubmatch(note, -1) {
		r := rank[strings.ToLower(m[1])]
		if y, err := strconv.Atoi(m[2]); err == nil && r > bestRank {
			best, bestRank = y, r
		}
	}
	return best
}
