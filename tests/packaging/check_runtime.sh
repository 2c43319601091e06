#!/usr/bin/env bash
# The AppImage type-2 runtime (packaging/linux/runtime) as a user meets it: a toy AppDir packed by
# pack.sh, then run through FUSE, --appimage-extract-and-run, APPIMAGE_EXTRACT_AND_RUN=1, the
# automatic fallback when FUSE is unavailable, --appimage-extract and --appimage-mount, and damaged
# files. Needs root (mount namespaces) for the fallback and disk-full cases.
#   check_runtime.sh RUNTIME PACK_SH    (RUNTIME empty: the build found no static libsquashfuse)
# Exits 77 (skipped) when something it needs is missing, except under CI=true, where that fails.
set -euo pipefail
runtime=$1
pack=$2

fail() { echo "FAIL: $*" >&2; exit 1; }
missing() {
  [ "${CI:-}" = true ] && fail "CI=true requires this test to run, and it cannot: $*"
  echo "SKIP: $*" >&2
  exit 77
}
pass() { echo "ok: $*"; }
# Output is captured before grep -q reads it: with pipefail, a writer cut off by grep's early exit
# would fail the pipeline.

[ -n "$runtime" ] || missing "the appimage-runtime target was not built (apt install libsquashfuse-dev libfuse3-dev libzstd-dev liblz4-dev liblzo2-dev, or ./dev build)"
runtime=$(realpath "$runtime")
pack=$(realpath "$pack")
for tool in mksquashfs unsquashfs unshare readelf python3 timeout; do
  command -v "$tool" >/dev/null || missing "$tool is missing (./dev installs squashfs-tools; util-linux, binutils and python3 come with the build tools)"
done
[ "$(id -u)" = 0 ] || missing "root is needed for the mount-namespace cases (FUSE hidden, a full disk)"

work=$(mktemp -d)
# Anything left mounted under $work is detached first, or rm -rf would walk into it.
cleanup() {
  local pid
  for pid in ${background_pids:-}; do kill "$pid" 2>/dev/null || true; done
  { grep -F " $work/" /proc/mounts || true; } | cut -d' ' -f2 | while read -r m; do umount -l "$m" || true; done
  rm -rf "$work"
}
trap cleanup EXIT
background_pids=""
export TMPDIR=$work/tmp
mkdir "$TMPDIR"

# Polls a condition (a command) every 0.1 s for at most $1 seconds.
wait_until() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
no_temp_dirs() { [ -z "$(ls -A "$TMPDIR")" ]; }
not_mounted() { ! grep -qF " $1 " /proc/mounts && [ ! -e "$1" ]; }
# The serving process and the runtime leave no process behind, zombies included (PID 1 reaps them).
# /proc/PID/comm holds the first 15 characters of the name, for zombies too.
# (grep -q reads the files itself: with pipefail, a cat that met a vanished process would hide a match.)
no_processes() { ! grep -qxF "${app_name:0:15}" /proc/[0-9]*/comm 2>/dev/null; }

# --- the toy AppDir: AppRun prints its arguments one per line and its environment, then exits with
# the status given as its first argument. "sleep FILE" and "linger FILE" are the signal and the
# keep-alive cases.
appdir=$work/AppDir
mkdir -p "$appdir/usr/bin" "$appdir/usr/lib" "$appdir/usr/share/private"
cat >"$appdir/AppRun" <<'EOF'
#!/bin/sh
case "$1" in
  sleep) echo "$APPDIR" >"$2"; exec sleep 60 ;;
  linger) (sleep 1; cat "$APPDIR/usr/share/greeting.txt" >"$2.tmp"; mv "$2.tmp" "$2") & exit 0 ;;
