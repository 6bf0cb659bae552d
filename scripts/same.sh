#!/usr/bin/env bash
# same.sh checks that two peermap binaries make the same corpus and give the
# same search results: each runs 'run' over the same folder in a new
# workspace, then the exported corpus (JSON Lines, run times and ingest
# dates left out), 'stats -json' and 'search -json' for a list of queries are
# compared. It is the before/after oracle of performance work: an
# optimisation must leave all of it unchanged.
# Usage: scripts/same.sh OLD_BINARY NEW_BINARY [FOLDER]   (default ../shared/corpus)
set -euo pipefail
old=$1 new=$2 src=${3:-../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
queries=(
  'peer support' 'navigator' '"community health workers"' '"peer navigator"' 'médiateurs de santé pair'
  'pair-aidance' 'training supervision' 'depression' 'trust' 'lay health worker' 'promotora'
  'support kind:grey' 'support lang:fr' 'health year:2000..2015' 'code:role.navigation' 'dim:role support'
  'label:"peer navigator"' 'family:"community health worker"' 'patient navigation -cancer' 'navigat*' 'supervison~1'
)
for side in old new; do
  bin=${!side}
  ws=$tmp/ws # the same path for both: it shows in the output
  rm -rf "$ws"
  "$bin" -w "$ws" run "$src" >"$tmp/$side.run" 2>"$tmp/$side.err" || { echo "$side: run failed:"; tail -5 "$tmp/$side.err"; exit 1; }
  # ingest dates and run times differ between two runs; nothing else may.
  "$bin" -w "$ws" export | jq -c 'del(.added)' >"$tmp/$side.export"
  "$bin" -w "$ws" stats -json | jq -S 'del(.runs) | del(.. | .started?, .ended?, .time?)' >"$tmp/$side.stats" 2>/dev/null || true
  : >"$tmp/$side.search"
  for q in "${queries[@]}"; do
    for n in 10 50; do
      printf '## %s -n %s\n' "$q" "$n" >>"$tmp/$side.search"
      "$bin" -w "$ws" search -json -facets -n "$n" "$q" >>"$tmp/$side.search" 2>&1 || true
    done
  done
done
status=0
for f in run export stats search; do
  if cmp -s "$tmp/old.$f" "$tmp/new.$f"; then
    echo "same $f ($(wc -l <"$tmp/new.$f") lines)"
  else
    echo "DIFFERENT $f:"; diff "$tmp/old.$f" "$tmp/new.$f" | head -20; status=1
  fi
done
exit $status
