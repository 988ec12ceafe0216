#!/bin/sh
# Screenshots of the HTML report for the README, taken with headless Chromium (Debian package
# `chromium`; this script installs nothing). Renders the report first if it is missing.
#
#   scripts/screenshot_report.sh [REPORT_HTML] [ARTICLE_ANCHOR]
#
# Writes docs/report.png (the index, 1400x1000) and docs/report-article.png (one article view,
# opened through its URL fragment, 1400x1600). Chromium runs with a throw-away profile and with
# networking features off; the report itself fetches nothing.
set -eu

cd "$(dirname "$0")/.."
REPORT=${1:-out/report.html}
ARTICLE=${2:-a-dev-microneedling-hair-loss-txt}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
    echo "screenshot_report: $CHROMIUM not found; install Debian's chromium package (apt-get install chromium)" >&2
    exit 2
fi
if [ ! -f "$REPORT" ]; then
    echo "screenshot_report: $REPORT missing; rendering it from corpus/" >&2
    .venv/bin/claimscan report corpus --out "$REPORT"
fi
mkdir -p docs
URL="file://$(cd "$(dirname "$REPORT")" && pwd)/$(basename "$REPORT")"

shot() {  # shot OUTPUT WIDTH,HEIGHT URL
    profile=$(mktemp -d)
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$2" --screenshot="$1" "$3" \
        >/dev/null 2>&1 || { rm -rf "$profile"; echo "screenshot_report: chromium failed for $3" >&2; exit 1; }
    rm -rf "$profile"
    [ -s "$1" ] || { echo "screenshot_report: no screenshot written to $1" >&2; exit 1; }
    echo "$1"
}

shot docs/report.png 1400,1000 "$URL"
shot docs/report-article.png 1400,1600 "$URL#$ARTICLE"