esac
for a in "$@"; do printf 'arg=[%s]\n' "$a"; done
printf 'APPIMAGE=%s\nAPPDIR=%s\nARGV0=%s\nOWD=%s\n' "$APPIMAGE" "$APPDIR" "$ARGV0" "$OWD"
printf 'fs=%s\n' "$(stat -f -c %T "$APPDIR")"
printf 'greeting=%s\n' "$(cat "$APPDIR/usr/share/greeting.txt")"
printf 'tool=%s\n' "$("$APPDIR/usr/bin/tool")"
exit "$1"
EOF
printf '#!/bin/sh\necho tool-ran\n' >"$appdir/usr/lib/tool.sh"
ln -s ../lib/tool.sh "$appdir/usr/bin/tool"
echo hello >"$appdir/usr/share/greeting.txt"
echo secret-ish >"$appdir/usr/share/private/only-owner.txt"
head -c 1048576 /dev/urandom >"$appdir/usr/share/random.bin" # does not compress: fills a small disk
chmod 0755 "$appdir/AppRun" "$appdir/usr/lib/tool.sh"
chmod 0644 "$appdir/usr/share/greeting.txt" "$appdir/usr/share/random.bin"
chmod 0600 "$appdir/usr/share/private/only-owner.txt"
chmod 0750 "$appdir/usr/share/private"

# In a folder with a space: the spec requires AppImages to work from such paths.
mkdir "$work/my apps"
app_name=rt$$.AppImage
app="$work/my apps/$app_name"
"$pack" "$runtime" "$appdir" "$app"
[ -x "$app" ] || fail "pack.sh made no executable AppImage"

# --- format: magic, sections, offset, static
[ "$(od -A n -t x1 -j 8 -N 3 "$app" | tr -d ' ')" = 414902 ] || fail "no AI\\x02 magic at offset 8"
grep -q INTERP <<<"$(readelf -l "$runtime")" && fail "the runtime is dynamically linked (it must run on any distribution)"
python3 - "$runtime" <<'EOF' || fail "ELF sections .upd_info/.sha256_sig/.sig_key missing, wrong size or not zero-filled"
import struct, sys
data = open(sys.argv[1], "rb").read()
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
def section(i):
    name, kind, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
    return name, kind, off, size
names_off = section(shstrndx)[2]
found = {}
for i in range(shnum):
    name, kind, off, size = section(i)
    n = data[names_off + name:data.index(b"\0", names_off + name)].decode()
    found[n] = (kind, data[off:off + size])
for n, size in ((".upd_info", 1024), (".sha256_sig", 1024), (".sig_key", 8192)):
    kind, body = found[n]
    assert kind == 1 and len(body) == size and body == bytes(size), n  # PROGBITS, zeros
EOF
elf_end=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(64); o,=struct.unpack_from("<Q",d,0x28); e,n=struct.unpack_from("<HH",d,0x3A); print(o+e*n)' "$runtime")
[ "$elf_end" = "$(stat -c %s "$runtime")" ] || fail "the runtime's ELF part ($elf_end) is not the whole file"
offset=$("$app" --appimage-offset)
[ "$offset" = "$elf_end" ] || fail "--appimage-offset printed $offset, the ELF part ends at $elf_end"
# An independent reader finds the image there.
grep -qx 'squashfs-root/AppRun' <<<"$(unsquashfs -o "$offset" -l "$app")" || fail "unsquashfs finds no AppRun at offset $offset"
pass "magic, zero-filled sections, static, offset $offset (= runtime size, read by unsquashfs)"

grep -q -- --appimage-extract-and-run <<<"$("$app" --appimage-help)" || fail "--appimage-help does not list the options"
grep -q 'runtime' <<<"$("$app" --appimage-version)" || fail "--appimage-version prints no version"
if "$app" --appimage-bogus >/dev/null 2>&1; then fail "an unknown --appimage- option was accepted"; fi

