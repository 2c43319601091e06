"""Inline API keys (spec.policies.auth.key) through the real `quarry` binary and a real keychain.

`quarry apply` moves the key into the OS keychain as the Secret "<backend>-inline-key" and stores
a secretRef to it; resources.yaml, `get -o yaml|json` and the log never hold the key, and requests
are still signed with it (the simulator accepts that key only). A keychain that is locked or
absent fails the apply with a clear error and writes nothing.

Each class runs under its own keychain script (see Integration.cmake): InlineKeyTest under
tests/keychain/run-with-keychain.sh, LockedKeychainTest under run-with-locked-keychain.sh,
NoKeychainTest under run-without-keychain.sh."""
import json
import os
import stat
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, post  # noqa: E402

INLINE_KEY = "it-inline-api-key-4c8e2a"  # in tests/data/secret-values.txt
OTHER_KEY = "it-inline-api-key-other-91d7"  # ditto


def backend(name, port, key):
    return f"""\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: {name}
  namespace: agentgateway-system
spec:
  ai:
    provider:
      host: 127.0.0.1
      port: {port}
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-west-2
  policies:
    auth:
      key: "{key}"
"""


def route(name):
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {name}
  namespace: agentgateway-system
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /{name}
    backendRefs:
    - name: {name}
"""


CHAT = {"model": "", "messages": [{"role": "user", "content": "hi"}]}


class InlineKeyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        q = cls.quarry
        cls.sim = q.simulator("--api-key", INLINE_KEY)
        cls.applied = q.run("apply", "-f", "-", input=backend("inline", cls.sim.port, INLINE_KEY) + "---\n" + route("inline"))
        cls.serve = q.serve()

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()  # also fails if any file in the config dir holds a listed secret value

    def resources_yaml(self):
        with open(os.path.join(self.quarry.config, "resources.yaml"), encoding="utf-8") as f:
            return f.read()

    def test_resources_yaml_holds_a_reference_not_the_key(self):
        text = self.resources_yaml()
        self.assertNotIn(INLINE_KEY, text)
        self.assertIn("name: inline-inline-key", text)
        self.assertIn("quarry.dev/inline-key-secrets: inline-inline-key", text)
        self.assertEqual(stat.S_IMODE(os.stat(self.quarry.config).st_mode), 0o700)
        for name in os.listdir(self.quarry.config):
            path = os.path.join(self.quarry.config, name)
            if os.path.isfile(path):
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, name)

    def test_get_shows_the_reference_never_the_key(self):
        outputs = [self.quarry.run("get", "backends", "inline", "-o", fmt).stdout for fmt in ("yaml", "json")]
        outputs.append(self.quarry.run("get", "backends").stdout)
        for output in outputs:
            self.assertNotIn(INLINE_KEY, output)
        self.assertIn("inline-inline-key", outputs[0])
        self.assertNotIn(INLINE_KEY, self.applied.stdout + self.applied.stderr)
        secrets = self.quarry.run("get", "secrets").stdout
        self.assertIn("inline-inline-key", secrets)
        self.assertIn("Authorization", secrets)

    def test_requests_are_sent_with_the_stored_key(self):
        mark = self.serve.mark()
        status, headers, body = post(self.serve.base + "/inline", CHAT)
        self.assertEqual(status, 200, body)
        self.assertNotIn(INLINE_KEY, self.serve.log_through("POST /inline 200", since=mark))

    def test_reapplying_printed_output_keeps_the_key(self):
        printed = self.quarry.run("get", "backends", "inline", "-o", "yaml").stdout
        self.assertIn("unchanged", self.quarry.run("apply", "-f", "-", input=printed).stdout)
        status, _, body = post(self.serve.base + "/inline", CHAT)
        self.assertEqual(status, 200, body)

    def test_delete_backend_removes_its_keychain_item(self):
        self.quarry.run("apply", "-f", "-", input=backend("short-lived", self.sim.port, OTHER_KEY))
        self.assertIn("short-lived-inline-key", self.quarry.run("get", "secrets").stdout)
        deleted = self.quarry.run("delete", "backend", "short-lived")
        self.assertIn("secret/short-lived-inline-key deleted", deleted.stdout)
        self.assertNotIn("short-lived-inline-key", self.quarry.run("get", "secrets").stdout)
        # Gone from the keychain too, not only from the list.
        gone = self.quarry.run("delete", "secret", "short-lived-inline-key", check=False)
        self.assertNotEqual(gone.returncode, 0)
        self.assertIn("not found", gone.stderr)


class RefusedWithoutKeychain:
    """A keychain that does not take the key: the apply fails, says why, and writes nothing."""

    def setUp(self):
        self.quarry = Quarry(extra_env={"QUARRY_KEYCHAIN_TIMEOUT_MS": "3000"})

    def tearDown(self):
        self.quarry.close()

    def test_apply_fails_and_writes_nothing(self):
        self.quarry.run("apply", "-f", "-", input=route("first"))  # resources.yaml exists beforehand
        path = os.path.join(self.quarry.config, "resources.yaml")
        with open(path, "rb") as f:
            before = f.read()
        result = self.quarry.run("apply", "-f", "-", input=backend("inline", 9, INLINE_KEY) + "---\n" + route("inline"),
                                 check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("keychain", result.stderr)
        self.assertIn("nothing was applied", result.stderr)
        self.assertNotIn(INLINE_KEY, result.stdout + result.stderr)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertNotIn("inline", self.quarry.run("get", "backends").stdout)
        self.assertNotIn("inline", self.quarry.run("get", "routes").stdout)


class LockedKeychainTest(RefusedWithoutKeychain, unittest.TestCase):
    pass


class NoKeychainTest(RefusedWithoutKeychain, unittest.TestCase):
    pass


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
