#!/usr/bin/env bash
# Render the built report as a person sees it, for a visual check:
#   build/look/report-html.png   the HTML in headless Chromium (offline)
#   build/look/pdf-NN.png        every PDF page via pdftoppm
# Needs Debian's chromium and poppler-utils (apt-get install -y chromium poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/look
mkdir -p "$out"
font_dir=$(.venv/bin/python -c "from ecrights.plotting import cjk_font_path; print(cjk_font_path().parent)")
# Chromium finds the CJK font through a private fontconfig file (no system font needed)
cat > "$out/fonts.conf" <<XML
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>$font_dir</dir>
<cachedir>$PWD/$out/fontcache</cachedir></fontconfig>
XML
if command -v chromium >/dev/null; then
  FONTCONFIG_FILE="$PWD/$out/fonts.conf" chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --window-size=1280,4000 \
    --screenshot="$PWD/$out/report-html.png" "file://$PWD/build/report.html" 2>/dev/null
  echo "$out/report-html.png"
else
  echo "chromium not installed: skipped the HTML screenshot" >&2
fi
if command -v pdftoppm >/dev/null; then
  pdftoppm -r 60 -png build/report.pdf "$out/pdf"
  ls "$out"/pdf-*.png | wc -l | xargs echo "PDF pages rendered:"
else
  echo "pdftoppm not installed: skipped the PDF pages" >&2
fi
