"""Config edits are never lost, with the real quarry binary and throwaway --config dirs:
concurrent `quarry apply` processes each keep their change (the cross-process config lock),
kill -9 during a write leaves the old file or the new one, never a torn one, and
`quarry delete secret` removes a keychain item whose catalogue entry is missing.

ConcurrentApplyTest and KillDuringWriteTest need no keychain (Gateway/HTTPRoute manifests only);
SecretDeletionTest needs one: run it under tests/keychain/run-with-keychain.sh (its own CTest entry).
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from quarry_harness import QUARRY, Quarry

NAMESPACE = "agentgateway-system"
SECRET_VALUE = "config-safety-secret-3e8b1d"  # listed in tests/data/secret-values.txt


def route(name, version="1"):
    return f"""apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {name}
  labels:
    version: "{version}"
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /{name}
    backendRefs:
    - name: bedrock
      group: gateway.kgateway.dev
      kind: AgentgatewayBackend
"""


def apply_command(quarry, manifest_path):
    return [QUARRY, "apply", "-f", manifest_path, "--config", quarry.config]


def routes(quarry):
    """The routes in resources.yaml, as `quarry get` reads them (fails if the file does not load)."""
    result = quarry.run("get", "routes", "-o", "json", check=False)
    if result.returncode != 0:
        raise AssertionError("resources.yaml does not load: %s" % result.stderr)
    return json.loads(result.stdout)["items"]


class ConcurrentApplyTest(unittest.TestCase):
    ROUNDS = 3
    WRITERS = 20

    def setUp(self):
        self.quarry = Quarry()
        self.addCleanup(self.quarry.close)

    def test_concurrent_applies_lose_no_update(self):
        expected = {"bedrock"}
        for round_ in range(self.ROUNDS):
            names = ["r%d-%02d" % (round_, i) for i in range(self.WRITERS)]
            paths = []
            for name in names:
                path = os.path.join(self.quarry.config, name + ".manifest")
                with open(path, "w") as f:
                    f.write(route(name))
                paths.append(path)
            processes = [subprocess.Popen(apply_command(self.quarry, path), env=self.quarry.env,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                         for path in paths]
            for process in processes:
                _, stderr = process.communicate(timeout=120)
                self.assertEqual(process.returncode, 0, stderr)
            expected |= set(names)
            present = {item["metadata"]["name"] for item in routes(self.quarry)}
            self.assertEqual(sorted(expected - present), [], "updates lost in round %d" % round_)
            self.assertEqual(present, expected)
        # Nothing left holding the lock.
        self.assertFalse(os.path.exists(os.path.join(self.quarry.config, "quarry.lock")))

    def test_modes_are_owner_only(self):
        path = os.path.join(self.quarry.config, "one.manifest")
        with open(path, "w") as f:
            f.write(route("one"))
        os.chmod(self.quarry.config, 0o755)
        self.quarry.run("apply", "-f", path)
        self.assertEqual(os.stat(self.quarry.config).st_mode & 0o777, 0o700)
        self.assertEqual(os.stat(os.path.join(self.quarry.config, "resources.yaml")).st_mode & 0o777, 0o600)


class ApplyWarningsTest(unittest.TestCase):
    """Dangling references are applied (kubectl does too) but never in silence."""

    def setUp(self):
        self.quarry = Quarry()
        self.addCleanup(self.quarry.close)

    def test_route_to_missing_backend_and_backend_to_missing_secret_warn(self):
        manifest = route("orphan").replace("name: bedrock\n", "name: nowhere\n") + """---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: keyless
spec:
  ai:
    provider:
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-east-1
  policies:
    auth:
      secretRef:
        name: never-created
