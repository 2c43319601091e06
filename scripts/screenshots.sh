#!/usr/bin/env bash
# Screenshots of every page of the desktop app, taken under Xvfb with a throwaway HOME and config
# (a new user's first run: no credentials, so the simulator), once per theme:
# screenshots/light/<page>.png and screenshots/dark/<page>.png.
#   scripts/screenshots.sh [OUTPUT_DIR]      (./dev screenshots builds first)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${QUARRY_BUILD_DIR:-$PWD/build}
OUT=$(realpath -m "${1:-$PWD/screenshots}")
command -v xvfb-run >/dev/null || { echo "screenshots need xvfb-run (apt install xvfb xauth)" >&2; exit 1; }
[ -x "$BUILD_DIR/quarry" ] || { echo "no $BUILD_DIR/quarry: run ./dev build first" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT/light" "$OUT/dark" "$work/home" "$work/config" "$work/run"
chmod 700 "$work/run"
rm -f "$OUT"/*.png "$OUT"/light/*.png "$OUT"/dark/*.png

# A free port in the throwaway config's Gateway, so a Quarry already running on 8080 is no obstacle.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: agentgateway\nspec:\n  gatewayClassName: agentgateway\n  listeners:\n  - name: http\n    port: %s\n    protocol: HTTP\n' "$port" \
  | env -i PATH="$PATH" HOME="$work/home" "$BUILD_DIR/quarry" apply -f - --config "$work/config" >/dev/null

# A clean environment: no AWS_* credentials, no user settings, no session bus. Where dbus-x11 is
# installed Qt autolaunches one, and a keyring daemon on it may be locked with nobody to unlock
# it: the window must come up all the same (keychain calls have deadlines), so that is allowed.
# QUARRY_THEME picks the palette (Settings > Appearance otherwise); no platform theme is set, so
# "system" would be Fusion's light palette.
for theme in light dark; do
  env -i PATH="$PATH" HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/run" \
    LANG=C.UTF-8 QUARRY_CONFIG_DIR="$work/config" QUARRY_SCREENSHOT_DIR="$OUT/$theme" QUARRY_THEME="$theme" \
    timeout 120 xvfb-run -a -s "-screen 0 1280x860x24 -dpi 96" "$BUILD_DIR/quarry" gui
done
ls -1 "$OUT"/light/*.png "$OUT"/dark/*.png
