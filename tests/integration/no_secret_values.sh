#!/usr/bin/env bash
# Runs after every other test (a CTest fixture cleanup): no secret value the tests used may appear
# in anything the test run wrote — CTest's log of every test's output, and whatever the tests left
# under the build's Testing directory.
# Usage: no_secret_values.sh BUILD_DIR VALUES_FILE
set -euo pipefail
build=$1 values=$2
found=0
while IFS= read -r value; do
    [ -n "$value" ] && [ "${value#\#}" = "$value" ] || continue
    if grep -rlF -- "$value" "$build/Testing" 2>/dev/null; then
        echo "a secret value used by the tests was written to the file(s) above" >&2
        found=1
    fi
done < "$values"
[ "$found" = 0 ] && echo "no secret value in the test run's output"
exit "$found"
