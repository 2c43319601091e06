#!/usr/bin/env bash
# The MSI's layout, checked on Linux. Builds the MSI `cpack -G WIX` would build, with wixl instead
# of WiX, from the same inputs: the build's CPackConfig.cmake (UpgradeCode, names, install folder,
# shortcut, ARP properties), our main.wxs template and PATH patch, laid out over stand-in files
# named as packaging/windows/expected-files.txt lists them (wix_layout.py). Then, for versions 0.1.0
# and 0.2.0:
#   - check_msi.py reads the tables: per-machine, upgrade rows, shortcut, PATH entry, files;
#   - both share the UpgradeCode and differ in ProductCode;
#   - wine's msiexec, in a throwaway prefix, installs 0.1.0, upgrades it to 0.2.0 in place,
#     refuses 0.1.0 over 0.2.0, and uninstalls: files, shortcut, PATH entry and ARP entry go.
# And the icon: quarry.ico has every size and is the one make-ico.sh makes from the PNGs.
#   check_wix.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
here=$(dirname "$0")
# shellcheck source=tests/packaging/require.sh
. "$here/require.sh"
require wixl "apt install wixl"
require msibuild "apt install msitools"
require msiinfo "apt install msitools"
require msiextract "apt install msitools"
require wine "apt install wine wine64"
require wineserver "apt install wine wine64"
require python3 "apt install python3"
require cmake "apt install cmake"
require icotool "apt install icoutils"

fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$build_dir/CPackConfig.cmake" ] || fail "$build_dir/CPackConfig.cmake is missing: configure the build first"

