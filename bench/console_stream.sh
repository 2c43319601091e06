#!/usr/bin/env bash
# Console streaming benchmark: the window's GUI thread stays responsive while a 5,000-delta answer
# streams in. Runs tst_ui_console's longStreamKeepsTheEventLoopResponsive (offscreen) with the bound
# set, several times; each run's longest gap between 10 ms timer ticks must stay under it.
# The unit suite runs the same function without the bound: timing on a shared machine measures the
# load as much as the window, so run this on a quiet one (the load average is printed beside it).
#   bench/console_stream.sh [--runs 3] [--max-gap-ms 100] [--binary build/tests/tst_ui_console]
# Exit status: 0 every run under the bound, 1 a run froze longer (or failed), 2 could not run.
set -euo pipefail
runs=3 max_gap=100 binary=build/tests/tst_ui_console
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --max-gap-ms) max_gap=$2; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        *) echo "usage: $0 [--runs N] [--max-gap-ms MS] [--binary PATH]" >&2; exit 2 ;;
    esac
done
[ -x "$binary" ] || { echo "$binary not found: build it first (./dev build)" >&2; exit 2; }

status=0
for run in $(seq "$runs"); do
    load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
    rc=0
    out=$(QT_QPA_PLATFORM=offscreen QUARRY_BENCH_MAX_GAP_MS="$max_gap" \
          "$binary" longStreamKeepsTheEventLoopResponsive 2>&1) || rc=$?
    gap=$(printf '%s\n' "$out" | sed -n 's/.*longest gap between 10 ms ticks while streaming: \([0-9]*\) ms.*/\1/p')
    if [ "$rc" -eq 0 ]; then verdict=ok; else verdict=FAIL; status=1; fi
    echo "console_stream run $run/$runs: longest gap ${gap:-?} ms (bound ${max_gap} ms), load average $load: $verdict"
    [ "$rc" -eq 0 ] || printf '%s\n' "$out" | grep -E "FAIL!|Loc:" >&2 || true
done
exit "$status"
