#!/usr/bin/env python3
"""Proxy benchmark: what the gateway adds to a non-stream chat request, next to nginx as the floor.

Starts, on free loopback ports, one nginx with two servers: a fixed-answer "Bedrock" that returns a
Converse JSON answer to every `POST /model/{id}/converse` (no signature check), and a reverse proxy
in front of it (keep-alive upstream connections). Then `quarry serve` with a backend pointed at the
same fixed-answer server through the provider host/port override; no auth policy, so the AWS
default credential chain (dummy static keys in the environment) signs the requests.

Each target is loaded with wrk (bench/proxy.lua, one OpenAI chat body) at 32 connections and at 1
connection: (a) the upstream direct, (b) the nginx proxy, (c) Quarry. The three take turns, --rounds
times (3), so that a slow spell of a shared machine falls on all of them alike rather than on
whichever ran then. Prints one table of each target's medians over the rounds (rps @32, p50 @32,
p50 @1, p50 @1 added over direct), the ratio of Quarry's rps to nginx's in each round, and Quarry's
RSS before and after, and writes the numbers (every round's too) to OUT/proxy.json. A benchmark,
not a test: it exits non-zero only when it could not run or when answers failed (a run of fast
errors measures nothing).

  bench/proxy.py [--duration 5] [--rounds 3] [--profile perf|strace] [--quarry build/quarry] [--out build/bench]

--profile records `quarry serve` during its first 32-connection run: `perf record -g` (OUT/proxy-quarry.perf,
read with `perf report -i`) or `strace -c -f` (syscall counts, OUT/proxy-quarry.strace). The profiler
slows the gateway down, so the table of a profiled run is not the benchmark's.

Over TLS the same three targets run again: nginx's fixed answer on a TLS port with a certificate from
a throwaway test CA (openssl), nginx proxying to it (kept-alive upstream connections, sessions
reused), and Quarry with a backend whose spec.policies.tls trusts that CA through a ConfigMap.

Streaming: bench/stream_upstream.py plays Bedrock's ConverseStream. Throughput: a 1,000-delta answer
relayed to 32 concurrent OpenAI streaming clients (deltas/s = answers/s x 1,000). Latency: one
client at a time reads a paced stream whose deltas carry the time they were written, and the bench
reports how long each took to arrive (p50/p99/max).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from soak import BenchError, allocator, free_port, gateway_env, rss_kb, run_logged, stop, wait_listening, write_config  # noqa: E402
import stream_upstream  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
# The TLS test's CA and server certificate, and the manifests the TLS and stream-relay tests apply.
from test_serve import route  # noqa: E402
from test_stream_relay import BACKEND as PACED_BACKEND  # noqa: E402
from test_upstream_tls import backend as tls_backend, config_map, make_certificates  # noqa: E402

MODEL = "amazon.titan-text-lite-v1"
QUARRY_PATH = "/bedrock/v1/chat/completions"
UPSTREAM_PATH = "/model/%s/converse" % MODEL
# What the fixed-answer upstream returns: a complete Converse answer.
CONVERSE_ANSWER = json.dumps({
    "output": {"message": {"role": "assistant", "content": [{"text": "Benchmarked."}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 9, "outputTokens": 3, "totalTokens": 12},
    "metrics": {"latencyMs": 1},
}, separators=(",", ":"))
CONNECTIONS = (32, 1)


def nginx_config(prefix, upstream_port, proxy_port, tls_upstream_port, tls_proxy_port, certs):
    """One nginx, two servers: the fixed answer and the reverse proxy in front of it. As many worker
    processes as cores, as Quarry has worker threads; no logs on the request path."""
    user = "user root root;" if os.geteuid() == 0 else ""  # workers write nothing; root keeps paths simple
    temp = "\n".join("  %s_temp_path %s/%s;" % (kind, prefix, kind)
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # nginx's `return` takes the body as a quoted string: the JSON has no single quotes.
    assert "'" not in CONVERSE_ANSWER
    return f"""\
{user}
daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
{temp}
  keepalive_requests 1000000;
  upstream bedrock {{
    server 127.0.0.1:{upstream_port};
    keepalive 64;
    keepalive_requests 1000000;
  }}
  server {{
    listen 127.0.0.1:{upstream_port};
    location / {{
      default_type application/json;
      return 200 '{CONVERSE_ANSWER}';
    }}
  }}
  server {{
    listen 127.0.0.1:{proxy_port};
    location / {{
      proxy_pass http://bedrock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
  upstream bedrock_tls {{
    server 127.0.0.1:{tls_upstream_port};
    keepalive 64;
    keepalive_requests 1000000;
  }}
  server {{
    listen 127.0.0.1:{tls_upstream_port} ssl;
    ssl_certificate {certs}/both.crt;
    ssl_certificate_key {certs}/both.key;
    ssl_session_cache shared:bench:1m;
    location / {{
      default_type application/json;
      return 200 '{CONVERSE_ANSWER}';
    }}
  }}
  server {{
    listen 127.0.0.1:{tls_proxy_port};
    location / {{
      proxy_pass https://bedrock_tls;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_ssl_trusted_certificate {certs}/ca.crt;
      proxy_ssl_verify on;
      proxy_ssl_name bedrock.internal.test;
      proxy_ssl_session_reuse on;
    }}
  }}
}}
"""


def start_nginx(work, log_path):
    """nginx_config()'s servers on free ports, with a throwaway test CA's certificates in
    WORK/certs. Returns the nginx process, a dict of its ports (upstream, proxy, tls_upstream,
    tls_proxy) and the certificates' directory."""
    ports = {name: free_port() for name in ("upstream", "proxy", "tls_upstream", "tls_proxy")}
    certs = os.path.join(work, "certs")
    os.makedirs(certs)
    make_certificates(certs)
    prefix = os.path.join(work, "nginx")
    os.makedirs(prefix)
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(nginx_config(prefix, ports["upstream"], ports["proxy"], ports["tls_upstream"], ports["tls_proxy"],
                             certs))
    log = open(log_path, "w")
    nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", prefix, "-c",
                              os.path.join(prefix, "nginx.conf"), "-e", os.path.join(prefix, "error.log")],
                             stdout=log, stderr=log)
    wait_listening(ports["upstream"], nginx, "nginx")
    wait_listening(ports["proxy"], nginx, "nginx")
    return nginx, ports, certs


