"""Runs the real quarry binary for integration tests: a throwaway config dir, CLI calls, and
`quarry serve` / `quarry simulator` processes whose logs are collected for assertions."""
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

QUARRY = os.environ.get("QUARRY_BIN", "build/quarry")
SOURCE_DIR = os.environ.get("QUARRY_SOURCE_DIR", os.getcwd())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A long-running quarry process; its stderr and stdout lines are kept in `lines`."""

    def __init__(self, args, env, ready_text, timeout=20):
        self.lines = []
        self._cond = threading.Condition()
        self.proc = subprocess.Popen([QUARRY] + args, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        if not self.wait_for(ready_text, timeout):
            self.stop()
            raise RuntimeError("quarry %s did not start:\n%s" % (args[0], self.log()))

    def _pump(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def mark(self):
        """A position in the log; wait_for(since=mark) only looks at lines logged after it."""
        with self._cond:
            return len(self.lines)

    def wait_for(self, text, timeout=10, since=0):
        deadline = time.time() + timeout
        with self._cond:
            while True:
                for line in self.lines[since:]:
                    if text in line:
                        return line
                remaining = deadline - time.time()
                if remaining <= 0 or self.proc.poll() is not None:
                    return None
                self._cond.wait(remaining)

    def log(self):
        with self._cond:
            return "\n".join(self.lines)

    def stop(self):
        """SIGTERM, as a user's Ctrl+C or a service manager would; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode


class Quarry:
    """One user's Quarry: a config directory and the processes started with it."""

    def __init__(self, extra_env=None):
        self.dir = tempfile.TemporaryDirectory(prefix="quarry-it-")
        self.config = self.dir.name
        self.env = dict(os.environ)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"):
            self.env.pop(name, None)
        self.env.update(extra_env or {})
        self.processes = []

    def run(self, *args, input=None, check=True):
        result = subprocess.run([QUARRY] + list(args) + ["--config", self.config], input=input, env=self.env,
                                capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError("quarry %s failed (%d): %s" % (" ".join(args), result.returncode, result.stderr))
        return result

    def serve(self, *args, env=None):
        port = free_port()
        process = Process(["serve", "--config", self.config, "--listen", "127.0.0.1:%d" % port] + list(args),
                          dict(self.env, **(env or {})), "listening on")
        process.port = port
        process.base = "http://127.0.0.1:%d" % port
        self.processes.append(process)
        return process

    def simulator(self, *args):
        process = Process(["simulator"] + list(args), self.env, "simulator listening on")
        process.port = int(process.wait_for("simulator listening on").rsplit(":", 1)[1])
        self.processes.append(process)
        return process

    def close(self):
        for process in self.processes:
            process.stop()
        self.dir.cleanup()


def post(url, body, headers=None, timeout=30):
    """POST JSON; returns (status, headers, body bytes) for any status."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers=dict({"Content-Type": "application/json"}, **(headers or {})))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def sse_events(body):
    """The `data:` payloads of an SSE body, in order."""
    events = []
    for block in body.decode("utf-8").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data: "):
                events.append(line[len("data: "):])
    return events
