# Sourced by the tests/packaging checks: a tool the check needs. Without it the check cannot say
# anything: under CI=true that is a failure, elsewhere CTest shows the test as skipped (exit 77,
# SKIP_RETURN_CODE), naming the package that brings the tool.
#   require TOOL "how to get it"
require() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $1 is missing ($2)" >&2
    exit 1
  fi
  echo "SKIP: $1 is missing ($2)" >&2
  exit 77
}
