#!/usr/bin/env bash
# Runs the AppImage on a Debian 12 system that has no Qt: a minimal root (mmdebstrap, cached) holding
# only what every desktop has, which is exactly what packaging/linux/make-appdir.sh leaves out
# (SYSTEM_LIBS). The X server (Xvfb), the D-Bus session and gnome-keyring run outside the root, like
# a user's desktop session. Checks, once with FUSE and once without (the runtime's fallback):
#   - the window appears and draws (screenshot beside the AppImage: appimage-test-window-MODE.png);
#   - /proc/PID/maps: every Qt library and plugin, OpenSSL (loaded by a request to a TLS backend)
#     and libsecret (loaded at run time) come from the AppImage, even with decoys of another Qt and
#     OpenSSL where a user's system may have them;
#   - `serve --simulate` answers a chat request sent from outside the root;
#   - a Secret applied with the AppImage is stored through the bundled libsecret: the host's
#     secret-tool finds it, and `serve` signs with it (x-quarry-credentials).
#   test-appimage.sh APPIMAGE
# Needs root. Exits 77 when a tool it needs is missing or /dev/fuse is absent (a failure under
# CI=true, as every suite's skips).
set -euo pipefail
set -o errtrace
# set -e leaves silently from inside $(...) and pipelines: name the command that failed.
trap 'echo "test-appimage.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR

HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$HERE/../.." && pwd)

# The Debian root: the packages behind make-appdir.sh's SYSTEM_LIBS, and nothing else (no Qt, no
# OpenSSL 3, no libsecret, no xcb-util, no libxkbcommon). A library the AppImage needs but neither
# carries nor finds here fails the test. Keep the two lists in step.
ROOT_SUITE=bookworm
ROOT_VARIANT=essential # Essential:yes packages only (libc6, coreutils, bash): no apt, no OpenSSL
ROOT_PACKAGES=(
  libc6 libstdc++6 libgcc-s1
  libgl1 libegl1 libglx0 libopengl0 libdrm2 libgbm1
  libx11-6 libx11-xcb1 libxcb1
  libxcb-composite0 libxcb-damage0 libxcb-dpms0 libxcb-dri2-0 libxcb-dri3-0 libxcb-glx0
  libxcb-present0 libxcb-randr0 libxcb-record0 libxcb-render0 libxcb-res0 libxcb-screensaver0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xf86dri0 libxcb-xfixes0 libxcb-xinerama0
  libxcb-xinput0 libxcb-xkb1 libxcb-xtest0 libxcb-xv0 libxcb-xvmc0
  libfontconfig1 libfreetype6 fonts-dejavu-core
  libglib2.0-0 libdbus-1-3
)
# Libraries the root must not hold, so that the AppImage's copies are the only ones there are.
ROOT_FORBIDDEN=(libssl.so.3 libsecret-1.so.0 libQt6Core.so.6 libxkbcommon.so.0 libxcb-icccm.so.4)

TOOLS=(mmdebstrap unshare nsenter chroot Xvfb xdotool import identify dbus-run-session
       gnome-keyring-daemon secret-tool curl python3 unsquashfs timeout qtpaths6 xwininfo)

