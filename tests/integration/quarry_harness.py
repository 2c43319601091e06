"""Runs the real quarry binary for integration tests: a throwaway config dir, CLI calls, and
`quarry serve` / `quarry simulator` processes whose logs are collected for assertions.

Also the suites' skip and secret rules:
- skip only with require(): outside CI it skips, under CI=true it fails naming what is missing;
  run the suite with main(), which exits SKIP_RETURN_CODE when something skipped (CTest: Skipped).
- every process's output is also written under the build tree's Testing/Temporary/quarry-it/,
  which tests/integration/no_secret_values.sh sweeps after the run; each config directory is swept
  for the values in tests/data/secret-values.txt before it is removed (Quarry.close)."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

QUARRY = os.environ.get("QUARRY_BIN", "build/quarry")
SOURCE_DIR = os.environ.get("QUARRY_SOURCE_DIR", os.getcwd())

# CTest's SKIP_RETURN_CODE for every test (tests/integration/Integration.cmake).
SKIP_RETURN_CODE = 77


def everything_must_run():
    """Under CI=true every required suite runs: a missing dependency is a failure, not a skip."""
    return os.environ.get("CI") == "true"


def require(available, dependency):
    """The only way an integration test may skip: when `available` is false, fails under CI=true
    and skips otherwise. `dependency` names what is missing and how to install it."""
    if available:
        return
    if everything_must_run():
        raise AssertionError("CI=true requires every suite to run, and a dependency is missing: " + dependency)
    raise unittest.SkipTest(dependency)


def main():
    """unittest.main(), but a run that skipped anything and failed nothing exits SKIP_RETURN_CODE,
    so CTest reports the suite as skipped instead of passed."""
    program = unittest.main(exit=False)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    sys.exit(SKIP_RETURN_CODE if result.skipped else 0)


def _log_dir():
    """Where this run's process logs go: <build>/Testing/Temporary/quarry-it/<script and args>/,
    emptied when the run starts, so it holds the latest run only. The build tree is the directory
    of QUARRY_BIN (CTest sets it to <build>/quarry)."""
    build = os.path.dirname(os.path.abspath(QUARRY))
    run = "-".join([os.path.splitext(os.path.basename(sys.argv[0]))[0]] +
                   [arg for arg in sys.argv[1:] if not arg.startswith("-")])
    path = os.path.join(build, "Testing", "Temporary", "quarry-it", run)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    return path


LOG_DIR = _log_dir()
_log_count = [0]


def secret_values():
    """The values tests/data/secret-values.txt lists: none may be written out."""
    with open(os.path.join(SOURCE_DIR, "tests", "data", "secret-values.txt"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]


def files_holding_secrets(directory, skip=()):
    """(path, line number in secret-values.txt) for every file under `directory` (except the
    paths in `skip`) that holds a listed value; the values themselves are never printed."""
    values = [(number, value.encode()) for number, value in enumerate(secret_values(), 1)]
    hits = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if os.path.join(root, d) not in skip]
        for name in files:
            path = os.path.join(root, name)
            if path in skip or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            hits += [(path, number) for number, value in values if value in data]
    return hits


# /open: a backend that pins no model, so requests (and native calls) reach the simulator with the
# model they name.
OPEN_ROUTE = """\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata: {name: open}
spec:
  ai:
    provider:
      bedrock: {region: us-east-1}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: open}
spec:
  parentRefs: [{name: agentgateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /open}}]
    backendRefs: [{name: open, kind: AgentgatewayBackend}]
"""


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
        _log_count[0] += 1
        self._log_file = open(os.path.join(LOG_DIR, "%02d-%s.log" % (_log_count[0], args[0])), "w",
                              encoding="utf-8")
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        if not self.wait_for(ready_text, timeout):
            self.stop()
            raise RuntimeError("quarry %s did not start:\n%s" % (args[0], self.log()))

    def _pump(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._log_file.write(line)
                self._log_file.flush()
                self._cond.notify_all()
        self._log_file.close()

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

    def log_through(self, text, since=0, timeout=10):
        """The log once a line with `text` logged after `since` is in it. A request's line is
        written after its answer was sent: a check of what the log holds waits for it."""
        if self.wait_for(text, timeout, since) is None:
            raise AssertionError("no %r in quarry's log after %d s:\n%s" % (text, timeout, self.log()))
        return self.log()

    def stop(self):
        """SIGTERM, as a user's Ctrl+C or a service manager would; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._pump_thread.join(10)  # the last lines are read before the pipe is closed
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
        # History (history.sqlite) stays in the test's directory too, never the user's data dir.
        self.env["QUARRY_DATA_DIR"] = os.path.join(self.config, "data")
        self.env.update(extra_env or {})
        self.processes = []
        self._users_own = set()

    def users_own(self, path):
        """`path` under the config dir holds the test's stand-in for the user's own files (an
        ~/.aws directory, a credential_process script): secret values there are expected."""
        self._users_own.add(path)

    def run(self, *args, input=None, check=True, config=True):
        """`quarry ARGS --config DIR`; config=False for commands without config (history)."""
        result = subprocess.run([QUARRY] + list(args) + (["--config", self.config] if config else []),
                                input=input, env=self.env,
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
        """Stops the processes, then fails if anything Quarry wrote in the config dir holds a
        secret value (see files_holding_secrets); the directory is removed either way."""
        for process in self.processes:
            process.stop()
        try:
            hits = files_holding_secrets(self.config, self._users_own)
        finally:
            self.dir.cleanup()
        if hits:
            raise AssertionError("secret values were written to the config dir: " +
                                 ", ".join("%s (secret-values.txt value #%d)" % (os.path.relpath(path, self.config), n)
                                           for path, n in hits))


class SimulatedServeTest(unittest.TestCase):
    """Tests against one `quarry serve --simulate` (self.serve) with its own config (self.quarry),
    shared by the class's tests."""

    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        cls.serve = cls.quarry.serve("--simulate")

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()


def wait_until_listening(port, within):
    """True once 127.0.0.1:port accepts a connection, False after `within` seconds."""
    deadline = time.time() + within
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


GATEWAY_ON_PORT = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: agentgateway
spec:
  gatewayClassName: agentgateway
  listeners:
  - name: http
    port: %d
    protocol: HTTP
"""


def quarry_without_keychain(extra_env=None):
    """A Quarry whose HOME is its own directory and whose keychain cannot be reached (the seed's
    backend cannot read its secret: --simulate-if-needed answers with the simulator), with its
    Gateway on a free port (`quarry.port`), for the window and `quarry` without a command."""
    quarry = Quarry(dict({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/quarry-test-bus"}, **(extra_env or {})))
    quarry.env["HOME"] = quarry.config
    quarry.env["XDG_CONFIG_HOME"] = os.path.join(quarry.config, "xdg")
    quarry.port = free_port()
    quarry.run("apply", "-f", "-", input=GATEWAY_ON_PORT % quarry.port)
    return quarry


def post(url, body, headers=None, timeout=30):
    """POST JSON; returns (status, headers, body bytes) for any status."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers=dict({"Content-Type": "application/json"}, **(headers or {})))
    return _exchange(request, timeout)


def get(url, headers=None, timeout=30):
    """GET; returns (status, headers, body bytes) for any status."""
    return _exchange(urllib.request.Request(url, headers=headers or {}), timeout)


def _exchange(request, timeout):
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
