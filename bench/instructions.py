#!/usr/bin/env python3
"""Instructions per proxied request: the proxy bench's chat request through `quarry serve` under
Callgrind, counted in instructions (Ir) rather than time.

Timings on a shared VM move by ±30 % between runs; an instruction count does not, so this is the
number to compare before and after a change to the request path. It counts what every thread of
`quarry serve` executes in user space while the requests run (workers, the main thread's log and
the history thread's inserts), divided by the requests answered; system calls are not in it (the
proxy bench's CPU time per request has them).

Starts the proxy bench's fixed-answer nginx "Bedrock", then `quarry serve` under
`valgrind --tool=callgrind --instr-atstart=no`; warms up (connections, the signing key, SQLite),
switches instrumentation on, runs wrk at 4 connections for --duration seconds, switches it off and
prints Ir per request. Callgrind slows serve down about 50 times, so each request is alone on its
worker and every request gets its captures written (under real load only the newest of each batch
do): expect more per request here than the proxy bench's load costs.

  bench/instructions.py [--duration 5] [--quarry build/quarry] [--out build/bench] [--request anthropic]

--request anthropic sends an Anthropic Messages request shaped like Claude Code's instead (a system
prompt, a tool round trip and 20 tools with JSON schemas) to /bedrock/v1/messages, against the same
fixed Converse answer.

Writes OUT/instructions.json and keeps the Callgrind file (OUT/instructions.callgrind; read it with
`callgrind_annotate --inclusive=yes`); OUT/instructions-anthropic.* for --request anthropic.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from proxy import QUARRY_PATH, quarry_extra_manifests, run_wrk, start_nginx  # noqa: E402
from soak import BenchError, free_port, gateway_env, stop, wait_listening, write_config  # noqa: E402


def callgrind_control(flag, pid):
    subprocess.run(["callgrind_control", flag, str(pid)], check=True, capture_output=True, timeout=60)


def total_instructions(callgrind_file):
    """The `totals:` line Callgrind writes at the end of its file (its `summary:` header is written
    before the counting and says 0)."""
    with open(callgrind_file) as f:
        for line in f:
            match = re.match(r"totals:\s+(\d+)", line)
            if match:
                return int(match.group(1))
    raise BenchError("no totals in %s" % callgrind_file)


def anthropic_body(tools=20):
    """A Messages request as Claude Code sends one: its tools, each with a JSON schema, come every time."""
    schema = {"type": "object", "properties": {
        "path": {"type": "string", "description": "Absolute path of the file to work on."},
        "limit": {"type": "integer", "minimum": 1, "description": "How many lines to read at most."},
        "flags": {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}}},
        "required": ["path"], "additionalProperties": False}
    return json.dumps({
        "model": "", "max_tokens": 64, "stream": False,
        "system": [{"type": "text", "text": "You are a coding assistant working in a repository.",
                    "cache_control": {"type": "ephemeral"}}],
        "tools": [{"name": "tool_%d" % i, "description": "Reads or edits files (tool %d)." % i,
                   "input_schema": schema} for i in range(tools)],
        "messages": [
            {"role": "user", "content": "Read README.md."},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "tool_0",
                                               "input": {"path": "/repo/README.md", "limit": 40}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                          "content": [{"type": "text", "text": "# Quarry\nA local gateway."}]},
                                         {"type": "text", "text": "Summarise it in one word."}]}],
        "metadata": {"user_id": "bench"}}, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of instrumented load")
    parser.add_argument("--quarry", default=os.path.join(ROOT, "build", "quarry"))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    parser.add_argument("--request", choices=("chat", "anthropic"), default="chat")
    args = parser.parse_args()
    if args.request == "anthropic":
        path, expect, body, name = "/bedrock/v1/messages", '"type":"message"', anthropic_body(), "instructions-anthropic"
    else:
        path, expect, body, name = QUARRY_PATH, '"chat.completion"', "", "instructions"
    for tool in ("valgrind", "callgrind_control", "nginx", "wrk"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            print("instructions bench: needs %s (./dev bench installs it)" % tool, file=sys.stderr)
            return 2
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    callgrind_file = os.path.join(out, name + ".callgrind")
    work = tempfile.mkdtemp(prefix="quarry-bench-instructions-")
    nginx = serve = None
    try:
        nginx, ports, certs = start_nginx(work, os.path.join(out, "instructions-nginx.log"))
        gateway_port = free_port()
        config = os.path.join(work, "quarry-config")
        # The proxy bench's setup; its streaming backend is not used here.
        write_config(config, gateway_port, ports["upstream"], quarry_extra_manifests(ports["tls_upstream"], certs, 1))
        serve_log = open(os.path.join(out, "instructions-serve.log"), "w")
        serve = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                                  "--callgrind-out-file=" + callgrind_file, args.quarry, "serve", "--config", config,
                                  "--listen", "127.0.0.1:%d" % gateway_port],
                                 env=gateway_env(os.path.join(work, "home")), stdout=serve_log, stderr=serve_log)
        wait_listening(gateway_port, serve, "quarry serve under valgrind", timeout=120)
        wrk_log = os.path.join(out, "instructions-wrk.log")
        run_wrk(gateway_port, path, expect, 4, 2, wrk_log, body=body)  # warm-up, not counted
        callgrind_control("--instr=on", serve.pid)
        run = run_wrk(gateway_port, path, expect, 4, args.duration, wrk_log, body=body)
        callgrind_control("--instr=off", serve.pid)
        stop(serve)  # Callgrind writes its file as serve exits
        serve = None
        if run["bad"] or not run["ok"]:
            raise BenchError("%d of %d answers were not %s" % (run["bad"], run["ok"] + run["bad"], expect))
        instructions = total_instructions(callgrind_file)
        per_request = instructions / run["ok"]
        print("instructions: %d %s requests, %.0f instructions (Ir) per request in quarry serve"
              % (run["ok"], args.request, per_request))
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"requests": run["ok"], "instructions": instructions, "per_request": round(per_request)}, f,
                      indent=2)
        return 0
    except BenchError as error:
        print("instructions bench: %s" % error, file=sys.stderr)
        return 1
    finally:
        stop(serve)
        stop(nginx)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
