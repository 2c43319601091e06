#!/usr/bin/env bash
# Runs COMMAND... inside a private D-Bus session with NO keychain: the bus has no service files,
# so nothing (not even gnome-keyring, via D-Bus activation) can provide org.freedesktop.secrets
# or KWallet. Throwaway HOME and XDG dirs, so a plain-text fallback would be caught, not kept.
# Usage: tests/keychain/run-without-keychain.sh COMMAND [ARGS...]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
command -v dbus-run-session >/dev/null || { echo "$0: dbus-run-session not found (apt install dbus)" >&2; exit 2; }

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/quarry-nokeychain.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT
export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
       XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY KDE_FULL_SESSION KDE_SESSION_VERSION XDG_CURRENT_DESKTOP DESKTOP_SESSION

# The stock session.conf lists the standard service directories, where gnome-keyring's
# org.freedesktop.secrets.service would be auto-started; this one lists none.
cat > "$sandbox/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$XDG_RUNTIME_DIR</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

status=0
dbus-run-session --config-file="$sandbox/session.conf" -- "$@" \
    2> >(grep -v "Failed to set fd limit" >&2) || status=$?
exit "$status" # not exec: the EXIT trap must still remove the sandbox
