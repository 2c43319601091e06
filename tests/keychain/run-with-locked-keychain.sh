#!/usr/bin/env bash
# Runs COMMAND... inside a private D-Bus session whose Secret Service (gnome-keyring) is running
# but LOCKED, and whose unlock prompt can never be answered: the way a fresh HOME with an
# autolaunched session bus, or a headless Xvfb session, leaves the keychain. Keychain calls that
# need the prompt never complete; nothing answers "denied" either.
# Usage: tests/keychain/run-with-locked-keychain.sh COMMAND [ARGS...]
# In the session: the login collection exists, is locked, and holds one item in QtKeychain's
# format, Quarry's first-run secret (service Quarry, key secret/agentgateway-system/bedrock-secret,
# a placeholder value), so reading it must prompt, as reading a saved secret does after a reboot.
# (With no matching item gnome-keyring answers "not found" at once without prompting; creating an
# item in the locked collection prompts too.)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
for tool in dbus-run-session gnome-keyring-daemon dbus-send dbus-monitor secret-tool; do
    command -v "$tool" >/dev/null || {
        echo "$0: $tool not found (apt install dbus gnome-keyring libsecret-tools)" >&2; exit 2; }
done

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/quarry-lockedkeychain.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT
export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
       XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$sandbox/services"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY KDE_FULL_SESSION KDE_SESSION_VERSION XDG_CURRENT_DESKTOP DESKTOP_SESSION

# The only activatable service is gnome-keyring's prompter, and it never comes up: its Exec
# connects to the bus without claiming the name (and exits with the bus), so the daemon's
# request for a prompt waits like one shown on a screen nobody looks at. With no prompter at all
# gnome-keyring fails fast instead (a case that already works).
cat > "$sandbox/never-prompter" <<'SH'
#!/bin/sh
exec dbus-monitor --session "type='signal',interface='org.quarry.Never'" >/dev/null 2>&1
SH
chmod +x "$sandbox/never-prompter"
cat > "$sandbox/services/org.gnome.keyring.SystemPrompter.service" <<SVC
[D-BUS Service]
Name=org.gnome.keyring.SystemPrompter
Exec=$sandbox/never-prompter
SVC
cat > "$sandbox/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$XDG_RUNTIME_DIR</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$sandbox/services</servicedir>
  <limit name="service_start_timeout">3600000</limit>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

status=0
dbus-run-session --config-file="$sandbox/session.conf" -- bash -c '
    set -euo pipefail
    has_secrets() {
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.ListNames 2>/dev/null | grep -q "\"org.freedesktop.secrets\""
    }
    wait_for() { for _ in $(seq 100); do if "$@"; then return 0; fi; sleep 0.1; done; return 1; }
    gone() { ! has_secrets; }
    # 1. Create the login keyring (unlocked with a throwaway password) and one item in it.
    printf quarry-test-pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
    first=$!
    wait_for has_secrets || { echo "run-with-locked-keychain.sh: gnome-keyring did not start" >&2; exit 3; }
    printf "{\"Authorization\":\"Bearer placeholder-in-a-locked-keyring\"}" |
        secret-tool store --label=quarry-locked-item xdg:schema org.qt.keychain \
            server Quarry user secret/agentgateway-system/bedrock-secret type plaintext
    kill "$first"; wait "$first" || true
    wait_for gone || { echo "run-with-locked-keychain.sh: first gnome-keyring did not stop" >&2; exit 3; }
    # 2. Start it again with nothing to unlock it: the keyring on disk stays locked.
    gnome-keyring-daemon --foreground --components=secrets </dev/null >/dev/null 2>&1 &
    daemon=$!
    wait_for has_secrets || { echo "run-with-locked-keychain.sh: gnome-keyring did not restart" >&2; exit 3; }
    rc=0; "$@" || rc=$?
    kill "$daemon" 2>/dev/null || true
    exit "$rc"
' run-with-locked-keychain "$@" 2> >(grep -v "Failed to set fd limit" >&2) || status=$?
exit "$status" # not exec: the EXIT trap must still remove the sandbox
