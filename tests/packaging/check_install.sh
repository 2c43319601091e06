#!/usr/bin/env bash
# Installs the build into a throwaway prefix (`cmake --install`) and checks what a desktop gets: the
# binary (printing the project's version), the desktop file and AppStream metainfo (both passing
# their validators), the icons at every size, the licence and notices. Linux only.
#   check_install.sh BUILD_DIR VERSION
set -euo pipefail
build_dir=$1
version=$2
app_id=dev.quarry.Quarry

fail() { echo "FAIL: $*" >&2; exit 1; }

# The validators are part of the build's dependencies (./dev installs them); without one this check
# cannot say anything, so it fails rather than passing by skipping.
for tool in desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt install desktop-file-utils appstream, or ./dev build)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build_dir" --prefix "$prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }

expected=(
  bin/quarry
  "share/applications/$app_id.desktop"
  "share/metainfo/$app_id.metainfo.xml"
  "share/icons/hicolor/scalable/apps/$app_id.svg"
  share/doc/quarry/LICENSE
  share/doc/quarry/THIRD_PARTY_NOTICES.md
)
for size in 16 24 32 48 64 128 256 512; do
  expected+=("share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
for file in "${expected[@]}"; do
  [ -s "$prefix/$file" ] || fail "not installed: $file"
done
[ -x "$prefix/bin/quarry" ] || fail "bin/quarry is not executable"

# Each PNG is the size its folder names (a desktop scales a wrong one, blurred).
for size in 16 24 32 48 64 128 256 512; do
  png="$prefix/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  dims=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$png")
  [ "$dims" = "${size}x${size}" ] || fail "$png is $dims, not ${size}x${size}"
done

got=$("$prefix/bin/quarry" --version 2>&1) || fail "installed quarry --version failed: $got"
case "$got" in *"$version"*) ;; *) fail "installed quarry --version printed '$got', expected $version" ;; esac

grep -q "<release version=\"$version\"" "$prefix/share/metainfo/$app_id.metainfo.xml" \
  || fail "metainfo has no release entry for $version"

# Docks match the window to this entry by WM_CLASS, which Qt sets to the application name.
grep -qx 'StartupWMClass=quarry' "$prefix/share/applications/$app_id.desktop" \
  || fail "$app_id.desktop: StartupWMClass must be quarry, the WM_CLASS of the window"

desktop-file-validate "$prefix/share/applications/$app_id.desktop" >"$tmp/desktop.log" 2>&1 \
  || { cat "$tmp/desktop.log" >&2; fail "desktop-file-validate rejected $app_id.desktop"; }
# Hints (two main categories, on purpose) are shown but are not errors.
cat "$tmp/desktop.log"
appstreamcli validate --no-net "$prefix/share/metainfo/$app_id.metainfo.xml" >"$tmp/appstream.log" 2>&1 \
  || { cat "$tmp/appstream.log" >&2; fail "appstreamcli validate rejected $app_id.metainfo.xml"; }
cat "$tmp/appstream.log"
echo "install tree under a temporary prefix: ${#expected[@]} files, validators passed"
