#!/usr/bin/env python3
"""Soak benchmark: sustained chat-completion load (half streaming) through a real Quarry gateway,
with the gateway process's resident memory read before and after; memory must stay flat.

Targets: `serve` (`quarry serve`) and `window` (the desktop app under Xvfb, Traffic page open,
load on its built-in listener). The upstream is `quarry simulator` on loopback; the gateway reaches
it through a backend with no auth policy, so the AWS default credential chain (environment
variables matching the simulator's identity) signs the requests and no keychain secret is needed.

Each target: warm-up load, RSS, measured load, RSS. Pass when end RSS <= warm-up RSS + budget.

  bench/soak.py [--targets serve,window] [--warmup 5] [--duration 20] [--connections 16]
                [--budget-mb 15] [--quarry build/quarry] [--out build/bench]

Exit status: 0 all pass, 1 a target failed (memory grew or the load did not get through), 2 the
benchmark could not run. `./dev bench soak` runs this after a build.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# The simulator's identity; not a secret, it opens only the simulator.
ACCESS_KEY = "AKIAQUARRYSOAKBENCH0"
SECRET_KEY = "soak-bench-simulator-secret"
ROUTE_PATH = "/bedrock/v1/chat/completions"
MAX_RPS = 10000  # with the duration, bounds the number of requests a run may send
START_TIMEOUT = 30  # seconds for a process to start listening


class BenchError(Exception):
    """The benchmark itself could not run (exit 2), as opposed to a target failing it."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError("no VmRSS for pid %d" % pid)


def allocator(pid):
    """Which malloc the process runs on: the numbers differ by a fifth (CMake's QUARRY_JEMALLOC)."""
    with open("/proc/%d/maps" % pid) as maps:
        return "jemalloc" if "libjemalloc" in maps.read() else "system malloc"


def wait_listening(port, proc, what, timeout=START_TIMEOUT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise BenchError("%s exited (%d) before listening on %d" % (what, proc.returncode, port))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError("%s did not listen on 127.0.0.1:%d within %d s" % (what, port, timeout))


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def write_config(config_dir, gateway_port, simulator_port, extra_manifests=""):
    """Gateway on a free port, the `bedrock` backend pointed at the simulator with no auth policy
    (so the default credential chain, i.e. the environment), and the /bedrock route; then
    `extra_manifests` (YAML documents, each starting with ---)."""
    os.makedirs(config_dir, mode=0o700, exist_ok=True)
    manifest = f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: agentgateway
  namespace: agentgateway-system
spec:
  gatewayClassName: agentgateway
  listeners:
  - name: http
    port: {gateway_port}
    protocol: HTTP
  addresses:
  - type: IPAddress
    value: 127.0.0.1
---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: bedrock
  namespace: agentgateway-system
spec:
  ai:
    provider:
      host: 127.0.0.1
      port: {simulator_port}
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-east-1
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bedrock
  namespace: agentgateway-system
spec:
  parentRefs:
  - name: agentgateway
    namespace: agentgateway-system
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /bedrock
    backendRefs:
    - name: bedrock
      namespace: agentgateway-system
      group: gateway.kgateway.dev
      kind: AgentgatewayBackend
"""
    path = os.path.join(config_dir, "resources.yaml")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(manifest + extra_manifests)


def gateway_env(home):
    """A clean environment for a gateway: a throwaway HOME and XDG dirs (history, settings) and the
    simulator's identity as the default credential chain's environment credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for name, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "home/.config"), ("XDG_DATA_HOME", "home/.local/share"),
                      ("XDG_CACHE_HOME", "home/.cache")):
        env[name] = os.path.join(home, sub)
        os.makedirs(env[name], exist_ok=True)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "LANG": "C.UTF-8"})
    return env


