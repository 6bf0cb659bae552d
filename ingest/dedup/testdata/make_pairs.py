#!/usr/bin/env python3
"""Builds pairs.jsonl, the hand-made duplicate/non-duplicate pairs of
dedup's precision test, from the SYNERGY datasets (CC0 OpenAlex metadata) in
../shared/corpus/big. Run from the repository root:

    python3 ingest/dedup/testdata/make_pairs.py > ingest/dedup/testdata/pairs.jsonl

Each line: {"name", "dup", "note", "a": doc, "b": doc} with doc fields kind,
title, authors, year, doi, pmid, text. Titles, authors and identifiers are
kept; abstracts are masked word by word (see mask), so no abstract text is
copied here. Real pairs are looked up by DOI (or
title); synthetic pairs take one real record and apply the edits written
below (a preprint with a changed DOI and a few words edited, a full text
that adds sections to the abstract, ...). Every record is used in one pair
only, so pairs cannot join each other by accident.
"""
import glob, hashlib, json, re, sys, tarfile


def mask(text):
    """Replaces every word of an abstract by a code of it (the same word, the
    same code), so that pairs.jsonl holds no abstract text while word overlap,
    and so shingle overlap, is kept. Punctuation is kept."""
    return re.sub(r'\w+', lambda m: 'w' + hashlib.sha256(m.group().lower().encode()).hexdigest()[:6], text)


recs = []
for f in sorted(glob.glob('../shared/corpus/big/*.works.tar.gz')):
    with tarfile.open(f) as t:
        for m in t:
            if not m.isfile():
                continue
            for w in json.load(t.extractfile(m)):
                idx = w.get('abstract_inverted_index') or {}
                ab = ' '.join(k for p, k in sorted((p, k) for k, v in idx.items() for p in v))
                authors = []
                for a in w.get('authorships') or []:
                    n = (a.get('author') or {}).get('display_name') or ''
                    p = n.split()
                    authors.append(p[-1] + ', ' + ' '.join(p[:-1]) if len(p) > 1 else n)
                pmid = ((w.get('ids') or {}).get('pmid') or '').rstrip('/').split('/')[-1]
                recs.append(dict(title=w.get('title') or '', year=int(w.get('publication_year') or 0),
                                 doi=(w.get('doi') or '').replace('https://doi.org/', ''), pmid=pmid,
                                 authors=authors[:5], abstract=mask(ab)))
by_doi = {r['doi']: r for r in recs if r['doi']}
used = set()


def doc(r, kind='record', **kw):
    d = dict(kind=kind, title=r['title'], authors=r['authors'], year=r['year'], doi=r['doi'], pmid=r['pmid'],
             text=(r['title'] + '\n\n' + r['abstract']).strip())
    d.update(kw)
    return d


def get(doi):
    used.add(doi)
    return by_doi[doi]


def fresh(min_words=150, skip=0):
    """The next unused record with a long abstract and a DOI."""
    n = 0
    for r in recs:
        if r['doi'] and r['doi'] not in used and len(r['abstract'].split()) >= min_words and len(r['title'].split()) >= 6:
            if n == skip:
                used.add(r['doi'])
                return r
            n += 1
    raise SystemExit('out of records')


