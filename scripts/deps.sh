#!/usr/bin/env bash
# deps.sh installs the Debian packages peermap's tests and demo use, when they
# are missing and apt-get can be used; otherwise it says what will be skipped.
#   poppler-utils: pdftotext, the PDF fallback extractor and test baseline
#   chromium:      headless browser for the HTML report rendering test
#   libxml2-utils: xmllint, which checks exported REFI-QDA files against their schema in tests
#   recoll:        recollindex, the end-to-end reference of `make bench` (asked for by name only)
#   hyperfine:     alternating whole-process timings in `make bench` (asked for by name only)
# Usage: scripts/deps.sh [poppler] [chromium] [xmllint] [recoll] [hyperfine]   (default: the first three)
# Under CI (CI set in the environment) a package that cannot be installed is
# an error (exit 1): the tests that need it would fail anyway, and a skip
# must not hide a broken install step.
set -u
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(poppler chromium xmllint)
missing=()
for w in "${want[@]}"; do
  case $w in
    poppler)  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils) ;;
    chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium) ;;
    xmllint)  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils) ;;
    recoll)   command -v recollindex >/dev/null 2>&1 || missing+=(recoll) ;;
    hyperfine) command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine) ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "deps: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "deps: apt-get could not install ${missing[*]}" >&2
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "deps: installing ${missing[*]} with sudo apt-get" >&2
  sudo -n apt-get update -qq >/dev/null && sudo -n apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
fi
for m in "${missing[@]}"; do
  case $m in
    poppler-utils) echo "deps: pdftotext not available: the pdftotext fallback is off and tests comparing with it are skipped (install poppler-utils)" >&2 ;;
    chromium) echo "deps: chromium not available: the HTML report browser test is skipped (install chromium)" >&2 ;;
    libxml2-utils) echo "deps: xmllint not available: REFI-QDA schema checks are skipped (install libxml2-utils); under CI they fail" >&2 ;;
    recoll) echo "deps: recollindex not available: the end-to-end row of make bench has no reference (install recoll)" >&2 ;;
    hyperfine) echo "deps: hyperfine not available: make bench times whole processes with its own alternating loop" >&2 ;;
  esac
done
if [ -n "${CI:-}" ]; then
  echo "deps: under CI every tool the tests use must be installed: ${missing[*]} missing" >&2
  exit 1
fi
exit 0
