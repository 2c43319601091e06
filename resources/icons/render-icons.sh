#!/usr/bin/env bash
# Renders the app icon (quarry.svg) to the PNG sizes desktops ask for; the PNGs are committed, so a
# build needs no SVG renderer. Run again after editing quarry.svg. Needs rsvg-convert (Debian
# librsvg2-bin, Homebrew librsvg).
set -euo pipefail
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null || { echo "render-icons.sh: rsvg-convert is missing (apt install librsvg2-bin)" >&2; exit 1; }
# The sizes of the hicolor theme's fixed-size folders that the install rules fill.
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "hicolor/${size}x${size}"
  rsvg-convert --width "$size" --height "$size" --format png --output "hicolor/${size}x${size}/quarry.png" quarry.svg
done