tmp=$(mktemp -d)
export WINEPREFIX="$tmp/wineprefix"
stop_wine() {
  # The prefix's wineserver, if one started, ends with it; -w waits, bounded.
  if [ -d "$WINEPREFIX" ]; then wineserver -k >/dev/null 2>&1 || true; timeout 30 wineserver -w >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap stop_wine EXIT

# The icon of quarry.exe and of the Add/Remove Programs entry: every size Windows asks for, made
# from the committed PNGs as they are today.
ico="$source_dir/packaging/windows/quarry.ico"
sizes=$(icotool -l "$ico" | grep -oE -- '--width=[0-9]+' | cut -d= -f2 | sort -n | tr '\n' ' ')
[ "$sizes" = "16 24 32 48 64 128 256 " ] || fail "quarry.ico holds icons of ${sizes:-no} px, expected 16 to 256"
"$source_dir/packaging/windows/make-ico.sh" "$tmp/quarry.ico"
cmp -s "$tmp/quarry.ico" "$ico" || fail "packaging/windows/quarry.ico is not made from the committed PNGs: run make-ico.sh"
echo "quarry.ico: 16 to 256 px, made from the committed PNGs"

# Stand-ins for the install tree; the licence files are the real ones.
expected="$source_dir/packaging/windows/expected-files.txt"
tree="$tmp/tree"
grep -v '^#' "$expected" | grep . | while IFS= read -r path; do
  mkdir -p "$tree/$(dirname "$path")"
  printf 'stand-in for %s\n' "$path" >"$tree/$path"
done
cp "$source_dir/LICENSE" "$source_dir/THIRD_PARTY_NOTICES.md" "$tree/share/doc/quarry/"

build_msi() { # VERSION -> $tmp/quarry-VERSION.msi, $tmp/VERSION/config.json
  local version=$1 out="$tmp/$1"
  mkdir -p "$out"
  cmake -DCPACK_CONFIG="$build_dir/CPackConfig.cmake" -DSOURCE_DIR="$source_dir" -DVERSION="$version" \
    -DOUTPUT="$out/config.json" -P "$here/wix_config.cmake"
  python3 "$here/wix_layout.py" "$out/config.json" "$tree" "$out/wxs"
  # wixl warns about attributes it does not model (MajorUpgrade/@Schedule, Property/@Secure): kept in
  # a log, shown when it fails.
  (cd "$out/wxs" && wixl --arch x64 --output "$tmp/quarry-$version.msi" quarry.wxs) >"$out/wixl.log" 2>&1 \
    || { cat "$out/wixl.log" >&2; fail "wixl could not build $version"; }
  local queries=()
  while IFS= read -r query; do queries+=(-q "$query"); done <"$out/wxs/environment.sql"
  [ ${#queries[@]} -eq 0 ] || msibuild "$tmp/quarry-$version.msi" "${queries[@]}" || fail "msibuild could not add the Environment table"
  python3 "$here/check_msi.py" "$tmp/quarry-$version.msi" "$out/config.json" "$expected"
}
build_msi 0.1.0
build_msi 0.2.0

property() { # MSI NAME
  msiinfo export "$1" Property | tr -d '\r' | awk -F '\t' -v name="$2" '$1 == name { print $2 }'
}
old="$tmp/quarry-0.1.0.msi" new="$tmp/quarry-0.2.0.msi"
[ "$(property "$old" UpgradeCode)" = "$(property "$new" UpgradeCode)" ] || fail "0.1.0 and 0.2.0 have different UpgradeCodes"
[ "$(property "$old" ProductCode)" != "$(property "$new" ProductCode)" ] || fail "0.1.0 and 0.2.0 share a ProductCode"
echo "0.1.0 and 0.2.0: one UpgradeCode $(property "$old" UpgradeCode), ProductCodes $(property "$old" ProductCode) and $(property "$new" ProductCode)"

# Install, upgrade, refused downgrade, uninstall, with wine's msiexec. No display: wine must not
# offer to install Mono or Gecko (their DLLs off), and /qn shows no UI. winemenubuilder (off, and
# HOME in the scratch folder) would copy the Start-menu shortcut into the desktop's menus.
unset DISPLAY WAYLAND_DISPLAY
export HOME="$tmp/home" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
mkdir -p "$HOME"
wine_run() { timeout 120 wine "$@"; }
# Making the prefix failed once in many runs, at once and saying nothing, on a machine busy with other
# work: a fresh prefix is tried once more, with wine's errors on, before the test gives up. It is
# the test's wine, not the package, that failed there.
make_prefix() { wine_run wineboot --init >"$tmp/wineboot.log" 2>&1; }
if ! make_prefix; then
  echo "wineboot could not make a prefix; trying once more with WINEDEBUG=err+all" >&2
  wineserver -k >/dev/null 2>&1 || true
  timeout 30 wineserver -w >/dev/null 2>&1 || true
  rm -rf "$WINEPREFIX"
  WINEDEBUG=err+all make_prefix || { cat "$tmp/wineboot.log" >&2; fail "wineboot could not make a prefix"; }
fi
program_files="$WINEPREFIX/drive_c/Program Files/Quarry"
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'
system_path() {
  wine_run reg query 'HKLM\System\CurrentControlSet\Control\Session Manager\Environment' /v PATH 2>/dev/null \
    | tr -d '\r' | awk '$1 == "PATH" { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}
installed_versions() { # the DisplayVersion of each Quarry entry in Add/Remove Programs
  wine_run reg query "$uninstall_key" /s 2>/dev/null | tr -d '\r' \
    | awk '/^HKEY/ { quarry = 0 } $1 == "DisplayName" && $3 == "Quarry" { quarry = 1 } quarry && $1 == "DisplayVersion" { print $3 }' | sort
}
shortcut() { find "$WINEPREFIX/drive_c" -name 'Quarry.lnk' -path '*Start Menu/Programs/*' | head -1; }
path_entries() { system_path | tr ';' '\n' | grep -ci 'Program Files\\Quarry\\bin' || true; }

wine_run msiexec /i "Z:$old" /qn >/dev/null 2>&1 || fail "msiexec /i 0.1.0 failed"
[ -f "$program_files/bin/quarry.exe" ] || fail "0.1.0: C:\\Program Files\\Quarry\\bin\\quarry.exe was not installed"
[ -f "$program_files/share/doc/quarry/LICENSE" ] || fail "0.1.0: the licence was not installed"
[ "$(installed_versions)" = 0.1.0 ] || fail "0.1.0: Add/Remove Programs lists '$(installed_versions)'"
[ "$(path_entries)" = 1 ] || fail "0.1.0: the system PATH has no Quarry bin entry: $(system_path)"
[ -n "$(shortcut)" ] || fail "0.1.0: no Start-menu shortcut Quarry.lnk"
echo "wine: 0.1.0 installed: files, Start-menu shortcut, PATH entry, Add/Remove Programs entry"

wine_run msiexec /i "Z:$new" /qn >/dev/null 2>&1 || fail "msiexec /i 0.2.0 (upgrade) failed"
[ "$(installed_versions)" = 0.2.0 ] || fail "upgrade: Add/Remove Programs lists '$(installed_versions)', expected 0.2.0 alone"
[ "$(path_entries)" = 1 ] || fail "upgrade: the system PATH has $(path_entries) Quarry bin entries: $(system_path)"
grep -q 'stand-in for bin/quarry.exe' "$program_files/bin/quarry.exe" || fail "upgrade: bin/quarry.exe is gone"
echo "wine: 0.2.0 replaced 0.1.0 in place: one entry in Add/Remove Programs, one PATH entry"

if wine_run msiexec /i "Z:$old" /qn >/dev/null 2>&1; then fail "msiexec installed 0.1.0 over 0.2.0"; fi
[ "$(installed_versions)" = 0.2.0 ] || fail "downgrade: Add/Remove Programs lists '$(installed_versions)'"
echo "wine: 0.1.0 over 0.2.0 refused, 0.2.0 still installed"

wine_run msiexec /x "Z:$new" /qn >/dev/null 2>&1 || fail "msiexec /x 0.2.0 failed"
left=$(find "$program_files" -type f 2>/dev/null | wc -l)
[ "$left" = 0 ] || fail "uninstall left $left files in Program Files\\Quarry"
[ -z "$(installed_versions)" ] || fail "uninstall left Add/Remove Programs entries: $(installed_versions)"
[ "$(path_entries)" = 0 ] || fail "uninstall left Quarry on the system PATH: $(system_path)"
[ -z "$(shortcut)" ] || fail "uninstall left the shortcut $(shortcut)"
echo "wine: uninstalled: no files, shortcut, PATH entry or Add/Remove Programs entry left"
