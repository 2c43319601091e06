#!/usr/bin/env sh
# Fails when a test can skip in a way CTest would count as a pass. Suites skip only through
# QUARRY_REQUIRE (TestSupport.h) with a QUARRY_TEST_*MAIN main, or quarry_harness.require with
# quarry_harness.main(): those exit 77 (SKIP_RETURN_CODE) locally and fail under CI=true. A raw
# QSKIP, unittest skip or node:test skip exits 0 and would read as passed.
# Usage: check_skips.sh TESTS_DIR
set -eu
tests=$1
status=0
if grep -rnE 'QSKIP[(]|skipTest|skipIf|skipUnless|unittest[.]skip|SkipTest|[.]skip[(]|skip: ' \
        --include='*.cpp' --include='*.h' --include='*.py' --include='*.mjs' --include='*.js' \
        --exclude=TestSupport.h --exclude=quarry_harness.py --exclude-dir=node_modules "$tests"; then
    echo "raw skips above: use QUARRY_REQUIRE (tests/support/TestSupport.h) or quarry_harness.require" >&2
    status=1
fi
for file in $(grep -rlF 'QUARRY_REQUIRE(' --include='*.cpp' "$tests" || true); do
    if ! grep -qE 'QUARRY_TEST_(GUILESS_)?MAIN[(]' "$file"; then
        echo "$file: QUARRY_REQUIRE needs QUARRY_TEST_MAIN or QUARRY_TEST_GUILESS_MAIN (exit 77 on skip)" >&2
        status=1
    fi
done
for file in $(grep -rlE 'require[(]' --include='test_*.py' "$tests" || true); do
    if ! grep -qF 'from quarry_harness import main' "$file"; then
        echo "$file: quarry_harness.require needs quarry_harness.main() (exit 77 on skip)" >&2
        status=1
    fi
done
[ "$status" = 0 ] && echo "every skip goes through TestSupport or quarry_harness"
exit "$status"