"""
        result = self.quarry.run("apply", "-f", "-", input=manifest)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stderr, r"Warning: httproute/orphan: .*nowhere.*not found")
        self.assertRegex(result.stderr, r"Warning: backend/keyless: .*never-created")
        # Both were stored all the same.
        self.assertIn("orphan", {item["metadata"]["name"] for item in routes(self.quarry)})

    def test_consistent_apply_prints_no_warning(self):
        result = self.quarry.run("apply", "-f", "-", input=route("fine"))
        self.assertNotIn("Warning", result.stderr)


class KillDuringWriteTest(unittest.TestCase):
    """A big config is rewritten by `quarry apply` over and over; each process is killed with
    SIGKILL at a random moment, half the time as soon as its write starts."""
    ROUTES = 600
    KILLS = 30

    def setUp(self):
        self.quarry = Quarry()
        self.addCleanup(self.quarry.close)
        self.file = os.path.join(self.quarry.config, "resources.yaml")
        manifest_dir = tempfile.mkdtemp(prefix="quarry-big-")
        self.addCleanup(shutil.rmtree, manifest_dir, ignore_errors=True)
        self.manifest = os.path.join(manifest_dir, "big.yaml")

    def write_manifest(self, version):
        with open(self.manifest, "w") as f:
            f.write("---\n".join(route("big-%04d" % i, str(version)) for i in range(self.ROUTES)))

    def version_on_disk(self):
        """The one version every big route has; fails if the file does not load or is mixed."""
        items = [item for item in routes(self.quarry) if item["metadata"]["name"].startswith("big-")]
        self.assertEqual(len(items), self.ROUTES, "a partial config was written")
        versions = {item["metadata"]["labels"]["version"] for item in items}
        self.assertEqual(len(versions), 1, "routes of different versions: %s" % sorted(versions))
        return int(versions.pop())

    def temp_files(self):
        return {name for name in os.listdir(self.quarry.config) if name.startswith("resources.yaml.")}

    def file_state(self):
        try:
            st = os.stat(self.file)
            return st.st_ino, st.st_size, st.st_mtime_ns
        except FileNotFoundError:
            return None

    def kill_when_writing(self, process, temps_before):
        """SIGKILL as soon as a write shows on disk (QSaveFile's temp file appears, or the file
        itself changes), give or take a random few hundred microseconds."""
        before = self.file_state()
        deadline = time.time() + 60
        while process.poll() is None and time.time() < deadline:
            if self.file_state() != before or self.temp_files() - temps_before:
                delay = random.uniform(0, 0.0005)
                if delay > 0.0001:
                    time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                return

    def test_kill_during_write_leaves_old_or_new_file(self):
        seed = os.environ.get("QUARRY_TEST_SEED", str(time.time()))
        random.seed(seed)
        print("QUARRY_TEST_SEED=%s" % seed, file=sys.stderr)
        self.write_manifest(0)
        started = time.time()
        self.quarry.run("apply", "-f", self.manifest)
        duration = time.time() - started
        self.assertEqual(self.version_on_disk(), 0)

        current = 0
        killed_mid_run = 0
        for version in range(1, self.KILLS + 1):
            self.write_manifest(version)
            temps_before = self.temp_files()
            process = subprocess.Popen(apply_command(self.quarry, self.manifest), env=self.quarry.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if version % 2:
                self.kill_when_writing(process, temps_before)
            else:
                time.sleep(random.uniform(0.3, 1.1) * duration)
                process.send_signal(signal.SIGKILL)
            _, stderr = process.communicate(timeout=120)
            if process.returncode == -signal.SIGKILL:
                killed_mid_run += 1
            else:
                self.assertEqual(process.returncode, 0, stderr)
            found = self.version_on_disk()
            self.assertIn(found, (current, version), "neither the old nor the new config")
            if process.returncode == 0:
                self.assertEqual(found, version)
            current = found
        self.assertGreater(killed_mid_run, self.KILLS // 2, "the kills came too late to test anything")

        # The lock a killed process left behind is taken over at once, not after a timeout.
        self.write_manifest(self.KILLS + 1)
        started = time.time()
        self.quarry.run("apply", "-f", self.manifest)
        self.assertLess(time.time() - started, duration + 5)
        self.assertEqual(self.version_on_disk(), self.KILLS + 1)
        print("killed %d of %d applies mid-run; apply takes %.2f s" % (killed_mid_run, self.KILLS, duration),
              file=sys.stderr)


class SecretDeletionTest(unittest.TestCase):
    """Needs a Secret Service: run under tests/keychain/run-with-keychain.sh."""

    def setUp(self):
        self.quarry = Quarry()
        self.addCleanup(self.quarry.close)
        self.catalog = os.path.join(self.quarry.config, "secrets.json")

    def drop_from_catalog(self, name):
        with open(self.catalog) as f:
            catalog = json.load(f)
        catalog["secrets"] = [s for s in catalog["secrets"] if s["name"] != name]
        with open(self.catalog, "w") as f:
            json.dump(catalog, f)

    def test_delete_secret_missing_from_catalogue_removes_keychain_item(self):
        self.quarry.run("create", "secret", "generic", "orphan", "-n", NAMESPACE,
                        f"--from-literal=Authorization={SECRET_VALUE}")
        self.drop_from_catalog("orphan")
        self.assertNotIn("orphan", self.quarry.run("get", "secrets").stdout)

        deleted = self.quarry.run("delete", "secret", "orphan", "-n", NAMESPACE, check=False)
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.assertIn("secret/orphan deleted", deleted.stdout)
        self.assertIn("removed from the OS keychain", deleted.stdout)
        self.assertIn("not in the list of secrets", deleted.stdout)

        # The keychain item is gone: now there is nothing anywhere.
        again = self.quarry.run("delete", "secret", "orphan", "-n", NAMESPACE, check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn('secrets "orphan" not found', again.stderr)

    def test_delete_secret_missing_from_keychain_removes_catalogue_entry(self):
        os.makedirs(self.quarry.config, exist_ok=True)
        with open(self.catalog, "w") as f:
            json.dump({"version": 1, "secrets": [{"namespace": NAMESPACE, "name": "listed-only",
                                                  "keys": ["Authorization"],
                                                  "updated": "2025-01-01T00:00:00.000Z"}]}, f)
        deleted = self.quarry.run("delete", "secret", "listed-only", "-n", NAMESPACE, check=False)
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.assertIn("the OS keychain had no item for it", deleted.stdout)
        self.assertNotIn("listed-only", self.quarry.run("get", "secrets").stdout)

    def test_delete_secret_in_both_places(self):
        self.quarry.run("create", "secret", "generic", "both", "-n", NAMESPACE,
                        f"--from-literal=Authorization={SECRET_VALUE}")
        deleted = self.quarry.run("delete", "secret", "both", "-n", NAMESPACE)
        self.assertIn("secret/both deleted (removed from the OS keychain)", deleted.stdout)
        self.assertNotIn("both", self.quarry.run("get", "secrets").stdout)
        again = self.quarry.run("delete", "secret", "both", "-n", NAMESPACE, check=False)
        self.assertIn('secrets "both" not found', again.stderr)

    def test_concurrent_create_secret_loses_no_catalogue_entry(self):
        names = ["concurrent-%02d" % i for i in range(10)]
        processes = [subprocess.Popen([QUARRY, "create", "secret", "generic", name, "-n", NAMESPACE,
                                       f"--from-literal=Authorization={SECRET_VALUE}",
                                       "--config", self.quarry.config],
                                      env=self.quarry.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
                     for name in names]
        for process in processes:
            _, stderr = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, stderr)
        listed = self.quarry.run("get", "secrets", "-o", "json").stdout
        present = {item["metadata"]["name"] for item in json.loads(listed)["items"]}
        self.assertEqual(present, set(names))
        self.assertEqual(os.stat(self.catalog).st_mode & 0o777, 0o600)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
