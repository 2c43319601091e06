#!/usr/bin/env bash
# Packs the app icon's committed PNGs (resources/icons/hicolor) into quarry.ico, the icon of
# quarry.exe (quarry.rc) and of the MSI's Add/Remove Programs entry. The .ico is committed, so a
# build needs no icon tool. Run again after render-icons.sh; tests/packaging/check_wix.sh fails
# until then. Needs icotool (Debian icoutils).
#   make-ico.sh [OUTPUT]   (default: quarry.ico beside this script)
set -euo pipefail
output=$(realpath -m "${1:-$(dirname "$0")/quarry.ico}")
cd "$(dirname "$0")"
command -v icotool >/dev/null || { echo "make-ico.sh: icotool is missing (apt install icoutils)" >&2; exit 1; }
icons=../../resources/icons/hicolor
# The sizes Windows asks for (list views, taskbar, tiles); 256 is stored as PNG (--raw), as Vista
# and later expect, the small ones as bitmaps, which every reader understands.
icotool --create --output "$output" \
  "$icons/16x16/quarry.png" "$icons/24x24/quarry.png" "$icons/32x32/quarry.png" \
  "$icons/48x48/quarry.png" "$icons/64x64/quarry.png" "$icons/128x128/quarry.png" \
  --raw="$icons/256x256/quarry.png"
