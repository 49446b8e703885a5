#!/usr/bin/env bash
# Renders the HTML report of samples/leads_vi.csv and loads it in headless
# Chromium: the page must parse into every section with its SVG charts, and
# reference nothing outside itself. Skips (exit 0) without /usr/bin/chromium,
# which scripts/setup.sh does not install.
#
# Env: LEADCLEAN; SCREENSHOT=FILE also keeps a 1200x2000 screenshot
# (docs/report.png is made so).
set -u
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "SKIPPED: chromium not installed"
  exit 0
fi
bin="$(realpath "${LEADCLEAN:?}")"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Relative paths, so the page (and a kept screenshot) names no folder of
# this machine.
cp "$here/../../samples/leads_vi.csv" "$tmp/leads_vi.csv"
(cd "$tmp" && "$bin" clean leads_vi.csv -o cleaned.csv --report report.html \
  --quiet) || fail "leadclean exit $?"
# Text may quote a URL (spam notes do); markup must load nothing.
if grep -Eiq '(src|href|action|xlink:href)=|<(script|link|img|iframe|object|embed)|url\(|@import' \
    "$tmp/report.html"; then
  fail "the page references something outside itself"
fi

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update
       --disable-sync --disable-extensions --hide-scrollbars
       --user-data-dir="$tmp/profile")
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$tmp/report.html" \
  > "$tmp/dom.html" 2> "$tmp/chromium.err" || {
  sed 's/^/  chromium: /' "$tmp/chromium.err" | tail -5
  fail "chromium --dump-dom failed"
}
for id in overview rejects flags sources columns; do
  grep -q "<section id=\"$id\">" "$tmp/dom.html" || fail "section $id missing in the DOM"
done
[ "$(grep -o '<svg' "$tmp/dom.html" | wc -l)" -ge 1 ] || fail "no SVG chart in the DOM"
grep -q 'Conservation ok' "$tmp/dom.html" || fail "no conservation line"

shot="$(realpath -m "${SCREENSHOT:-$tmp/report.png}")"
timeout 120 "$chromium" "${flags[@]}" --window-size=1200,2000 \
  --screenshot="$shot" "file://$tmp/report.html" \
  > /dev/null 2> "$tmp/chromium.err" || fail "chromium --screenshot failed"
size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || fail "screenshot is $size bytes"
echo "render check: ok (DOM has every section; screenshot $size bytes)"