log() { printf '[test-appimage] %s\n' "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# The suites' convention: a missing tool skips (77) locally and fails under CI=true.
require_tools() {
  local tool missing=()
  for tool in "${TOOLS[@]}"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ "$(id -u)" -eq 0 ] || missing+=("root (for mmdebstrap, unshare and chroot)")
  [ ${#missing[@]} -eq 0 ] && return 0
  log "missing: ${missing[*]} (./dev package installs the tools)"
  [ "${CI:-}" = true ] && fail "CI=true requires every test to run"
  exit 77
}

# The host's own Debian sources (the machine may reach only its mirror): the .list/.sources files
# that name the suite. mmdebstrap pastes each file into the root's sources.list.
debian_sources() {
  local file found=0
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    if [ -f "$file" ] && grep -qw "$ROOT_SUITE" "$file"; then echo "$file"; found=1; fi
  done
  [ "$found" = 1 ] || fail "no apt source for Debian $ROOT_SUITE in /etc/apt: this test builds a Debian 12 root from it"
}

# Prints the root's path, building it when the package list changed (the key is in the name).
ensure_root() {
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/quarry key root
  key=$(printf '%s\n' "$ROOT_SUITE" "$ROOT_VARIANT" "${ROOT_PACKAGES[@]}" | sha256sum | cut -c1-16)
  root=$cache/appimage-root-$key
  if [ ! -f "$root/.complete" ]; then
    local start=$SECONDS list sources
    list=$(debian_sources) # not in <(...): its failure would go unnoticed
    mapfile -t sources <<<"$list"
    rm -rf "$root" "$root.tmp"
    mkdir -p "$cache"
    log "building the Debian $ROOT_SUITE root (once; cached in $root)"
    timeout 1200 mmdebstrap --quiet --mode=root --variant="$ROOT_VARIANT" \
      --include="$(IFS=,; echo "${ROOT_PACKAGES[*]}")" "$ROOT_SUITE" "$root.tmp" "${sources[@]}" >&2 \
      || fail "mmdebstrap could not build the root"
    touch "$root.tmp/.complete"
    mv "$root.tmp" "$root"
    find "$cache" -maxdepth 1 -name 'appimage-root-*' ! -name "appimage-root-$key" -exec rm -rf {} +
    log "root built in $((SECONDS - start)) s"
  fi
  local lib
  for lib in "${ROOT_FORBIDDEN[@]}"; do
    [ -z "$(find "$root/usr/lib" "$root/lib" -name "$lib" -print -quit 2>/dev/null)" ] \
      || fail "the root has $lib: it would hide a library missing from the AppImage"
  done
  echo "$root"
}

# Runs inside `unshare --mount`: a read-only view of ROOT with fresh /proc, /dev, /tmp, the host's
# X11 and D-Bus sockets, the work directory at /tmp/work, the image at /tmp/Quarry.AppImage and the
# decoy libraries (make_decoys) in /usr/local/lib; then ENV... COMMAND... in it. /dev/fuse is there
# only when FUSE is yes. Nothing leaks to the host: the mounts end with the namespace.
enter_root() { # ROOT FUSE WORK IMAGE DBUS_SOCKET ENV... COMMAND...
  set -euo pipefail
  local root=$1 fuse=$2 work=$3 image=$4 bus=$5 node
  shift 5
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
  for node in null zero full random urandom tty; do
    touch "$root/dev/$node"; mount --bind "/dev/$node" "$root/dev/$node"
  done
  if [ "$fuse" = yes ]; then touch "$root/dev/fuse"; mount --bind /dev/fuse "$root/dev/fuse"; fi
  mkdir "$root/dev/shm"; mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  mkdir "$root/tmp/.X11-unix" "$root/tmp/work"
  mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
  mount --bind "$work" "$root/tmp/work"
  mount --bind "$work/decoy/lib" "$root/usr/local/lib"
  touch "$root/tmp/Quarry.AppImage"; mount --bind "$image" "$root/tmp/Quarry.AppImage"
  mkdir -p "$root$(dirname "$bus")"; touch "$root$bus"; mount --bind "$bus" "$root$bus"
  exec chroot "$root" /usr/bin/env -i "$@"
}

# ---- Everything below runs inside the private D-Bus session (tests/keychain/run-with-keychain.sh).

# root_command SECONDS FUSE COMMAND...: sets ROOT_CMD to the command running COMMAND in the root,
# killed after SECONDS, with a desktop session's environment (QT_PLUGIN_PATH: see make_decoys). One
# process: timeout, then unshare, bash, chroot, env and the AppImage each exec the next, so a signal
# to it reaches the app.
root_command() {
  local seconds=$1 fuse=$2
  shift 2
  ROOT_CMD=(timeout "$seconds" unshare --mount --propagation private --
    bash -c "$(declare -f enter_root); enter_root \"\$@\"" enter_root
    "$ROOT" "$fuse" "$WORK" "$IMAGE" "$BUS_SOCKET"
    PATH=/usr/bin:/bin HOME=/tmp/work/home XDG_RUNTIME_DIR=/tmp/work/run LANG=C.UTF-8
    DISPLAY="$DISPLAY" DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS"
    QT_PLUGIN_PATH=/tmp/work/decoy/qt-plugins QUARRY_CONFIG_DIR="/tmp/work/config-$MODE"
    "$@")
}

in_root() { # SECONDS FUSE COMMAND...: runs it and waits
  root_command "$@"
  "${ROOT_CMD[@]}"
}

# start_in_root LOG SECONDS FUSE COMMAND...: starts it in the background (its pid in STARTED, and
# in RUNNING for the EXIT trap to stop).
start_in_root() {
  local log=$1
  shift
  root_command "$@"
  "${ROOT_CMD[@]}" >"$log" 2>&1 &
  STARTED=$!
  RUNNING+=("$STARTED")
}

# What the AppImage is started as inside the root.
app() { echo /tmp/Quarry.AppImage; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# PID and all its descendants.
process_tree() { # PID
  ps -e -o pid=,ppid= | awk -v top="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q in parent && q != top) q = parent[q]; if (q == top) print p } }'
}

# The quarry process among PID's descendants (the runtime and AppRun may sit between), waiting up to
# SECONDS for it.
quarry_pid() { # PID SECONDS
  local deadline=$((SECONDS + $2)) pid
  while [ $SECONDS -lt $deadline ]; do
    for pid in $(process_tree "$1"); do
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = quarry ] && { echo "$pid"; return 0; }
    done
    sleep 0.2
  done
  return 1
}

# Stops a process this script started: TERM (the runtime passes it on to the app), then, after a
# deadline, KILL to it and every process under it.
stop() { # PID
  kill -0 "$1" 2>/dev/null || return 0
  local deadline=$((SECONDS + 15)) tree
  tree=$(process_tree "$1")
  kill -TERM "$1" 2>/dev/null || true
  while kill -0 "$1" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  local status=0
  if kill -0 "$1" 2>/dev/null; then
    log "${MODE:-}: pid $1 did not end within 15 s of SIGTERM; killing it"
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $tree 2>/dev/null || true
    status=1
  fi
  wait "$1" 2>/dev/null || true
  return "$status"
}

# Runs COMMAND... as seen by process PID: its mount namespace and root, so paths are the root's.
as_seen_by() { # PID COMMAND...
  local pid=$1
  shift
  nsenter --target "$pid" --mount --root --wd "$@"
}

# Where the running quarry's AppDir is (the runtime's mount or extraction), seen from inside its root.
appdir_of() { # PID
  local exe
  exe=$(as_seen_by "$1" readlink "/proc/$1/exe")
  dirname "$(dirname "$(dirname "$exe")")"
}

# Every Qt library and plugin the process has mapped, and libssl, libcrypto, libsecret, must come
# from the AppDir; so must any other library the AppDir carries, unless a system library needs it too
# and the loader took the system's copy for it first (libdbus -> libsystemd -> libgcrypt). REQUIRED...
# must be mapped from the AppDir, so the check cannot pass on a process that loaded nothing.
check_maps() { # PID REQUIRED...
  local pid=$1 appdir maps file soname name status=0
  shift
  appdir=$(appdir_of "$pid")
  maps=$(as_seen_by "$pid" cat "/proc/$pid/maps" | awk '$6 ~ /\.so/ { print $6 }' | sort -u)
  local bundled outside system_needs
  bundled=$(find "/proc/$pid/root$appdir/usr/lib" "/proc/$pid/root$appdir/usr/plugins" -name '*.so*' -printf '%f\n')
  [ -n "$bundled" ] || fail "$MODE: nothing found in $appdir/usr/lib"
  outside=$(grep -v "^$appdir/" <<<"$maps" || true)
  system_needs=$(while IFS= read -r file; do
    [ -z "$file" ] || objdump -p "/proc/$pid/root$file" | awk '$1 == "NEEDED" { print $2 }'
  done <<<"$outside" | sort -u)
  while IFS= read -r file; do
    [ -n "$file" ] || continue
    soname=$(objdump -p "/proc/$pid/root$file" | awk '$1 == "SONAME" { print $2 }')
    if [[ $file == */plugins/* ]] || [[ $soname =~ ^lib(Qt6.*|qt6keychain|ssl|crypto|secret-1)\.so ]] \
        || { grep -qxF "$soname" <<<"$bundled" && ! grep -qxF "$soname" <<<"$system_needs"; }; then
      log "$MODE: $soname is loaded from $file, not from the AppImage ($appdir)"; status=1
    fi
  done <<<"$outside"
  for name in "$@"; do
    grep -q "^$appdir/.*/$name\$" <<<"$maps" || { log "$MODE: $name is not loaded from $appdir"; status=1; }
  done
  [ "$status" = 0 ] || fail "$MODE: libraries from outside the AppImage (maps of pid $pid above)"
  # Which launch path ran: the runtime's FUSE mount, or an extracted copy.
  local fs
  # mountinfo: ID PARENT DEV ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE ...
  fs=$(as_seen_by "$pid" cat "/proc/$pid/mountinfo" \
    | awk -v dir="$appdir" '$5 == dir { for (i = 6; i < NF; i++) if ($i == "-") { print $(i + 1); break } }')
  case "$MODE:$fs" in
    fuse:fuse*) ;;
    fuse:*) fail "fuse: the AppImage did not run from a FUSE mount at $appdir (${fs:-no mount}): it fell back to extracting" ;;
    *:fuse*) fail "$MODE: /dev/fuse is hidden, yet the AppImage ran from a FUSE mount" ;;
  esac
  log "$MODE: $(wc -l <<<"$maps") shared objects mapped, no bundled one taken from the system (AppDir $appdir, ${fs:-not a mount})"
}

painted() { # PNG
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.02 else 1)' \
    "$(identify -format '%[fx:standard_deviation]' "$1")"
}