def run_wrk(port, path, expect, connections, seconds, log_path, scheme="http", body=""):
    """wrk on one target; returns ok/bad counts, rps and latency percentiles (µs)."""
    threads = min(2, connections)
    command = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--timeout", "5s",
               "-s", os.path.join(HERE, "proxy.lua"), "%s://127.0.0.1:%d" % (scheme, port), "--", path, expect,
               body]
    result = run_logged(command, seconds + 30, log_path)
    match = re.search(r"PROXY ok=(\d+) bad=(\d+) socket_errors=(\d+) rps=([\d.]+) p50_us=(\d+) p99_us=(\d+)",
                      result.stdout)
    if result.returncode != 0 or not match:
        raise BenchError("wrk failed (%d): %s" % (result.returncode, (result.stderr or result.stdout)[-500:]))
    ok, bad, socket_errors = (int(match.group(i)) for i in (1, 2, 3))
    if ok == 0 or bad + socket_errors > ok // 100:
        raise BenchError("%d of %d requests to port %d failed (see %s)" % (bad + socket_errors, ok + bad,
                                                                          port, log_path))
    return {"connections": connections, "ok": ok, "bad": bad, "socket_errors": socket_errors,
            "rps": float(match.group(4)), "p50_us": int(match.group(5)), "p99_us": int(match.group(6))}


