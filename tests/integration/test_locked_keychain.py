"""A keychain that is running but locked, with no prompter to unlock it (a fresh HOME, an
autolaunched session bus): Quarry must still listen at once, serve the backends that do not need
the keychain, and answer the ones that do with a 503 that says the keychain has not answered.

Runs under tests/keychain/run-with-locked-keychain.sh (gnome-keyring in a private D-Bus session,
never unlocked)."""
import json
import os
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import QUARRY, Quarry, free_port, post, wait_until_listening  # noqa: E402

IDENTITY = ("AKIALOCKEDKEYCHAIN01", "locked-keychain-test-secret")

CONFIG = """\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: from-environment
spec:
  ai:
    provider:
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-east-1
      host: 127.0.0.1
      port: {port}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: from-environment
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /environment
    backendRefs:
    - name: from-environment
"""

CHAT = {"model": "", "messages": [{"role": "user", "content": "Hello"}]}


class LockedKeychain(unittest.TestCase):
    def setUp(self):
        self.quarry = Quarry(extra_env={"AWS_ACCESS_KEY_ID": IDENTITY[0], "AWS_SECRET_ACCESS_KEY": IDENTITY[1],
                                        "QUARRY_KEYCHAIN_TIMEOUT_MS": "4000"})
        simulator = self.quarry.simulator("--identity", "%s:%s" % IDENTITY)
        self.quarry.run("apply", "-f", "-", input=CONFIG.format(port=simulator.port))

    def tearDown(self):
        self.quarry.close()

    def test_serve_listens_at_once_and_names_the_keychain(self):
        started = time.time()
        serve = self.quarry.serve()
        self.assertLess(time.time() - started, 2.0, serve.log())

        status, headers, body = post(serve.base + "/environment", CHAT)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("x-quarry-upstream"), "bedrock")

        # The first-run backend `bedrock` keeps its key in the keychain (secret bedrock-secret).
        status, _, body = post(serve.base + "/bedrock", CHAT)
        self.assertEqual(status, 503, body)
        error = json.loads(body)["error"]
        self.assertEqual(error["code"], "keychain_unavailable")
        self.assertIn("keychain", error["message"])

        # Once the keychain's deadline has passed, the log says so and requests still end.
        self.assertIsNotNone(serve.wait_for("did not answer", timeout=15), serve.log())
        status, _, body = post(serve.base + "/bedrock", CHAT, timeout=10)
        self.assertEqual(status, 503, body)

    def test_window_listens_within_two_seconds(self):
        port = free_port()
        gateway = ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: agentgateway\n"
                   "spec:\n  gatewayClassName: agentgateway\n  listeners:\n  - name: http\n    port: %d\n"
                   "    protocol: HTTP\n" % port)
        self.quarry.run("apply", "-f", "-", input=gateway)
        env = dict(self.quarry.env, QT_QPA_PLATFORM="offscreen")
        started = time.time()
        window = subprocess.Popen([QUARRY, "--config", self.quarry.config], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.assertTrue(wait_until_listening(port, within=2.0), "the window's gateway is not listening")
            self.assertLess(time.time() - started, 2.5)
            status, _, body = post("http://127.0.0.1:%d/environment" % port, CHAT)
            self.assertEqual(status, 200, body)
            self.assertIsNone(window.poll(), "the window exited")
        finally:
            window.terminate()
            try:
                window.wait(10)
            except subprocess.TimeoutExpired:
                window.kill()
                window.wait()
                self.fail("the window did not quit on SIGTERM within 10 s")


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
