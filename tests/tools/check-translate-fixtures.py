#!/usr/bin/env python3
"""Checks the translation fixtures (tests/data/translate) with code not written in Quarry.

1. Every requests/*.converse.json (the Converse body Quarry must send) is a valid Converse input
   for botocore's own bedrock-runtime service model (ParamValidator: unknown or misspelt members,
   wrong types, missing required members, length limits).
2. The tool names Bedrock cannot take (requests/tools-named-choice) are mapped as the documented
   scheme says - first 55 characters with [^A-Za-z0-9_-] as '_', '_', 8 hex digits of SHA-256 -
   recomputed here with hashlib, not with Quarry's ToolNameMapper.

Needs botocore with the bedrock-runtime model (1.31.57 or later; Debian 12's 1.29 predates it):
    python3 -m pip install 'botocore>=1.31.57'; python3 tests/tools/check-translate-fixtures.py
"""
import hashlib
import json
import pathlib
import re
import sys

import botocore.session
from botocore.validate import ParamValidator

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "translate"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def converse_bodies_are_valid():
    session = botocore.session.get_session()
    if "bedrock-runtime" not in session.get_available_services():
        sys.exit(f"botocore {botocore.__version__} has no bedrock-runtime model: install botocore>=1.31.57")
    shape = session.get_service_model("bedrock-runtime").operation_model("Converse").input_shape
    problems = []
    for path in sorted((DATA / "requests").glob("*.converse.json")):
        body = load(path)
        body["modelId"] = "m"  # a path label in the real request, required by the model
        report = ParamValidator().validate(body, shape)
        if report.has_errors():
            problems.append(f"{path.name}: {report.generate_report()}")
        else:
            print(f"ok   {path.name} is a valid Converse input")
    return problems


def mapped_tool_name(name):
    if 0 < len(name) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", name):
        return name
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", name[:55])
    return cleaned + "_" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def tool_names_are_mapped():
    client = load(DATA / "requests" / "tools-named-choice.openai.json")
    converse = load(DATA / "requests" / "tools-named-choice.converse.json")
    expected = [mapped_tool_name(tool["function"]["name"]) for tool in client["tools"]]
    actual = [tool["toolSpec"]["name"] for tool in converse["toolConfig"]["tools"]]
    chosen = mapped_tool_name(client["tool_choice"]["function"]["name"])
    problems = []
    if actual != expected:
        problems.append(f"tools-named-choice: tool names {actual}, hashlib says {expected}")
    if converse["toolConfig"]["toolChoice"]["tool"]["name"] != chosen:
        problems.append(f"tools-named-choice: toolChoice is not {chosen}")
    if not problems:
        print("ok   tools-named-choice: mapped tool names agree with hashlib")
    return problems


def main():
    problems = converse_bodies_are_valid() + tool_names_are_mapped()
    for problem in problems:
        print(f"FAIL {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