# --- running: arguments pass through unchanged, the environment is set, the status comes back.
args=(7 "two words" "" -- --help "tab	and 'quotes'")
expect_run() { # expect_run OUTPUT_FILE STATUS APPDIR_PATTERN FS_PATTERN
  local out=$1 status=$2 dir_pattern=$3 fs_pattern=$4
  [ "$status" = 7 ] || fail "exit status $status, the app exited 7 ($(cat "$out"))"
  local expected
  expected=$(printf 'arg=[%s]\n' "${args[@]}")
  [ "$(grep '^arg=' "$out")" = "$expected" ] || fail "arguments changed on the way: $(grep '^arg=' "$out")"
  grep -qxF "APPIMAGE=$app" "$out" || fail "APPIMAGE is not $app: $(grep APPIMAGE= "$out")"
  grep -qxF "ARGV0=$app" "$out" || fail "ARGV0 is not argv[0]"
  grep -qxF "OWD=$work" "$out" || fail "OWD is not the working directory"
  grep -qE "^APPDIR=$dir_pattern\$" "$out" || fail "APPDIR is $(grep APPDIR= "$out"), expected $dir_pattern"
  grep -qE "^fs=$fs_pattern\$" "$out" || fail "APPDIR is on $(grep fs= "$out"), expected $fs_pattern"
  grep -qx 'greeting=hello' "$out" || fail "the app could not read its files"
  grep -qx 'tool=tool-ran' "$out" || fail "the app could not run a program through a symlink"
}

cd "$work"
status=0
timeout 60 "$app" "${args[@]}" >"$work/fuse.out" 2>"$work/fuse.err" || status=$?
if grep -q 'cannot mount the AppImage with FUSE' "$work/fuse.err"; then
  # Where FUSE cannot mount at all, the rest is checked and the test then reports a skip.
  fuse_works=false
  [ "${CI:-}" = true ] && fail "FUSE does not mount on this machine: $(cat "$work/fuse.err")"
else
  fuse_works=true
  expect_run "$work/fuse.out" "$status" "$TMPDIR/\\.mount_rt[0-9.A-Za-z]{0,6}[A-Za-z0-9]{6}" 'fuse(blk)?'
  [ -s "$work/fuse.err" ] && fail "the FUSE path printed on stderr: $(cat "$work/fuse.err")"
  mnt=$(sed -n 's/^APPDIR=//p' "$work/fuse.out")
  wait_until 10 not_mounted "$mnt" || fail "$mnt is still mounted or present after the app exited"
  wait_until 10 no_processes || fail "processes named $app_name remain: $(grep -lxF "${app_name:0:15}" /proc/[0-9]*/comm 2>/dev/null)"
  pass "FUSE: arguments, environment, exit status; unmounted, mount point removed, no process left"

  # A child the app leaves running keeps the mount until it is done.
  timeout 60 "$app" linger "$work/linger.out" || fail "linger run failed"
  wait_until 10 test -s "$work/linger.out" || fail "the app's background child could not read the mount after the app exited"
  [ "$(cat "$work/linger.out")" = hello ] || fail "the background child read '$(cat "$work/linger.out")'"
  wait_until 10 no_temp_dirs || fail "the mount outlived the app's last child: $(ls -A "$TMPDIR")"
  pass "FUSE: the mount lives until the app's last child exits"

  # --appimage-mount prints the mount point and holds it until killed.
  "$app" --appimage-mount >"$work/mount.out" &
  background_pids=$!
  wait_until 10 test -s "$work/mount.out" || fail "--appimage-mount printed no mount point"
  mnt=$(cat "$work/mount.out")
  grep -qF " $mnt fuse" /proc/mounts || fail "--appimage-mount: $mnt is not a FUSE mount"
  [ -x "$mnt/AppRun" ] || fail "--appimage-mount: no AppRun in $mnt"
  kill "$background_pids"
  wait "$background_pids" || true
  background_pids=""
  wait_until 10 not_mounted "$mnt" || fail "--appimage-mount: $mnt is still mounted after the runtime was killed"
  pass "--appimage-mount: mounted, listed, gone after kill"
fi

