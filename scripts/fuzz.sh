#!/usr/bin/env bash
# fuzz.sh runs every Fuzz target of the module for the given time each (default 30s).
#
# Go 1.26's fuzz coordinator can end a time-bounded run with a bare
# "context deadline exceeded" and no failing input when a worker is slow to stop
# at the -fuzztime boundary on a loaded machine (go.dev/issue/75804, fixed in
# Go 1.27). Such a run found nothing, so it is run once more; a run that writes
# a failing input, panics or fails a check always fails the script, and a target
# that hits the bare deadline twice is reported and still fails.
set -eu
t=${1:-30s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# bare reports whether the log of a failed run shows only the coordinator's deadline.
bare() {
  grep -q 'context deadline exceeded' "$log" &&
    ! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' "$log"
}

for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for f in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //' | sort -u); do
    for try in 1 2; do
      echo "fuzz $pkg $f ($t)"
      if go test -run "^$" -fuzz "^$f\$" -fuzztime "$t" -fuzzminimizetime 5s "$pkg" >"$log" 2>&1; then
        cat "$log"
        break
      fi
      cat "$log"
      if [ "$try" = 1 ] && bare; then
        echo "fuzz: $f stopped at the -fuzztime deadline without a failing input (go.dev/issue/75804); running it again"
        continue
      fi
      echo "fuzz: $f failed" >&2
      exit 1
    done
  done
done