def start_simulator(quarry, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen([quarry, "simulator", "--listen", "127.0.0.1:0", "--identity",
                             "%s:%s" % (ACCESS_KEY, SECRET_KEY)], stdout=subprocess.PIPE, stderr=log, text=True)
    port = []

    def read_port():
        for line in proc.stdout:
            match = re.search(r"simulator listening on .*:(\d+)", line)
            if match:
                port.append(int(match.group(1)))
                break
        proc.stdout.close()

    reader = threading.Thread(target=read_port, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    if not port:
        stop(proc)
        raise BenchError("quarry simulator did not start (see %s)" % log_path)
    return proc, port[0]


def post(url, body, timeout=15):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError as error:
        return 0, str(error)


def check_answers(port):
    """One request of each kind before any load: a soak of error responses would prove nothing."""
    url = "http://127.0.0.1:%d%s" % (port, ROUTE_PATH)
    messages = [{"role": "user", "content": "Soak test: answer in one short sentence."}]
    status, body = post(url, {"model": "", "messages": messages})
    if status != 200 or '"chat.completion"' not in body:
        raise BenchError("a non-stream request did not get a chat completion: %d %s" % (status, body[:300]))
    status, body = post(url, {"model": "", "messages": messages, "stream": True})
    if status != 200 or not body.startswith("data:") or "[DONE]" not in body:
        raise BenchError("a streaming request did not get an SSE stream: %d %s" % (status, body[:300]))


def run_logged(command, timeout, log_path):
    """Runs a load generator to its end (at most `timeout` s) and appends its command and output to log_path."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError("%s did not stop after %d s" % (command[0], timeout))
    with open(log_path, "a") as log:
        log.write("$ %s\n%s%s\n" % (" ".join(command), result.stdout, result.stderr))
    return result


def run_wrk(port, seconds, connections, log_path):
    """wrk for `seconds` (bounded: wrk stops itself; the timeout is a backstop); returns its numbers."""
    threads = min(2, connections)
    per_thread = MAX_RPS * seconds // threads
    command = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--timeout", "10s",
               "-s", os.path.join(HERE, "soak.lua"), "http://127.0.0.1:%d" % port, "--", ROUTE_PATH,
               str(per_thread)]
    result = run_logged(command, seconds + 30, log_path)
    counts = re.search(r"SOAK plain_ok=(\d+) stream_ok=(\d+) bad=(\d+) socket_errors=(\d+) p99_ms=([\d.]+)",
                       result.stdout)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if result.returncode != 0 or not counts or not rps:
        raise BenchError("wrk failed (%d): %s" % (result.returncode, (result.stderr or result.stdout)[-500:]))
    plain, stream, bad, socket_errors = (int(counts.group(i)) for i in range(1, 5))
    return {"plain": plain, "stream": stream, "bad": bad, "socket_errors": socket_errors,
            "p99_ms": float(counts.group(5)), "rps": float(rps.group(1))}


class RssSampler:
    """RSS once a second while the load runs, to a CSV beside the logs (for a graph, not the verdict)."""

    def __init__(self, pid, path):
        self.pid, self.path, self.samples = pid, path, []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.start = time.time()
        self.thread.start()

    def _run(self):
        while not self.stopped.wait(1.0):
            try:
                self.samples.append((round(time.time() - self.start, 1), rss_kb(self.pid)))
            except (OSError, BenchError):
                return

    def close(self):
        self.stopped.set()
        self.thread.join()
        with open(self.path, "w") as f:
            f.write("seconds,rss_kb\n" + "".join("%s,%d\n" % s for s in self.samples))
        return max((kb for _, kb in self.samples), default=0)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def soak(target, pid, port, args, out, upstream_pid, after=None):
    """Warm-up, RSS, measured load, RSS: the numbers of one target."""
    check_answers(port)
    upstream_cpu = cpu_seconds(upstream_pid)
    wrk_log = os.path.join(out, "soak-%s-wrk.log" % target)
    open(wrk_log, "w").close()
    sampler = RssSampler(pid, os.path.join(out, "soak-%s-rss.csv" % target))
    start_kb = rss_kb(pid)
    warm = run_wrk(port, args.warmup, args.connections, wrk_log)
    time.sleep(1)  # let in-flight work settle before reading memory
    warm_kb = rss_kb(pid)
    load = run_wrk(port, args.duration, args.connections, wrk_log)
    time.sleep(1)
    end_kb = rss_kb(pid)
    peak_kb = sampler.close()
    # The gateway's own built-in simulator would answer as well; the bench is about the real
    # upstream path, so the simulator process must have done the work.
    if cpu_seconds(upstream_pid) - upstream_cpu < 0.5:
        raise BenchError("%s's requests did not reach the simulator process (did it start its own?)" % target)
    if after:
        after()
    return {"target": target, "start_kb": start_kb, "warm_kb": warm_kb, "end_kb": end_kb, "peak_kb": peak_kb,
            "warm": warm, "load": load, "budget_kb": args.budget_mb * 1024}


def run_serve(args, quarry, simulator_pid, simulator_port, work, out):
    port = free_port()
    config = os.path.join(work, "serve-config")
    write_config(config, port, simulator_port)
    log = open(os.path.join(out, "soak-serve.log"), "w")
    proc = subprocess.Popen([quarry, "serve", "--config", config, "--listen", "127.0.0.1:%d" % port],
                            env=gateway_env(os.path.join(work, "serve-home")), stdout=log, stderr=log)
    try:
        wait_listening(port, proc, "quarry serve")
        return soak("serve", proc.pid, port, args, out, simulator_pid)
    finally:
        stop(proc)


def run_window_inner(args, quarry, simulator_pid, simulator_port, out, result_path):
    """Inside a private D-Bus session with an unlocked keyring and an Xvfb display (see run_window):
    open the window on a throwaway config, show the Traffic page, load its listener."""
    work = tempfile.mkdtemp(prefix="quarry-soak-window-")
    try:
        port = free_port()
        config = os.path.join(work, "config")
        write_config(config, port, simulator_port)
        env = gateway_env(os.environ.get("HOME", work))  # HOME is already the keychain sandbox's
        env.pop("QUARRY_SCREENSHOT_DIR", None)
        log = open(os.path.join(out, "soak-window.log"), "w")
        proc = subprocess.Popen([quarry, "gui", "--config", config], env=env, stdout=log, stderr=log)
        try:
            wait_listening(port, proc, "the Quarry window's gateway")
            show_traffic_page(proc.pid)
            result = soak("window", proc.pid, port, args, out, simulator_pid, lambda: screenshot(out))
        finally:
            stop(proc)
        with open(result_path, "w") as f:
            json.dump(result, f)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def show_traffic_page(pid):
    """The window's own shortcut for its sixth page (Ctrl+6, Traffic), typed with xdotool."""
    def xdotool(*words):
        return subprocess.run(["xdotool"] + list(words), capture_output=True, text=True, timeout=10)

    window = ""
    deadline = time.time() + START_TIMEOUT
    while not window and time.time() < deadline:
        window = xdotool("search", "--onlyvisible", "--pid", str(pid), "--name", "Quarry").stdout.split()
        window = window[0] if window else ""
        if not window:
            time.sleep(0.3)
    if not window:
        raise BenchError("the Quarry window did not appear on the display")
    xdotool("windowfocus", window)
    time.sleep(0.3)
    if xdotool("key", "--clearmodifiers", "ctrl+6").returncode != 0:
        raise BenchError("xdotool could not type Ctrl+6 into the window")
    time.sleep(0.5)


def screenshot(out):
    """The display after the load, so anyone can see the page that was open and what it showed."""
    if shutil.which("import"):  # ImageMagick, when present; not needed for the verdict
        subprocess.run(["import", "-window", "root", os.path.join(out, "soak-window.png")],
                       capture_output=True, timeout=20)


def run_window(args, quarry, simulator_pid, simulator_port, out):
    """Re-runs this script as the window's driver inside the keychain sandbox and Xvfb."""
    for tool in ("xvfb-run", "xdotool", "dbus-run-session", "gnome-keyring-daemon"):
        if not shutil.which(tool):
            raise BenchError("the window soak needs %s (./dev bench installs it)" % tool)
    result_path = os.path.join(out, "soak-window.json")
    if os.path.exists(result_path):
        os.remove(result_path)
    command = [os.path.join(ROOT, "tests/keychain/run-with-keychain.sh"),
               "xvfb-run", "-a", "-s", "-screen 0 1280x860x24 -dpi 96",
               sys.executable, os.path.abspath(__file__), "--window-inner", result_path,
               "--simulator", "%d:%d" % (simulator_pid, simulator_port), "--quarry", quarry, "--out", out,
               "--warmup", str(args.warmup), "--duration", str(args.duration),
               "--connections", str(args.connections), "--budget-mb", str(args.budget_mb)]
    limit = args.warmup + args.duration + 120
    # Its own process group, so a run that overstays is ended whole (Xvfb, the window, the bus).
    inner = subprocess.Popen(command, start_new_session=True)
    try:
        inner.wait(limit)
    except subprocess.TimeoutExpired:
        os.killpg(inner.pid, signal.SIGTERM)
        try:
            inner.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(inner.pid, signal.SIGKILL)
            inner.wait()
        raise BenchError("the window soak did not finish within %d s" % limit)
    finally:
        if inner.poll() is None:  # interrupted while waiting
            os.killpg(inner.pid, signal.SIGTERM)
    if inner.returncode != 0 or not os.path.exists(result_path):
        raise BenchError("the window soak could not run (exit %d; logs in %s)" % (inner.returncode, out))
    with open(result_path) as f:
        return json.load(f)


def verdict(result):
    """Why the target fails, or empty when it passes."""
    reasons = []
    growth = result["end_kb"] - result["warm_kb"]
    if growth > result["budget_kb"]:
        reasons.append("RSS grew %.1f MB under load, more than the %.0f MB allowed"
                       % (growth / 1024, result["budget_kb"] / 1024))
    load = result["load"]
    answered = load["plain"] + load["stream"]
    failed = load["bad"] + load["socket_errors"]
    if load["plain"] == 0 or load["stream"] == 0:
        reasons.append("the load did not get both kinds of answer through")
    elif failed > answered // 100:
        reasons.append("%d of %d requests failed" % (failed, answered + failed))
    return "; ".join(reasons)


def print_table(results):
    mb = lambda kb: "%.1f" % (kb / 1024)  # noqa: E731
    header = ("target", "start MB", "warm-up MB", "end MB", "growth MB", "peak MB", "warm-up rps", "rps",
              "non-stream", "stream", "errors", "p99 ms", "result")
    rows = [header]
    for r in results:
        load = r["load"]
        rows.append((r["target"], mb(r["start_kb"]), mb(r["warm_kb"]), mb(r["end_kb"]),
                     "%+.1f" % ((r["end_kb"] - r["warm_kb"]) / 1024), mb(r["peak_kb"]),
                     "%.0f" % r["warm"]["rps"], "%.0f" % load["rps"], str(load["plain"]), str(load["stream"]),
                     str(load["bad"] + load["socket_errors"]), "%.0f" % load["p99_ms"],
                     "FAIL" if verdict(r) else "pass"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", default="serve,window", help="comma-separated: serve, window")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before the first RSS reading")
    parser.add_argument("--duration", type=int, default=20, help="seconds of measured load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--budget-mb", type=float, default=15.0, help="allowed RSS growth after the warm-up")
    parser.add_argument("--quarry", default=os.path.join(os.environ.get("QUARRY_BUILD_DIR", ROOT + "/build"),
                                                         "quarry"))
    parser.add_argument("--out", default=None, help="logs, RSS samples (default: next to the binary, bench/)")
    parser.add_argument("--window-inner", metavar="RESULT_JSON", help=argparse.SUPPRESS)
    parser.add_argument("--simulator", help=argparse.SUPPRESS)  # PID:PORT, for --window-inner
    args = parser.parse_args()
    quarry = os.path.abspath(args.quarry)
    out = os.path.abspath(args.out or os.path.join(os.path.dirname(quarry), "bench"))
    os.makedirs(out, exist_ok=True)
    try:
        if args.window_inner:
            simulator_pid, simulator_port = (int(n) for n in args.simulator.split(":"))
            run_window_inner(args, quarry, simulator_pid, simulator_port, out, args.window_inner)
            return 0
        if not os.access(quarry, os.X_OK):
            raise BenchError("no %s: build first (./dev build)" % quarry)
        if not shutil.which("wrk"):
            raise BenchError("the soak needs wrk (./dev bench installs it)")
        targets = [t for t in args.targets.split(",") if t]
        unknown = set(targets) - {"serve", "window"}
        if unknown:
            raise BenchError("unknown target(s): %s" % ", ".join(sorted(unknown)))
        work = tempfile.mkdtemp(prefix="quarry-soak-")
        simulator = None
        results = []
        try:
            simulator, simulator_port = start_simulator(quarry, os.path.join(out, "soak-simulator.log"))
            for target in targets:
                print("soak: %s, %d s warm-up + %d s at %d connections (half streaming)..."
                      % (target, args.warmup, args.duration, args.connections), file=sys.stderr, flush=True)
                if target == "serve":
                    results.append(run_serve(args, quarry, simulator.pid, simulator_port, work, out))
                else:
                    results.append(run_window(args, quarry, simulator.pid, simulator_port, out))
        finally:
            stop(simulator)
            shutil.rmtree(work, ignore_errors=True)
    except BenchError as error:
        print("soak: %s" % error, file=sys.stderr)
        return 2
    sys.stderr.flush()
    print_table(results)
    sys.stdout.flush()
    failures = [(r["target"], verdict(r)) for r in results if verdict(r)]
    for target, why in failures:
        print("soak: %s FAILED: %s" % (target, why), file=sys.stderr)
    print("soak: logs and RSS samples in %s" % out, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    sys.exit(main())
