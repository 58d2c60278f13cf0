#!/usr/bin/env bash
# Render the built report as a reader without CJK fonts sees it, for a visual check:
#   <build>/look/report-html.png   the HTML in headless Chromium, offline, with NO system fonts
#                                  (fontconfig pointed at an empty folder: every glyph drawn must
#                                  come from the font embedded in the page)
#   <build>/look/pdf-NN.png        every PDF page via pdftoppm
# Usage: bash scripts/look_at_report.sh [BUILD_DIR]   (default build/; the English edition: build/en)
# Needs Debian's chromium and poppler-utils (apt-get install -y chromium poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out="$build/look"
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/pdf-*.png
if command -v chromium >/dev/null; then
  # fontconfig pointed at an empty folder; waits for the page's web fonts (see the script)
  .venv/bin/python scripts/screenshot_html.py "$build/report.html" "$out/report-html.png" \
    --width "${WIDTH:-1280}" --height "${HEIGHT:-5000}"
else
  echo "chromium not installed: skipped the HTML screenshot" >&2
fi
if command -v pdftoppm >/dev/null && [ -f "$build/report.pdf" ]; then
  pdftoppm -r "${DPI:-60}" -png "$build/report.pdf" "$out/pdf"
  ls "$out"/pdf-*.png | wc -l | xargs echo "PDF pages rendered:"
else
  echo "pdftoppm not installed or no $build/report.pdf: skipped the PDF pages" >&2
fi
