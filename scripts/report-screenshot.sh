#!/usr/bin/env bash
# Regenerates docs/reporter-report.png: runs test/curves/docs/ (two failing assertions, one passing) with
# trainability/reporter and renders its page with headless Chromium (scripts/screenshot.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The suite fails on purpose (exit 1); the page is written either way.
CI=true CURVES_OUT="$out" CURVES_SUITE='test/curves/docs/*.docs.ts' npx vitest run --config test/curves/vitest.config.ts >/dev/null 2>&1
[ -s "$out/trainability-report.html" ] || { echo "report-screenshot: vitest wrote no page" >&2; exit 1; }
scripts/screenshot.sh "$out/trainability-report.html" docs/reporter-report.png 1200,1250
