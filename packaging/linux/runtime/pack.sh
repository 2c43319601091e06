#!/usr/bin/env bash
# Makes an AppImage: the type-2 runtime followed by a squashfs image of an AppDir. The one place
# where the image's compression and options are chosen; the AppImage build and its tests call it.
#   pack.sh RUNTIME APPDIR OUT
set -euo pipefail

# zstd (mksquashfs' default level 15): decompresses ~3x faster than gzip and ~10x faster than xz,
# which is what a GUI app paging its libraries in through FUSE waits on; about 6% smaller than gzip
# (measured on Qt's libraries here). Level 19 saved 11% more but took 3x as long to pack.
# -all-root: files belong to root whoever builds; -no-xattrs: the build machine's attributes
# (e.g. SELinux labels) do not travel; -noappend: OUT's image never grows from an older one.
MKSQUASHFS_OPTIONS=(-comp zstd -all-root -no-xattrs -noappend -quiet -no-progress)

fail() { echo "pack.sh: $*" >&2; exit 1; }

[ $# -eq 3 ] || { echo "usage: pack.sh RUNTIME APPDIR OUT" >&2; exit 2; }
runtime=$1
appdir=$2
out=$3
command -v mksquashfs >/dev/null || fail "mksquashfs is missing (apt install squashfs-tools)"
[ -x "$appdir/AppRun" ] && [ -f "$appdir/AppRun" ] || fail "$appdir/AppRun is missing or not executable"
# The runtime reports where an image appended to it would start: its own size, or it is not one.
offset=$("$runtime" --appimage-offset) || fail "$runtime is not an AppImage runtime"
[ "$offset" = "$(stat -c %s "$runtime")" ] || fail "$runtime: its ELF part ends at $offset, not at its end"

image=$(mktemp "$out.XXXXXX")
trap 'rm -f "$image" "$image.sqfs"' EXIT
mksquashfs "$appdir" "$image.sqfs" "${MKSQUASHFS_OPTIONS[@]}" >/dev/null
cat "$runtime" "$image.sqfs" >"$image"
chmod 0755 "$image"
mv -f "$image" "$out"
