package ingest

import (
	"regexp"
	"strconv"
	"strings"
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

var (
	copyrightYearRe = regexp.MustCompile(`(?i)(?:©|\(c\)|copyright)\s*(?:©\s*)?((?:19|20)\d\d)\b`)
	origPubRe       = regexp.MustCompile(`(?i)originally published in\b.{0,200}?\b\d{1,2}\.\d{1,2}\.((?:19|20)\d\d)\b`)
	runningHeadRe   = regexp.MustCompile(`\b((?:19|20)\d\d)\s*(?:;\s*\d+\s*(?:\(\d+\))?\s*:\s*[eE]?\d+(?:\s*[-–]\s*[eE]?\d+)?|\|\s*vol\.?\s*\d+)`)
	submissionRe    = regexp.MustCompile(`(?i)\b(published|accepted|revised|received|submitted)\b[^;]{0,60}?\b((?:19|20)\d\d)\b`)
)

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
	for _, m := range copyrightYearRe.FindAllStringSubmatch(licence, -1) {
		vote(m[1], true)
	}
	for _, m := range copyrightYearRe.FindAllStringSubmatch(text, -1) {
		vote(m[1], false)
	}
	for _, m := range origPubRe.FindAllStringSubmatch(text, -1) {
		vote(m[1], true)
	}
	heads := map[string]int{}
	for _, m := range runningHeadRe.FindAllStringSubmatch(text, -1) {
		heads[m[0]]++
	}
	for h, n := range heads {
		if n >= 3 {
			for range n {
				vote(h[:4], true)
			}
		}
	}
	if doi = strings.ToLower(doi); doi != "" {
		lower := strings.ToLower(text)
		for off := 0; ; {
			i := strings.Index(lower[off:], doi)
			if i < 0 {
				break
			}
			i += off
			if ys := yearRe.FindAllString(text[max(0, i-100):i], -1); len(ys) > 0 {
				vote(ys[len(ys)-1], true)
			}
			off = i + len(doi)
		}
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
	for _, m := range submissionRe.FindAllStringSubmatch(note, -1) {
		r := rank[strings.ToLower(m[1])]
		if y, err := strconv.Atoi(m[2]); err == nil && r > bestRank {
			best, bestRank = y, r
		}
	}
	return best
}