# --- extract-and-run, by option and by environment, and the fallback when FUSE is hidden.
extracted="$TMPDIR/appimage_extracted_rt[0-9.A-Za-z]{0,6}[A-Za-z0-9]{6}"
status=0
timeout 60 "$app" --appimage-extract-and-run "${args[@]}" >"$work/ear.out" 2>"$work/ear.err" || status=$?
expect_run "$work/ear.out" "$status" "$extracted" '.*'
grep -q '^fs=fuse' "$work/ear.out" && fail "--appimage-extract-and-run ran from a FUSE mount"
no_temp_dirs || fail "--appimage-extract-and-run left $(ls -A "$TMPDIR")"
status=0
APPIMAGE_EXTRACT_AND_RUN=1 timeout 60 "$app" "${args[@]}" >"$work/env.out" 2>"$work/env.err" || status=$?
expect_run "$work/env.out" "$status" "$extracted" '.*'
grep -q '^fs=fuse' "$work/env.out" && fail "APPIMAGE_EXTRACT_AND_RUN=1 ran from a FUSE mount"
no_temp_dirs || fail "APPIMAGE_EXTRACT_AND_RUN=1 left $(ls -A "$TMPDIR")"
status=0
APPIMAGE_EXTRACT_AND_RUN_NOCLEANUP=1 timeout 60 "$app" --appimage-extract-and-run "${args[@]}" >/dev/null 2>&1 || status=$?
[ "$status" = 7 ] && [ -x "$(echo "$TMPDIR"/appimage_extracted_*/AppRun)" ] \
  || fail "APPIMAGE_EXTRACT_AND_RUN_NOCLEANUP=1 did not keep the extracted copy"
rm -rf "$TMPDIR"/appimage_extracted_*
pass "extract-and-run (option and APPIMAGE_EXTRACT_AND_RUN=1): arguments, environment, status, cleaned up"

# SIGTERM sent to the runtime reaches the app; the runtime reports it as 128+15 and cleans up.
"$app" --appimage-extract-and-run sleep "$work/sleep.dir" &
background_pids=$!
wait_until 10 test -s "$work/sleep.dir" || fail "the sleeping app did not start"
kill -TERM "$background_pids"
status=0
wait "$background_pids" || status=$?
background_pids=""
[ "$status" = 143 ] || fail "after SIGTERM the runtime exited $status, expected 143"
no_temp_dirs || fail "after SIGTERM the extracted copy was left: $(ls -A "$TMPDIR")"
pass "extract-and-run: SIGTERM forwarded, exit 143, cleaned up"

# The real condition: /dev/fuse replaced by /dev/null in a private mount namespace.
status=0
unshare -m sh -c 'mount --bind /dev/null /dev/fuse && exec "$@"' sh timeout 60 "$app" "${args[@]}" \
  >"$work/fallback.out" 2>"$work/fallback.err" || status=$?
expect_run "$work/fallback.out" "$status" "$extracted" '.*'
[ "$(wc -l <"$work/fallback.err")" = 1 ] && grep -q 'cannot mount the AppImage with FUSE.*extracted copy' "$work/fallback.err" \
  || fail "the fallback should say so in one line on stderr, it printed: $(cat "$work/fallback.err")"
no_temp_dirs || fail "the fallback left $(ls -A "$TMPDIR")"
pass "no usable /dev/fuse: one line on stderr, then extract-and-run ($(cat "$work/fallback.err"))"

# --- --appimage-extract, everything and by pattern
mkdir "$work/x1" && cd "$work/x1"
"$app" --appimage-extract >"$work/extract.out" || fail "--appimage-extract failed"
grep -qx 'squashfs-root/usr/share/greeting.txt' "$work/extract.out" || fail "--appimage-extract does not list what it extracted"
check_mode() { [ "$(stat -c %a "$1")" = "$2" ] || fail "$1 has mode $(stat -c %a "$1"), expected $2"; }
check_mode squashfs-root/AppRun 755
check_mode squashfs-root/usr/lib/tool.sh 755
check_mode squashfs-root/usr/share/greeting.txt 644
check_mode squashfs-root/usr/share/private 750
check_mode squashfs-root/usr/share/private/only-owner.txt 600
[ -L squashfs-root/usr/bin/tool ] && [ "$(readlink squashfs-root/usr/bin/tool)" = ../lib/tool.sh ] \
  || fail "usr/bin/tool is not the symlink ../lib/tool.sh"
