#!/usr/bin/env bash
# Runs after every other test (a CTest fixture cleanup): no secret value the tests used may appear
# in anything the test run wrote — CTest's log of every test's output, and whatever the tests left
# under the build's Testing directory, including every integration test's process logs
# (Testing/Temporary/quarry-it/, written by quarry_harness.py). Each integration test's config dir
# is swept by quarry_harness.Quarry.close() before it is removed.
# Usage: no_secret_values.sh BUILD_DIR VALUES_FILE
set -euo pipefail
build=$1 values=$2
# A sweep over nothing would pass without looking: there must be something to look at.
if ! find "$build/Testing" -type f -name '*.log*' 2>/dev/null | grep -q .; then
    echo "nothing to sweep: no log under $build/Testing" >&2
    exit 1
fi
found=0 count=0
while IFS= read -r value; do
    [ -n "$value" ] && [ "${value#\#}" = "$value" ] || continue
    count=$((count + 1))
    # Names the file and the value's number in VALUES_FILE, never the value.
    if grep -rlF -- "$value" "$build/Testing" 2>/dev/null; then
        echo "secret value #$count of $values was written to the file(s) above" >&2
        found=1
    fi
done < "$values"
[ "$found" = 0 ] && echo "none of $count secret values in the test run's output ($(find "$build/Testing" -type f | wc -l) files)"
exit "$found"
