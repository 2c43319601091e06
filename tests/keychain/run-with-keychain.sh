#!/usr/bin/env bash
# Runs COMMAND... inside a private D-Bus session whose Secret Service is a fresh gnome-keyring
# (login collection unlocked with a throwaway password), with a throwaway HOME and XDG dirs, so
# the real QtKeychain can be tested without touching the user's own keyring.
# Usage: tests/keychain/run-with-keychain.sh COMMAND [ARGS...]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (apt install dbus gnome-keyring)" >&2; exit 2; }
done

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/quarry-keychain.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT
export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
       XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
# Not a desktop session: QtKeychain must pick the Secret Service, not guess KWallet.
unset DISPLAY WAYLAND_DISPLAY KDE_FULL_SESSION KDE_SESSION_VERSION XDG_CURRENT_DESKTOP DESKTOP_SESSION

# dbus-daemon complains it cannot raise its fd limit when not root-capable; that is harmless.
status=0
dbus-run-session -- bash -c '
    set -euo pipefail
    # Unlocking with a password creates the "login" collection, the default for new items.
    printf quarry-test-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    for _ in $(seq 100); do
        if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
               org.freedesktop.DBus.ListNames 2>/dev/null | grep -q "\"org.freedesktop.secrets\""; then
            exec "$@"
        fi
        sleep 0.1
    done
    echo "run-with-keychain.sh: gnome-keyring did not register org.freedesktop.secrets" >&2
    exit 3
' run-with-keychain "$@" 2> >(grep -v "Failed to set fd limit" >&2) || status=$?
exit "$status" # not exec: the EXIT trap must still remove the sandbox
