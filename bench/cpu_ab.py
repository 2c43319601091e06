#!/usr/bin/env python3
"""CPU time per proxied request of two `quarry serve` builds, measured in alternating rounds: the
number to quote for a change to the request path, next to the instruction count.

The proxy bench's rps moves with how fast nginx and wrk happen to be in a run, and a lone run of
one build against the last one's numbers compares two different afternoons of a shared VM. Here
both builds serve at once in front of the same fixed-answer nginx "Bedrock"; each round loads one,
then the other (the order alternates), with the proxy bench's chat request at --connections for
--duration seconds, and divides the CPU the process used (user + system, /proc) by the requests it
answered. The ratio is taken within each round, so a slow spell of the machine falls on both.

  bench/cpu_ab.py --baseline OLD_BINARY [--quarry build/quarry] [--rounds 8] [--duration 6]

Prints each round and the median of --quarry's CPU per request over --baseline's (below 1: the
change made requests cheaper), and writes OUT/cpu_ab.json.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from proxy import QUARRY_PATH, run_wrk, start_nginx  # noqa: E402
from soak import BenchError, cpu_seconds, free_port, gateway_env, stop, wait_listening, write_config  # noqa: E402

CHAT_ANSWER = '"chat.completion"'


def start_serve(binary, work, name, upstream_port):
    port = free_port()
    config = os.path.join(work, name + "-config")
    write_config(config, port, upstream_port)
    with open(os.path.join(work, name + "-serve.log"), "w") as log:  # serve keeps its own copy
        serve = subprocess.Popen([binary, "serve", "--config", config, "--listen", "127.0.0.1:%d" % port],
                                 env=gateway_env(os.path.join(work, name + "-home")), stdout=log, stderr=log)
    wait_listening(port, serve, "quarry serve (%s)" % name)
    return serve, port


def cpu_per_request(serve, port, connections, duration, wrk_log):
    """One round's load on one build: (rps, µs of CPU per answered request)."""
    before = cpu_seconds(serve.pid)
    run = run_wrk(port, QUARRY_PATH, CHAT_ANSWER, connections, duration, wrk_log)
    used = cpu_seconds(serve.pid) - before
    if run["bad"] or not run["ok"]:
        raise BenchError("%d of %d answers were not chat completions" % (run["bad"], run["ok"] + run["bad"]))
    return run["rps"], used / run["ok"] * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the quarry binary to compare against")
    parser.add_argument("--quarry", default=os.path.join(ROOT, "build", "quarry"))
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--duration", type=int, default=6, help="seconds of load per build and round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            print("cpu_ab bench: needs %s (./dev bench installs it)" % tool, file=sys.stderr)
            return 2
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="quarry-bench-cpu-ab-")
    nginx = None
    builds = {}
    try:
        nginx, ports, _ = start_nginx(work, os.path.join(work, "nginx.log"))
        for name, binary in (("baseline", args.baseline), ("quarry", args.quarry)):
            builds[name] = start_serve(binary, work, name, ports["upstream"])
            cpu_per_request(*builds[name], args.connections, 2, os.path.join(work, "wrk.log"))  # warm-up
        results = {"baseline": [], "quarry": []}
        for round_number in range(args.rounds):
            order = ["baseline", "quarry"] if round_number % 2 == 0 else ["quarry", "baseline"]
            for name in order:
                rps, cpu = cpu_per_request(*builds[name], args.connections, args.duration,
                                           os.path.join(work, "wrk.log"))
                results[name].append({"rps": round(rps), "cpu_us_per_request": round(cpu, 2)})
                print("round %d %-8s %7.0f rps  %6.1f µs CPU per request" % (round_number + 1, name, rps, cpu),
                      flush=True)
        ratios = [q["cpu_us_per_request"] / b["cpu_us_per_request"]
                  for b, q in zip(results["baseline"], results["quarry"])]
        median = statistics.median(ratios)
        print("quarry / baseline CPU per request by round: %s (median %.3f)"
              % (", ".join("%.3f" % r for r in ratios), median))
        for name in ("baseline", "quarry"):
            print("%-8s median %.0f rps, %.1f µs CPU per request"
                  % (name, statistics.median(r["rps"] for r in results[name]),
                     statistics.median(r["cpu_us_per_request"] for r in results[name])))
        with open(os.path.join(out, "cpu_ab.json"), "w") as f:
            json.dump({"baseline": os.path.abspath(args.baseline), "quarry": os.path.abspath(args.quarry),
                       "connections": args.connections, "duration_s": args.duration, "rounds": results,
                       "ratios": [round(r, 3) for r in ratios], "median_ratio": round(median, 3)}, f, indent=2)
        return 0
    except BenchError as error:
        print("cpu_ab bench: %s" % error, file=sys.stderr)
        return 1
    finally:
        for serve, _ in builds.values():
            stop(serve)
        stop(nginx)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
