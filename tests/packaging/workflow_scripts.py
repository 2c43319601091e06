#!/usr/bin/env python3
"""Writes each `run:` block of GitHub workflow files to its own script file, for shellcheck.

The shell is the one GitHub would use: the step's `shell`, else the job's or the workflow's
`defaults.run.shell`, else bash (pwsh on Windows runners). bash and sh blocks are written as
OUT_DIR/<workflow>.<job>.<step number>.<bash|sh>, starting with the options GitHub runs them with
(bash --noprofile --norc -eo pipefail; sh -e); ${{ … }} expressions become a plain word, as
actionlint does before it calls shellcheck. Other shells (pwsh) are counted, not written.

Usage: workflow_scripts.py OUT_DIR WORKFLOW.yml...
"""
import os
import re
import sys

import yaml


def shell_of(step, job, workflow):
    for source in (step, (job.get("defaults") or {}).get("run") or {}, (workflow.get("defaults") or {}).get("run") or {}):
        if source.get("shell"):
            return source["shell"]
    return "pwsh" if "windows" in str(job.get("runs-on", "")) else "bash"


def main():
    out_dir, files = sys.argv[1], sys.argv[2:]
    written = other = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            workflow = yaml.safe_load(f)
        name = os.path.splitext(os.path.basename(path))[0]
        for job_id, job in (workflow.get("jobs") or {}).items():
            for number, step in enumerate(job.get("steps") or [], start=1):
                if "run" not in step:
                    continue
                shell = shell_of(step, job, workflow).split()[0]
                if shell not in ("bash", "sh"):
                    other += 1
                    continue
                body = re.sub(r"\$\{\{.*?\}\}", "GITHUB_EXPRESSION", step["run"], flags=re.S)
                header = "#!/usr/bin/env bash\nset -eo pipefail\n" if shell == "bash" else "#!/bin/sh\nset -e\n"
                with open(os.path.join(out_dir, f"{name}.{job_id}.{number}.{shell}"), "w", encoding="utf-8") as f:
                    f.write(header + body)
                written += 1
    print(f"workflow_scripts.py: {written} bash/sh run blocks written; {other} in other shells (pwsh) not checked here")


if __name__ == "__main__":
    main()
