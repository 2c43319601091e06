"""`quarry keys create|list|revoke` through the real binary and a real keychain.

create prints the key once on stdout and keeps it in the OS keychain; the config directory holds
only a salted digest and a fingerprint; list shows names, times and fingerprints, never a key; a
running `quarry serve` requires the keys (both header styles) and stops accepting a revoked one
without a restart.

ClientKeysTest runs under tests/keychain/run-with-keychain.sh, NoKeychainTest under
run-without-keychain.sh (see Integration.cmake)."""
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, post, require  # noqa: E402

CHAT = {"model": "", "messages": [{"role": "user", "content": "hi"}]}
KEY_PATTERN = re.compile(r"^qk_[A-Za-z0-9_-]{43}$")


def fingerprint(key):
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()[:8]


class ClientKeysTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        cls.laptop = cls.quarry.run("keys", "create", "laptop")
        cls.ci = cls.quarry.run("keys", "create", "ci")
        cls.serve = cls.quarry.serve("--simulate")

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def key(self, created):
        return created.stdout.strip()

    def status(self, headers=None):
        return post(self.serve.base + "/bedrock", CHAT, headers)[0]

    def test_create_prints_the_key_once_on_stdout(self):
        self.assertRegex(self.key(self.laptop), KEY_PATTERN)
        self.assertEqual(self.laptop.stdout.count("\n"), 1)
        self.assertNotIn(self.key(self.laptop), self.laptop.stderr)
        self.assertIn(fingerprint(self.key(self.laptop)), self.laptop.stderr)
        self.assertNotEqual(self.key(self.laptop), self.key(self.ci))

    def test_the_keychain_holds_the_key_and_the_config_dir_does_not(self):
        require(shutil.which("secret-tool"), "secret-tool (apt install libsecret-tools)")
        looked_up = subprocess.run(["secret-tool", "lookup", "server", "Quarry", "user",
                                    "secret/quarry:client-keys/laptop"], capture_output=True, text=True, timeout=30)
        self.assertEqual(json.loads(looked_up.stdout)["key"], self.key(self.laptop))
        for name in os.listdir(self.quarry.config):
            path = os.path.join(self.quarry.config, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    data = f.read()
                self.assertNotIn(self.key(self.laptop).encode(), data, name)
                self.assertNotIn(self.key(self.ci).encode(), data, name)
        path = os.path.join(self.quarry.config, "client-keys.json")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)

    def test_list_shows_names_and_fingerprints_never_keys(self):
        listed = self.quarry.run("keys", "list").stdout
        self.assertIn("laptop", listed)
        self.assertIn(fingerprint(self.key(self.laptop)), listed)
        self.assertNotIn(self.key(self.laptop), listed)
        self.assertNotIn(self.key(self.ci), listed)

    def test_a_taken_name_is_refused(self):
        again = self.quarry.run("keys", "create", "laptop", check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("exists", again.stderr)
        self.assertEqual(again.stdout, "")

    def test_zz_serve_requires_a_key_and_forgets_a_revoked_one(self):
        laptop, ci = self.key(self.laptop), self.key(self.ci)
        self.assertEqual(self.status(), 401)
        self.assertEqual(self.status({"Authorization": "Bearer " + laptop}), 200)
        self.assertEqual(self.status({"x-api-key": ci}), 200)
        self.quarry.run("keys", "revoke", "laptop")
        deadline = time.monotonic() + 10
        while self.status({"Authorization": "Bearer " + laptop}) != 401:
            self.assertLess(time.monotonic(), deadline, "the revoked key still works after 10 s")
            time.sleep(0.1)
        mark = self.serve.mark()
        self.assertEqual(self.status({"x-api-key": ci}), 200)
        self.assertNotIn("laptop", self.quarry.run("keys", "list").stdout)
        looked_up = subprocess.run(["secret-tool", "lookup", "server", "Quarry", "user",
                                    "secret/quarry:client-keys/laptop"], capture_output=True, text=True, timeout=30)
        self.assertEqual(looked_up.stdout, "")  # gone from the keychain too
        self.assertNotEqual(self.quarry.run("keys", "revoke", "laptop", check=False).returncode, 0)
        log = self.serve.log_through("POST /bedrock 200", since=mark)
        self.assertNotIn(laptop, log)
        self.assertNotIn(ci, log)


class NoKeychainTest(unittest.TestCase):
    def test_create_fails_clearly_and_writes_nothing(self):
        quarry = Quarry()
        try:
            created = quarry.run("keys", "create", "laptop", check=False)
            self.assertNotEqual(created.returncode, 0)
            self.assertIn("keychain", created.stderr)
            self.assertEqual(created.stdout, "")
            self.assertFalse(os.path.exists(os.path.join(quarry.config, "client-keys.json")))
        finally:
            quarry.close()


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
