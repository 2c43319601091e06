#!/bin/sh
# The JavaScript packages the tests use (the OpenAI, Anthropic and AWS SDKs, Ajv, cel-js), pinned by
# package-lock.json: installed from the npm registry when missing, again whenever the lock file
# changed. ./dev test runs it before building; CTest runs it first (the js_packages fixture), so a
# plain ctest on a new checkout has them too.
set -eu
cd "$(dirname "$0")"
stamp=node_modules/.quarry-lock
if cmp -s package-lock.json "$stamp" 2>/dev/null; then
  exit 0
fi
echo "installing test packages from the npm registry (tests/js)" >&2
"${QUARRY_NPM:-npm}" ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