def check_answer(port, path, expect, scheme="http"):
    """One request before any load, so a misconfigured target stops the run with its answer."""
    command = ["curl", "-sSk", "--max-time", "10", "-H", "Content-Type: application/json", "-d",
               '{"model":"","messages":[{"role":"user","content":"Bench check."}]}',
               "%s://127.0.0.1:%d%s" % (scheme, port, path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    if result.returncode != 0 or expect not in result.stdout:
        raise BenchError("port %d%s did not answer as expected: %s%s" % (port, path, result.stdout[:300],
                                                                       result.stderr[:300]))


def start_profiler(kind, pid, out):
    if kind == "perf":
        command = ["perf", "record", "-g", "-p", str(pid), "-o", os.path.join(out, "proxy-quarry.perf")]
    else:
        command = ["strace", "-c", "-f", "-p", str(pid), "-o", os.path.join(out, "proxy-quarry.strace")]
    log = open(os.path.join(out, "proxy-profiler.log"), "w")
    proc = subprocess.Popen(command, stdout=log, stderr=log)
    time.sleep(1)  # attached before the load starts
    return proc


def stop_profiler(proc):
    proc.send_signal(signal.SIGINT)  # both write their report on SIGINT
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        stop(proc)


def load(name, port, path, expect, seconds, out, profile=None, scheme="http"):
    """Both connection counts on one target; `profile` (a pid and a kind) records the @32 run."""
    log_path = os.path.join(out, "proxy-wrk.log")
    runs = {}
    for connections in CONNECTIONS:
        profiler = start_profiler(profile[1], profile[0], out) if profile and connections == 32 else None
        try:
            runs[connections] = run_wrk(port, path, expect, connections, seconds, log_path, scheme)
        finally:
            if profiler:
                stop_profiler(profiler)
        print("  %-8s @%-2d  %9.0f rps  p50 %7.0f µs" % (name, connections, runs[connections]["rps"],
                                                       runs[connections]["p50_us"]), flush=True)
    return {"target": name, "runs": [runs[c] for c in CONNECTIONS]}


def load_in_turns(targets, rounds, seconds, out):
    """`targets` (name, port, path, expect, load()'s keywords) take turns, `rounds` times. Returns
    each target's medians over the rounds (load()'s shape) and the rounds themselves. A profile is
    recorded in the first round only."""
    taken = []
    for number in range(rounds):
        print("  round %d of %d" % (number + 1, rounds), flush=True)
        taken.append([load(name, port, path, expect, seconds, out,
                           **{k: v for k, v in options.items() if k != "profile" or number == 0})
                      for name, port, path, expect, options in targets])
    return [median_runs(target_rounds) for target_rounds in zip(*taken)], taken


def median_runs(target_rounds):
    """One target's rounds as one load() result: each number the median of its rounds."""
    runs = []
    for at in range(len(CONNECTIONS)):
        samples = [r["runs"][at] for r in target_rounds]
        runs.append({key: statistics.median(s[key] for s in samples) if key != "connections" else samples[0][key]
                     for key in samples[0]})
    return {"target": target_rounds[0]["target"], "runs": runs}


def print_ratios(rounds):
    """Quarry's rps @32 over nginx's, round by round: how much of the table's ratio is the machine."""
    ratios = [r[2]["runs"][0]["rps"] / r[1]["runs"][0]["rps"] for r in rounds]
    print("%s / %s rps @32 by round: %s (median %.2f)" % (rounds[0][2]["target"], rounds[0][1]["target"],
                                                        ", ".join("%.2f" % x for x in ratios),
                                                        statistics.median(ratios)))


STREAM_PATH = "/paced/v1/chat/completions"


def stream_body(model):
    return json.dumps({"model": model, "stream": True,
                       "messages": [{"role": "user", "content": "Bench: stream."}]}, separators=(",", ":"))


def stream_throughput(port, seconds, out):
    """32 OpenAI streaming clients, each answer 1,000 deltas; relayed deltas per second."""
    run = run_wrk(port, STREAM_PATH, "[DONE]", 32, seconds, os.path.join(out, "proxy-wrk.log"),
                  body=stream_body("bench.static"))
    run["deltas_per_s"] = run["rps"] * stream_upstream.STATIC_DELTAS
    return run


def stream_latency(port, streams):
    """Milliseconds from a delta's writing (its CLOCK_MONOTONIC stamp) to its arrival at the client."""
    latencies = []
    for _ in range(streams):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", STREAM_PATH, body=stream_body("bench.paced"),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        if response.status != 200:
            raise BenchError("the paced stream answered %d: %s" % (response.status, response.read()[:300]))
        while True:
            line = response.readline()
            arrived = time.monotonic_ns()
            if not line:
                break
            if not line.startswith(b"data: {"):
                continue
            for choice in json.loads(line[len(b"data: "):]).get("choices", []):
                for stamp in ((choice.get("delta") or {}).get("content") or "").split():
                    latencies.append((arrived - int(stamp)) / 1e6)
        connection.close()
    if len(latencies) != streams * stream_upstream.PACED_DELTAS:
        raise BenchError("%d of %d paced deltas arrived" % (len(latencies), streams * stream_upstream.PACED_DELTAS))
    latencies.sort()
    at = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3)  # noqa: E731
    return {"deltas": len(latencies), "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": round(latencies[-1], 3)}


def quarry_extra_manifests(tls_upstream_port, certs, stream_port):
    """The TLS backend (trusting the test CA through a ConfigMap) at /tls, and the streaming one at
    /paced: the manifests the TLS and stream-relay tests apply."""
    with open(os.path.join(certs, "ca.crt")) as pem:
        ca = pem.read()
    documents = [config_map("bench-ca", ca),
                 tls_backend("tls", tls_upstream_port, "      caCertificateRefs:\n      - name: bench-ca", model=MODEL),
                 route("tls", "/tls", "tls"),
                 PACED_BACKEND % stream_port,
                 route("paced", "/paced", "paced")]
    return "".join("---\n" + document for document in documents)


def print_table(results):
    direct_p50_1 = results[0]["runs"][1]["p50_us"]
    header = ("target", "rps @32", "p50 @32", "p50 @1", "added p50 @1")
    rows = [header]
    for r in results:
        at32, at1 = r["runs"][0], r["runs"][1]
        added = "-" if r is results[0] else "%d µs" % (at1["p50_us"] - direct_p50_1)
        rows.append((r["target"], "{:,.0f}".format(at32["rps"]), "%.2f ms" % (at32["p50_us"] / 1000),
                     "%d µs" % at1["p50_us"], added))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5,
                        help="seconds of load per target, connection count and round")
    parser.add_argument("--rounds", type=int, default=3, help="turns the targets take (medians are reported)")
    parser.add_argument("--profile", choices=("perf", "strace"), help="record quarry serve under its first @32 load")
    parser.add_argument("--quarry", default=os.path.join(ROOT, "build", "quarry"))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "curl") + ((args.profile,) if args.profile else ()):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            print("proxy bench: needs %s (./dev bench installs it)" % tool, file=sys.stderr)
            return 2
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, "proxy-wrk.log"), "w").close()
    work = tempfile.mkdtemp(prefix="quarry-bench-proxy-")
    nginx = serve = None
    try:
        nginx, ports, certs = start_nginx(work, os.path.join(out, "proxy-nginx.log"))
        upstream_port, proxy_port = ports["upstream"], ports["proxy"]
        tls_upstream_port, tls_proxy_port = ports["tls_upstream"], ports["tls_proxy"]
        gateway_port = free_port()
        streaming = stream_upstream.start()

        config = os.path.join(work, "quarry-config")
        # The soak's setup (one backend at that port), plus the TLS and streaming backends.
        write_config(config, gateway_port, upstream_port,
                     quarry_extra_manifests(tls_upstream_port, certs, streaming.server_port))
        serve_log = open(os.path.join(out, "proxy-serve.log"), "w")
        serve = subprocess.Popen([args.quarry, "serve", "--config", config, "--listen",
                                  "127.0.0.1:%d" % gateway_port],
                                 env=gateway_env(os.path.join(work, "home")), stdout=serve_log, stderr=serve_log)
        wait_listening(gateway_port, serve, "quarry serve")

        check_answer(upstream_port, UPSTREAM_PATH, '"stopReason"')
        check_answer(proxy_port, UPSTREAM_PATH, '"stopReason"')
        check_answer(gateway_port, QUARRY_PATH, '"chat.completion"')
        check_answer(tls_upstream_port, UPSTREAM_PATH, '"stopReason"', scheme="https")
        check_answer(tls_proxy_port, UPSTREAM_PATH, '"stopReason"')
        check_answer(gateway_port, "/tls/v1/chat/completions", '"chat.completion"')
        rss_start = rss_kb(serve.pid)
        serve_allocator = allocator(serve.pid)

        print("proxy bench: %d s per run, %s connections, %d rounds, %d cores, quarry on %s" % (
            args.duration, "/".join(str(c) for c in CONNECTIONS), args.rounds, os.cpu_count(), serve_allocator),
            flush=True)
        profile = (serve.pid, args.profile) if args.profile else None
        results, rounds = load_in_turns([
            ("direct", upstream_port, UPSTREAM_PATH, "", {}),
            ("nginx", proxy_port, UPSTREAM_PATH, "", {}),
            ("quarry", gateway_port, QUARRY_PATH, '"chat.completion"', {"profile": profile}),
        ], args.rounds, args.duration, out)
        tls_results, tls_rounds = load_in_turns([
            ("direct-tls", tls_upstream_port, UPSTREAM_PATH, "", {"scheme": "https"}),
            ("nginx-tls", tls_proxy_port, UPSTREAM_PATH, "", {}),
            ("quarry-tls", gateway_port, "/tls/v1/chat/completions", '"chat.completion"', {}),
        ], args.rounds, args.duration, out)
        throughput = stream_throughput(gateway_port, args.duration * args.rounds, out)
        latency = stream_latency(gateway_port, streams=5)
        time.sleep(1)  # let in-flight work settle before reading memory
        rss_end = rss_kb(serve.pid)
        print()
        print_table(results)
        print_ratios(rounds)
        print()
        print_table(tls_results)
        print_ratios(tls_rounds)
        print()
        print("streaming: %s deltas/s relayed (32 streams of %d deltas, %.0f answers/s); a delta reaches the "
              "client %.2f ms after Bedrock wrote it (p50; p99 %.2f ms, max %.2f ms, %d deltas)" % (
                  "{:,.0f}".format(throughput["deltas_per_s"]), stream_upstream.STATIC_DELTAS, throughput["rps"],
                  latency["p50_ms"], latency["p99_ms"], latency["max_ms"], latency["deltas"]))
        print("quarry serve RSS: %.1f MB before the load, %.1f MB after" % (rss_start / 1024, rss_end / 1024))
        with open(os.path.join(out, "proxy.json"), "w") as f:
            json.dump({"cores": os.cpu_count(), "duration_s": args.duration, "rounds": args.rounds,
                       "allocator": serve_allocator,
                       "results": results, "result_rounds": rounds,
                       "tls_results": tls_results, "tls_result_rounds": tls_rounds,
                       "streaming": {"throughput": throughput, "latency": latency},
                       "quarry_rss_kb": {"before": rss_start, "after": rss_end}}, f, indent=2)
        print("numbers in %s, logs in %s" % (os.path.join(out, "proxy.json"), out))
        return 0
    except BenchError as error:
        print("proxy bench could not run: %s" % error, file=sys.stderr)
        return 2
    finally:
        stop(serve)
        stop(nginx)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