# The window's config: its Gateway on a free port (a Quarry already on 8080 is no obstacle), and a
# backend whose host is not this machine, so a request to it goes out over TLS (the host never
# resolves: .invalid). That loads Qt's OpenSSL backend and libssl, which check_maps then locates.
write_gui_config() { # PORT FILE
  cat >"$2" <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: agentgateway
spec:
  gatewayClassName: agentgateway
  listeners:
  - name: http
    port: $1
    protocol: HTTP
---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: tls-probe
  namespace: agentgateway-system
spec:
  ai:
    provider:
      host: tls-probe.invalid
      port: 443
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-east-1
  policies:
    auth:
      key: not-a-real-key
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: tls-probe
  namespace: agentgateway-system
spec:
  parentRefs:
  - name: agentgateway
    namespace: agentgateway-system
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /tls-probe
    backendRefs:
    - name: tls-probe
      namespace: agentgateway-system
      group: agentgateway.dev
      kind: AgentgatewayBackend
EOF
}

check_window() {
  local port pid top wid deadline shot status
  port=$(free_port)
  write_gui_config "$port" "$WORK/gui.yaml"
  in_root 120 "$FUSE" "$(app)" apply -f /tmp/work/gui.yaml >"$WORK/apply-gui.log" 2>&1 \
    || { cat "$WORK/apply-gui.log" >&2; fail "$MODE: apply of the window's config failed"; }
  start_in_root "$WORK/gui-$MODE.log" 600 "$FUSE" "$(app)"
  top=$STARTED
  pid=$(quarry_pid "$top" 60) || { cat "$WORK/gui-$MODE.log" >&2; fail "$MODE: quarry did not start within 60 s"; }
  # Its own window (_NET_WM_PID), not one another process left behind.
  deadline=$((SECONDS + 90))
  wid=
  while [ -z "$wid" ] && [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
    wid=$(xdotool search --onlyvisible --pid "$pid" --class quarry 2>/dev/null | head -1) || true
    [ -n "$wid" ] || sleep 0.5
  done
  [ -n "$wid" ] || { cat "$WORK/gui-$MODE.log" >&2; fail "$MODE: no Quarry window appeared (deadline 90 s; log above)"; }
  # A window that drew its pages is not one flat colour; until the first paint it is black.
  shot=$OUT_DIR/appimage-test-window-$MODE.png
  deadline=$((SECONDS + 30))
  until timeout 30 import -window "$wid" "$shot" && painted "$shot"; do
    [ $SECONDS -lt $deadline ] || { xwininfo -root -tree >&2; fail "$MODE: window $wid stayed blank for 30 s ($shot)"; }
    sleep 1
  done
  # The gateway inside the window tries the TLS backend: it cannot resolve the host (502), but the
  # TLS stack is loaded by then.
  status=$(curl -s -m 30 -o "$WORK/tls-probe-$MODE.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"model": "", "messages": [{"role": "user", "content": "TLS probe"}]}' \
    "http://127.0.0.1:$port/tls-probe/v1/chat/completions") || true
  [ "$status" = 502 ] || fail "$MODE: the TLS probe route answered ${status:-nothing}: $(cat "$WORK/tls-probe-$MODE.json" 2>/dev/null)"
  check_maps "$pid" libQt6Core.so.6 libQt6Widgets.so.6 libqxcb.so libQt6XcbQpa.so.6 libxkbcommon.so.0 \
    libqopensslbackend.so libssl.so.3 libcrypto.so.3
  log "$MODE: the window appeared ($shot)"
  stop "$top" || fail "$MODE: the window did not close on SIGTERM"
}

check_serve_and_secret() {
  local port pid top deadline headers body
  # A Secret for the first-run backend (bedrock, secretRef bedrock-secret), with values made up now
  # and handed over on stdin: they never touch the disk (bash 5.1+ feeds a short here-string through
  # a pipe).
  local access_key secret_key manifest
  access_key=AKIA$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  secret_key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  manifest=$(cat <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: bedrock-secret
  namespace: agentgateway-system
type: Opaque
stringData:
  accessKey: $access_key
  secretKey: $secret_key
EOF
)
  in_root 120 "$FUSE" "$(app)" apply -f - <<<"$manifest" >"$WORK/apply-secret.log" 2>&1 \
    || { cat "$WORK/apply-secret.log" >&2; fail "$MODE: apply of a Secret failed"; }
  # The host's libsecret finds the item the AppImage's libsecret stored (compared, never printed).
  timeout 20 secret-tool lookup server Quarry user secret/agentgateway-system/bedrock-secret \
    | EXPECTED=$secret_key python3 -c 'import json, os, sys; sys.exit(0 if json.load(sys.stdin).get("secretKey") == os.environ["EXPECTED"] else 1)' \
    || fail "$MODE: the host's keychain has no item with the applied Secret's value"

  port=$(free_port)
  start_in_root "$WORK/serve-$MODE.log" 600 "$FUSE" "$(app)" serve --simulate --listen "127.0.0.1:$port"
  top=$STARTED
  deadline=$((SECONDS + 60))
  until grep -qs 'listening on' "$WORK/serve-$MODE.log"; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$top" 2>/dev/null; then
      cat "$WORK/serve-$MODE.log" >&2; fail "$MODE: serve did not listen within 60 s"
    fi
    sleep 0.2
  done
  pid=$(quarry_pid "$top" 10) || fail "$MODE: serve is listening but no quarry process is found"
  headers=$WORK/headers-$MODE
  body=$(curl -sS -m 30 -D "$headers" -H 'Content-Type: application/json' \
    -d '{"model": "", "messages": [{"role": "user", "content": "Hello from the AppImage test"}]}' \
    "http://127.0.0.1:$port/bedrock/v1/chat/completions") || fail "$MODE: no answer from serve"
  grep -q '^HTTP/1.1 200' "$headers" || fail "$MODE: serve answered $(head -1 "$headers"): $body"
  grep -q 'Simulated reply from amazon.titan-text-lite-v1' <<<"$body" || fail "$MODE: unexpected answer: $body"
  grep -qi '^x-quarry-credentials: secret agentgateway-system/bedrock-secret' "$headers" \
    || fail "$MODE: serve did not sign with the applied Secret: $(grep -i '^x-quarry-credentials' "$headers")"
  check_maps "$pid" libQt6Core.so.6 libQt6Network.so.6 libqt6keychain.so.1 libsecret-1.so.0
  log "$MODE: serve answered a chat request, signed with the Secret read through the bundled libsecret"
  stop "$top" || fail "$MODE: serve did not stop on SIGTERM"
}

# What a user's system may have that the AppImage must not pick up instead of its own, copied from
# this host: Qt plugins of another Qt on QT_PLUGIN_PATH (some sessions set it), and OpenSSL in a
# directory Qt scans for it (/usr/local/lib here; like /usr/lib on Arch, or libssl-dev's libssl.so).
# check_maps fails if the app maps any of them.
make_decoys() { # DIR
  local lib path
  mkdir -p "$1/qt-plugins" "$1/lib"
  cp -r "$(qtpaths6 --query QT_INSTALL_PLUGINS)/platforms" "$1/qt-plugins/"
  for lib in libssl.so.3 libcrypto.so.3; do
    path=$(ldconfig -p | awk -v name="$lib" '$1 == name && /x86-64/ && !found { print $NF; found = 1 }')
    [ -n "$path" ] || fail "$lib is not installed on this host (apt install libssl3): it is needed as a decoy"
    cp "$path" "$1/lib/$lib"
    ln -s "$lib" "$1/lib/${lib%.3}"
  done
}

# Inside the D-Bus session: Xvfb, then the checks in each launch mode.
run_checks() {
  ROOT=$1 IMAGE=$2 OUT_DIR=$3
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/quarry-appimage-test.XXXXXX")
  RUNNING=()
  # Newest first: the apps, then Xvfb.
  trap 'status=$?; for ((i = ${#RUNNING[@]} - 1; i >= 0; i--)); do stop "${RUNNING[i]}" || true; done; rm -rf "$WORK"; exit $status' EXIT
  mkdir -p "$WORK/home" "$WORK/run"
  chmod 700 "$WORK/run"
  make_decoys "$WORK/decoy"
  BUS_SOCKET=$(sed -n 's/^unix:path=\([^,]*\).*/\1/p' <<<"$DBUS_SESSION_BUS_ADDRESS")
  [ -S "$BUS_SOCKET" ] || fail "the session bus is not a socket file: $DBUS_SESSION_BUS_ADDRESS"

  Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log" &
  RUNNING+=($!)
  local deadline=$((SECONDS + 30))
  until [ -s "$WORK/display" ]; do
    [ $SECONDS -lt $deadline ] || { cat "$WORK/xvfb.log" >&2; fail "Xvfb did not start within 30 s"; }
    sleep 0.1
  done
  DISPLAY=:$(cat "$WORK/display")
  export DISPLAY

  local modes=(fuse nofuse) skipped=false
  for MODE in "${modes[@]}"; do
    FUSE=no
    [ "$MODE" = fuse ] && FUSE=yes
    if [ "$FUSE" = yes ] && [ ! -c /dev/fuse ]; then
      [ "${CI:-}" = true ] && fail "CI=true: /dev/fuse is missing, the FUSE launch path cannot be tested"
      log "fuse: SKIPPED: /dev/fuse is missing on this machine"
      skipped=true
      continue
    fi
    local start=$SECONDS
    check_window
    check_serve_and_secret
    log "$MODE: passed in $((SECONDS - start)) s"
  done
  if $skipped; then exit 77; fi
}

main() {
  [ $# -eq 1 ] || { echo "usage: $0 APPIMAGE" >&2; exit 2; }
  local image
  image=$(realpath "$1")
  [ -f "$image" ] || fail "$1 does not exist"
  require_tools
  local start=$SECONDS root
  root=$(ensure_root)
  log "testing $image in $root"
  # The keychain session replaces HOME and the XDG dirs with throwaway ones, so the root (in the
  # user's cache) is found before entering it.
  local status=0
  "$SOURCE_DIR/tests/keychain/run-with-keychain.sh" "$HERE/$(basename "$0")" --in-session "$root" "$image" \
    "$(dirname "$image")" || status=$?
  case "$status" in
    0) log "passed in $((SECONDS - start)) s" ;;
    77) log "passed what it could run in $((SECONDS - start)) s; skipped a part (above)" ;;
  esac
  exit "$status"
}

if [ "${1:-}" = --in-session ]; then
  shift
  # run-with-keychain.sh filters stderr through a pipe that holds lines back until it ends; stdout
  # keeps the progress lines in order.
  exec 2>&1
  run_checks "$@"
else
  main "$@"
fi