def edit(text, every=40):
    """Changes one word in every `every` (a copy-edited version)."""
    w = text.split()
    for i in range(every // 2, len(w), every):
        w[i] = w[i].upper() if w[i].islower() else w[i].lower() + 'ed'
    return ' '.join(w)


def body(r):
    """A made-up full text: the abstract followed by sections built from it."""
    s = r['abstract'].split('. ')
    return '\n\n'.join([r['title'], 'Abstract', r['abstract'], 'Introduction', '. '.join(s[::2]),
                        'Methods', '. '.join(s[1::2]), 'Discussion', '. '.join(reversed(s))])


pairs = []


def add(name, dup, note, a, b):
    pairs.append(dict(name=name, dup=dup, note=note, a=a, b=b))


# --- true duplicates -------------------------------------------------------
r = fresh()
add('same-doi-two-exports', True, 'the same record from two databases; DOI written differently',
    doc(r), doc(r, doi='https://doi.org/' + r['doi'].upper(), title=r['title'].upper()))
r = fresh()
add('no-doi-same-title-year-author', True, 'second export lost the DOI; title punctuation and case differ',
    doc(r), doc(r, doi='', title=r['title'].lower().replace(':', ' -') + '.'))
r = fresh()
add('same-pmid', True, 'PubMed record vs Embase record: same PMID, no DOI, title spelling (behaviour/behavior)',
    doc(r, pmid=r['pmid'] or '12345678'), doc(r, doi='', pmid=r['pmid'] or '12345678',
                                               title=r['title'].replace('our', 'or') + ' [Review]'))
r = fresh()
add('record-vs-fulltext-doi', True, 'a record and the JATS full text of the same article',
    doc(r), doc(r, kind='article', text=body(r)))
r = fresh()
add('record-vs-fulltext-title', True, 'a record (no DOI) and a full text whose extracted title has a typo',
    doc(r, doi=''), doc(r, kind='article', title=r['title'][:-3] + r['title'][-2:], text=body(r)))
r = fresh()
add('preprint-vs-journal', True, 'preprint (bioRxiv DOI, year before) vs journal version, 1 word in 40 edited',
    doc(r, kind='article', doi='10.1101/2019.01.01.' + str(len(pairs)), year=r['year'] - 1, title='Preprint: ' + r['title'],
        text=edit(r['title'] + '\n\n' + r['abstract'])),
    doc(r, kind='article'))
r = fresh()
add('preprint-new-title', True, 'medRxiv preprint whose title changed entirely; abstract 1 word in 30 edited',
    doc(r, doi='10.1101/2020.02.02.' + str(len(pairs)), year=r['year'] - 1, title='A different working title for the same study',
        text='A different working title for the same study\n\n' + edit(r['abstract'], 30)),
    doc(r))
r = fresh()
add('report-vs-article', True, 'grey report and journal article of one study; the article is copy-edited',
    doc(r, kind='grey', doi='', title='Final report: ' + r['title'], text=body(r)),
    doc(r, kind='article', text=edit(body(r), 50)))
r = fresh()
add('diacritics', True, 'one export strips accents and the DOI',
    doc(r, title=r['title'].replace('e', 'é', 1)), doc(r, doi=''))
r = fresh()
add('year-unknown', True, 'full text with no year vs record; same title, no DOI on the full text',
    doc(r), doc(r, kind='article', doi='', year=0, authors=[], text=body(r)))
r = fresh()
add('conference-vs-article-title', True, 'record with a trailing period and British spelling vs record with none',
    doc(r, doi='', title=r['title'] + '.'), doc(r, doi='', pmid='', title=r['title'].replace('ize', 'ise')))
r = fresh()
add('abstract-with-copyright', True, 'Scopus appends a copyright line to the abstract; no DOI on one',
    doc(r, text=r['title'] + '\n\n' + r['abstract'] + ' © 2019 Elsevier Ltd. All rights reserved.'), doc(r, doi=''))
r = fresh()
add('duplicate-publication', True, 'the same paper published twice under two journal DOIs (near-identical abstract)',
    doc(r), doc(r, doi='10.9999/dup.' + str(len(pairs)), pmid='', title=r['title'] + ': a reprint',
                text=edit(r['title'] + '\n\n' + r['abstract'], 60)))
r = fresh(skip=3)
add('translated-title', True, 'French translation of the same article: not detectable from text; expected miss',
    doc(r), doc(r, doi='', pmid='', title='Traduction française : ' + r['title'][:20],
                text='Résumé en français de la même étude, sans mots en commun avec le résumé anglais.', authors=r['authors']))

# Real: the same article online 2011 (with DOI) and in print 2012 (no DOI).
a = next(r for r in recs if r['title'].lower().startswith('shift work at young age') and not r['doi'])
b = get('10.1210/jc.2011-1551')
add('real-shift-work', True, 'real: conference abstract vs article a year later, DOI on one only (SYNERGY van_der_Valk_2021)', doc(a), doc(b))
a = next(r for r in recs if r['title'].lower().startswith('an atypical case of familial glucocorticoid') and not r['doi'])
b = get('10.1210/jc.2011-2414')
add('real-atypical-case', True, 'real: conference abstract vs article a year later, first two authors swapped: expected miss (SYNERGY van_der_Valk_2021)', doc(a), doc(b))
r = fresh()
add('bibtex-vs-ris', True, 'BibTeX record (LaTeX braces stripped, authors "Given Family") vs RIS record',
    doc(r, authors=[' '.join(reversed(x.split(', '))) for x in r['authors']]), doc(r, doi=''))
r = fresh()
add('subtitle-dropped', True, 'one record keeps only the main title; same DOI',
    doc(r), doc(r, title=r['title'].split(':')[0]))

# --- not duplicates --------------------------------------------------------
for doi_a, doi_b, note in [
    ('10.1097/mog.0000000000000184', '10.14309/ajg.0000000000000844', 'real: same title, different year and authors'),
    ('10.1159/000321348', '10.1159/000501868', 'real: generic title "Abstracts", different years'),
    ('10.1136/annrheumdis-2013-204577', '10.1136/annrheumdis-2016-210713', 'real: 2013 vs 2016 update of a review'),
    ('10.1016/j.ad.2015.04.006', '10.1016/j.ad.2015.04.008', 'real: parte i vs parte ii, same year'),
    ('10.1097/01.nmd.0000178883.82580.18', '10.1097/01.nmd.0000178843.81100.eb', 'real: Part 2 vs Part 1, same year'),
    ('10.1001/jamapsychiatry.2017.1397', '10.1001/jamapsychiatry.2017.1403', 'real: letter vs its reply (title + "—Reply")'),
    ('10.1001/jamainternmed.2020.8564', '10.1001/jamainternmed.2020.8561', 'real: reply vs letter, same year'),
    ('10.1016/j.jsat.2011.05.004', '10.1111/dar.12267', 'real: different reviews with near-identical titles'),
    ('10.1007/s40259-019-00345-6', '10.1007/s40259-019-00346-5', 'real: Part 1 vs Part 2 of a series'),
    ('10.1159/000334327', '10.1159/000334328', 'real: poster sessions pp. 119-192 vs pp. 193-262'),
    ('10.1192/bjp.182.2.135', '10.1146/annurev.clinpsy.2.022305.095229', 'real: similar titles, different papers'),
    ('10.1176/appi.ps.59.3.331', '10.1111/j.1475-3588.2011.00611.x', 'real: similar titles, different papers'),
    ('10.1097/01.jcp.0000195113.61291.48', '10.1097/jcp.0b013e318173a8fb', 'real: trial vs its Part II follow-up'),
    ('10.1016/s0140-6736(14)61394-5', '10.1097/00001504-200111000-00012', 'real: "disorder" vs "disorders", 14 years apart'),
    ('10.1055/s-0042-119770', '10.3109/15622975.2013.788864', 'real: two different editorials titled "Editorial"'),
    ('10.1176/ajp.2007.164.6.974', '10.1176/appi.ajp.164.6.974', 'real: two letters under one title, same year, different authors'),
]:
    a, b = get(doi_a), get(doi_b)
    add('real-neg-' + doi_a.split('/')[1][:14], False, note, doc(a), doc(b))
r, s = fresh(), fresh()
add('same-title-different-year', False, 'two different reviews with one title, 2015 and 2021, different authors and abstracts',
    doc(r, title='Peer support for people with severe mental illness: a systematic review', year=2015),
    doc(s, title='Peer support for people with severe mental illness: a systematic review', year=2021))
r, s = fresh(), fresh()
add('adults-vs-adolescents', False, 'one word differs in the title (adults/adolescents), same year, different first authors',
    doc(r, title='Peer support for depression in adults: a randomised controlled trial', year=2020),
    doc(s, title='Peer support for depression in adolescents: a randomised controlled trial', year=2020))
r = fresh()
add('correction-notice', False, 'a correction notice vs the article it corrects (same year, authors)',
    doc(r), doc(r, doi='10.9999/corr.' + str(len(pairs)), pmid='', title='Correction: ' + r['title'],
                text='Correction: ' + r['title'] + '\n\nIn the original article, Table 2 contained an error in the second row.'))
r, s = fresh(), fresh()
add('same-journal-consecutive-doi', False, 'two papers of one issue, consecutive DOIs, same topic',
    doc(r, doi='10.1000/j.issue.2020.001'), doc(s, doi='10.1000/j.issue.2020.002'))
r = fresh()
add('protocol-vs-results', False, 'trial protocol vs trial results: same authors, different years and text',
    doc(r, title='Peer mentoring for diabetes self-management: protocol for a randomised controlled trial', year=2017,
        doi='10.9999/protocol.' + str(len(pairs)), pmid='',
        text='Peer mentoring for diabetes self-management: protocol for a randomised controlled trial\n\nThis protocol describes the planned design, outcomes and analysis of a trial of peer mentoring.'),
    doc(r, title='Peer mentoring for diabetes self-management: a randomised controlled trial', year=2020))
r, s = fresh(), fresh()
add('record-vs-other-fulltext', False, 'a record and the full text of a different paper from the same journal and year',
    doc(r, year=2019), doc(s, kind='article', year=2019, text=body(s)))

for p in pairs:
    print(json.dumps(p, ensure_ascii=False))
print(f'{len(pairs)} pairs, {sum(p["dup"] for p in pairs)} duplicates', file=sys.stderr)
