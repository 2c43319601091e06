#!/usr/bin/env bash
# Quarry.app's metadata, checked on Linux (the DMG itself is built and run by release-macos.yml):
#   - Info.plist, written by packaging/macos/info-plist.cmake (what install.cmake runs) for a test
#     version, parses as a property list and says what Finder and Launch Services need: bundle id,
#     the executable `quarry` (the CLI path Quarry.app/Contents/MacOS/quarry), the version twice,
#     Retina, minimum macOS, icon, copyright;
#   - quarry.icns holds the icon at 16 to 512 px and is the one make-icns.sh makes from the
#     committed PNGs today.
#   check_macos_bundle.sh SOURCE_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd)
here=$(dirname "$0")
# shellcheck source=tests/packaging/require.sh
. "$here/require.sh"
require python3 "apt install python3"
require cmake "apt install cmake"
require icns2png "apt install icnsutils"
require png2icns "apt install icnsutils"

fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
macos="$source_dir/packaging/macos"

cmake -DPROJECT_VERSION=4.5.6 -DQUARRY_INFO_PLIST="$tmp/Info.plist" -P "$macos/info-plist.cmake"
python3 - "$tmp/Info.plist" "$macos" <<'PY'
import os, plistlib, re, sys
path, macos = sys.argv[1:]
with open(path, "rb") as f:
    plist = plistlib.load(f)  # raises on a malformed plist
expected = {
    "CFBundleIdentifier": "dev.quarry.Quarry",
    "CFBundleExecutable": "quarry",
    "CFBundleName": "Quarry",
    "CFBundlePackageType": "APPL",
    "CFBundleShortVersionString": "4.5.6",
    "CFBundleVersion": "4.5.6",
    "CFBundleIconFile": "quarry.icns",
    "NSHighResolutionCapable": True,
}
problems = [f"{key} is {plist.get(key)!r}, expected {value!r}" for key, value in expected.items()
            if plist.get(key) != value]
if not re.fullmatch(r"\d+\.\d+(\.\d+)?", str(plist.get("LSMinimumSystemVersion", ""))):
    problems.append(f"LSMinimumSystemVersion is {plist.get('LSMinimumSystemVersion')!r}, not a macOS version")
if "Apache" not in plist.get("NSHumanReadableCopyright", ""):
    problems.append("NSHumanReadableCopyright does not name the licence")
if not os.path.isfile(os.path.join(macos, plist.get("CFBundleIconFile", ""))):
    problems.append(f"the icon {plist.get('CFBundleIconFile')} is not in packaging/macos")
leftover = [key for key, value in plist.items() if isinstance(value, str) and "@" in value]
if leftover:
    problems.append(f"unconfigured @VARIABLE@ left in {leftover}")
for problem in problems:
    print("FAIL: Info.plist:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "Info.plist: parses; bundle id, executable quarry, version, Retina, minimum macOS, icon, copyright"

sizes=$(icns2png -l "$macos/quarry.icns" | grep -oE "[0-9]+x[0-9]+ 32-bit icon" | cut -dx -f1 | sort -n | tr '\n' ' ')
[ "$sizes" = "16 32 48 128 256 512 " ] || fail "quarry.icns holds icons of ${sizes:-no} px, expected 16 32 48 128 256 512"
"$macos/make-icns.sh" "$tmp/quarry.icns" >/dev/null
cmp -s "$tmp/quarry.icns" "$macos/quarry.icns" \
  || fail "packaging/macos/quarry.icns is not made from the committed PNGs: run packaging/macos/make-icns.sh"
echo "quarry.icns: 16 to 512 px, made from the committed PNGs"