cmp -s squashfs-root/usr/share/random.bin "$appdir/usr/share/random.bin" || fail "random.bin differs after extraction"
[ "$(squashfs-root/usr/bin/tool)" = tool-ran ] || fail "the extracted symlinked tool does not run"
# Extracting again over an earlier extraction replaces files rather than failing.
"$app" --appimage-extract >/dev/null || fail "a second --appimage-extract over the first failed"
mkdir "$work/x2" && cd "$work/x2"
"$app" --appimage-extract '*.txt' >"$work/pattern.out" || fail "--appimage-extract '*.txt' failed"
[ "$(sort "$work/pattern.out" | tr '\n' ' ')" = "squashfs-root/usr/share/greeting.txt squashfs-root/usr/share/private/only-owner.txt " ] \
  || fail "--appimage-extract '*.txt' extracted: $(cat "$work/pattern.out")"
[ "$(find squashfs-root -type f | wc -l)" = 2 ] && [ ! -e squashfs-root/AppRun ] || fail "the pattern extracted other files"
pass "--appimage-extract: modes, symlink, contents, listing; with a pattern only the matches"

# A full disk: the error names the cause, the status is non-zero, extract-and-run cleans up.
status=0
unshare -m sh -c 'mount -t tmpfs -o size=256k tmpfs "$1" && cd "$1" && exec "$2" --appimage-extract' sh "$work/x2" "$app" \
  >/dev/null 2>"$work/full.err" || status=$?
[ "$status" != 0 ] && grep -q 'No space left on device' "$work/full.err" || fail "extracting onto a full disk: status $status, $(cat "$work/full.err")"
status=0
LEFT=$work/left.txt unshare -m sh -c 'mount -t tmpfs -o size=256k tmpfs "$TMPDIR" && "$@"; s=$?; ls -A "$TMPDIR" >"$LEFT"; exit $s' \
  sh "$app" --appimage-extract-and-run 0 >/dev/null 2>"$work/full-run.err" || status=$?
[ "$status" != 0 ] && grep -q 'No space left on device' "$work/full-run.err" || fail "extract-and-run onto a full disk: status $status"
[ -s "$work/left.txt" ] && fail "extract-and-run onto a full disk left $(cat "$work/left.txt")"
pass "full disk: 'No space left on device', non-zero, nothing left behind"

# --- damaged and foreign files: clear errors, non-zero status.
expect_error() { # expect_error FILE MESSAGE_PATTERN [ARGS...]
  local file=$1 pattern=$2 status=0
  shift 2
  timeout 60 "./$file" "$@" >/dev/null 2>"$work/error.err" || status=$?
  [ "$status" != 0 ] || fail "$(basename "$file") $*: exited 0"
  grep -q "$pattern" "$work/error.err" || fail "$(basename "$file") $*: expected '$pattern', got: $(cat "$work/error.err")"
}
cd "$work"
cp "$runtime" bare.AppImage
expect_error bare.AppImage 'no squashfs image is appended' x
# (No file is named after the message it should produce: the message quotes the path.)
head -c $((offset + 8192)) "$app" >cut.AppImage && chmod +x cut.AppImage
expect_error cut.AppImage 'truncated: the squashfs image needs' x
expect_error cut.AppImage 'truncated: the squashfs image needs' --appimage-extract
{ cat "$runtime"; head -c 65536 /dev/urandom; } >garbage.AppImage && chmod +x garbage.AppImage
expect_error garbage.AppImage 'no squashfs image at offset' x
cp "$runtime" untyped.AppImage && printf '\0\0\0' | dd of=untyped.AppImage bs=1 seek=8 conv=notrunc status=none
expect_error untyped.AppImage 'not a type-2 AppImage' x
mkdir -p noapprun/usr && echo x >noapprun/usr/file
mksquashfs noapprun noapprun.sqfs -quiet -no-progress -noappend >/dev/null
cat "$runtime" noapprun.sqfs >noapprun.AppImage && chmod +x noapprun.AppImage
expect_error noapprun.AppImage 'has no AppRun' x
expect_error noapprun.AppImage 'has no AppRun' --appimage-extract-and-run x
wait_until 10 no_temp_dirs || fail "failed runs left $(ls -A "$TMPDIR")"
wait_until 10 no_processes || fail "processes named $app_name remain"
pass "bare runtime, truncated image, garbage after the ELF, no magic, no AppRun: clear errors"

$fuse_works || missing "FUSE does not mount here ($(cat "$work/fuse.err")): every other check passed"
echo "AppImage runtime: every check passed"
