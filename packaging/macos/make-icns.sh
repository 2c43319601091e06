#!/usr/bin/env bash
# Packs the app icon's committed PNGs (resources/icons/hicolor) into quarry.icns, the icon of
# Quarry.app (Info.plist's CFBundleIconFile). The .icns is committed, so a build needs no icon
# tool. Run again after render-icons.sh; tests/packaging/check_macos_bundle.sh fails until then.
# Needs png2icns (Debian icnsutils).
#   make-icns.sh [OUTPUT]   (default: quarry.icns beside this script)
set -euo pipefail
output=$(realpath -m "${1:-$(dirname "$0")/quarry.icns}")
cd "$(dirname "$0")"
command -v png2icns >/dev/null || { echo "make-icns.sh: png2icns is missing (apt install icnsutils)" >&2; exit 1; }
icons=../../resources/icons/hicolor
# The sizes the icns format has slots for among the rendered ones (24 and 64 have none).
png2icns "$output" \
  "$icons/16x16/quarry.png" "$icons/32x32/quarry.png" "$icons/48x48/quarry.png" \
  "$icons/128x128/quarry.png" "$icons/256x256/quarry.png" "$icons/512x512/quarry.png"
