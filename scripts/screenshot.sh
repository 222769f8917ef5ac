#!/usr/bin/env bash
# Renders an HTML report to PNG with headless Chromium (Debian: apt-get install -y chromium).
# usage: scripts/screenshot.sh report.html out.png [width,height]
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 report.html out.png [width,height]" >&2; exit 2; fi
html="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
size="${3:-1200,1600}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then echo "screenshot: $chromium not found; install chromium or set CHROMIUM=/path/to/chromium" >&2; exit 2; fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$out" --window-size="$size" "file://$html" >/dev/null 2>&1
[ -s "$out" ] || { echo "screenshot: chromium wrote no $out" >&2; exit 1; }
echo "$out"
