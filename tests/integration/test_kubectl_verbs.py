"""kubectl's habits with the real quarry binary and a throwaway --config dir: apply says created /
configured / unchanged and --dry-run=client|server changes nothing; get -n / -A / -o name; delete -f
removes what a file names; diff -f shows what apply would change, checked by GNU patch (a reader
not written here): live + diff = what `get -o yaml` prints after the apply."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, require  # noqa: E402

BACKEND = """apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: extra
  namespace: {ns}
spec:
  ai:
    provider:
      bedrock:
        region: {region}
"""
ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: extra
  namespace: {ns}
spec:
  parentRefs:
  - name: agentgateway
    namespace: agentgateway-system
  rules:
  - matches:
    - path: {{type: PathPrefix, value: /extra}}
    backendRefs:
    - name: extra
      kind: AgentgatewayBackend
"""


def manifests(region="us-west-2", ns="agentgateway-system"):
    return BACKEND.format(ns=ns, region=region) + "---\n" + ROUTE.format(ns=ns)


class KubectlVerbsTest(unittest.TestCase):
    def setUp(self):
        self.quarry = Quarry()
        self.addCleanup(self.quarry.close)
        self.file = os.path.join(self.quarry.config, "extra.yaml")
        self.write(manifests())

    def write(self, text):
        with open(self.file, "w") as out:
            out.write(text)

    def stored(self):
        path = os.path.join(self.quarry.config, "resources.yaml")
        if not os.path.exists(path):
            return None
        with open(path) as stored:
            return stored.read()

    def test_apply_reports_created_unchanged_configured(self):
        self.assertEqual(self.quarry.run("apply", "-f", self.file).stdout.splitlines(),
                         ["backend/extra created", "httproute/extra created"])
        self.assertEqual(self.quarry.run("apply", "-f", self.file).stdout.splitlines(),
                         ["backend/extra unchanged", "httproute/extra unchanged"])
        self.write(manifests(region="eu-west-1"))
        self.assertEqual(self.quarry.run("apply", "-f", self.file).stdout.splitlines(),
                         ["backend/extra configured", "httproute/extra unchanged"])

    def test_dry_runs_change_nothing(self):
        for mode, words in (("client", "(dry run)"), ("server", "(server dry run)")):
            result = self.quarry.run("apply", "-f", self.file, "--dry-run=" + mode)
            self.assertEqual(result.stdout.splitlines(),
                             ["backend/extra created " + words, "httproute/extra created " + words])
            self.assertIsNone(self.stored(), mode)
        self.assertNotIn("extra", self.quarry.run("get", "backends").stdout)
        bad = self.quarry.run("apply", "-f", self.file, "--dry-run=maybe", check=False)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("--dry-run must be none, client or server", bad.stderr)

    def test_server_dry_run_warns_about_references_like_apply(self):
        self.write(ROUTE.format(ns="agentgateway-system"))  # the route without its backend
        result = self.quarry.run("apply", "-f", self.file, "--dry-run=server")
        self.assertIn("backend", result.stderr.lower())
        self.assertIn("extra", result.stderr)
        self.assertIsNone(self.stored())

    def test_accepted_but_not_applied_fields_are_warnings(self):
        self.write(ROUTE.format(ns="agentgateway-system").replace(
            "spec:\n", "spec:\n  hostnames: [api.example.com]\n", 1) + "---\n" +
            BACKEND.format(ns="agentgateway-system", region="us-west-2") +
            "  policies:\n    ai:\n      prompt:\n        prepend:\n        - role: system\n          content: hi\n")
        result = self.quarry.run("apply", "-f", self.file)
        self.assertEqual(result.returncode, 0)  # warnings, as kubectl prints them: applied anyway
        self.assertIn("Warning: httproute/extra: spec.hostnames is kept (and exported) but not applied", result.stderr)
        self.assertNotIn("spec.policies.ai.prompt", result.stderr)  # applied: the gateway adds the message
        self.assertIn("api.example.com", self.quarry.run("get", "routes", "extra", "-o", "yaml").stdout)

    def test_what_kubectl_get_prints_applies_without_its_bookkeeping(self):
        listing = os.path.join(os.environ.get("QUARRY_SOURCE_DIR", "."), "tests", "data", "kubectl-get-list.yaml")
        self.assertEqual(self.quarry.run("apply", "-f", listing).stdout.splitlines(),
                         ["httproute/kx created", "backend/kb created", "gateway/agentgateway configured"])
        stored = self.stored()
        for noise in ("uid", "resourceVersion", "managedFields", "status", "finalizers", "creationTimestamp",
                      "last-applied-configuration"):
            self.assertNotIn(noise, stored)
        self.assertIn("app: x", stored)  # labels are the user's: kept
        self.assertEqual(self.quarry.run("apply", "-f", listing).stdout.splitlines(),
                         ["httproute/kx unchanged", "backend/kb unchanged", "gateway/agentgateway unchanged"])

    def test_get_one_namespace_or_all(self):
        self.write(manifests(ns="team-a"))
        self.quarry.run("apply", "-f", self.file)
        self.assertNotIn("team-a", self.quarry.run("get", "backends").stdout)
        self.assertIn("team-a", self.quarry.run("get", "backends", "-n", "team-a").stdout)
        everywhere = self.quarry.run("get", "backends", "-A").stdout
        self.assertIn("team-a", everywhere)
        self.assertIn("agentgateway-system", everywhere)
        self.assertEqual(self.quarry.run("get", "backends", "-A", "-o", "name").stdout.splitlines(),
                         ["agentgatewaybackend.gateway.kgateway.dev/bedrock",
                          "agentgatewaybackend.agentgateway.dev/extra"])
        by_name = self.quarry.run("get", "backends", "extra", "-A", check=False)
        self.assertEqual(by_name.returncode, 1)
        self.assertIn("across all namespaces", by_name.stderr)
        self.assertIn("No resources found in nowhere namespace",
                      self.quarry.run("get", "routes", "-n", "nowhere").stderr)

    def test_delete_what_a_file_names(self):
        self.quarry.run("apply", "-f", self.file)
        result = self.quarry.run("delete", "-f", self.file)
        self.assertEqual(result.stdout.splitlines(), ["backend/extra deleted", "httproute/extra deleted"])
        again = self.quarry.run("delete", "-f", self.file, check=False)
        self.assertEqual(again.returncode, 1)
        self.assertIn('backends "extra" not found', again.stderr)
        self.assertIn('httproutes "extra" not found', again.stderr)
        self.assertEqual(self.quarry.run("delete", "-f", self.file, "--ignore-not-found").returncode, 0)
        self.assertIn("bedrock", self.quarry.run("get", "backends").stdout)  # only what the file names

    def test_diff_shows_what_apply_would_change(self):
        require(subprocess.run(["sh", "-c", "command -v patch"], capture_output=True).returncode == 0,
                "GNU patch (Debian package patch)")
        self.write(BACKEND.format(ns="agentgateway-system", region="us-west-2"))
        self.assertEqual(self.quarry.run("diff", "-f", self.file, check=False).returncode, 1)  # all new
        self.quarry.run("apply", "-f", self.file)
        same = self.quarry.run("diff", "-f", self.file, check=False)
        self.assertEqual((same.returncode, same.stdout), (0, ""))

        live = self.quarry.run("get", "backends", "extra", "-o", "yaml").stdout
        self.write(BACKEND.format(ns="agentgateway-system", region="eu-west-1"))
        changed = self.quarry.run("diff", "-f", self.file, check=False)
        self.assertEqual(changed.returncode, 1, changed.stderr)
        self.assertIn("--- live/backends/agentgateway-system/extra", changed.stdout)
        self.assertIn("-        region: us-west-2\n+        region: eu-west-1", changed.stdout)
        self.assertIsNotNone(self.stored())
        self.assertNotIn("eu-west-1", self.stored())  # diff changed nothing

        with tempfile.TemporaryDirectory() as work:
            with open(os.path.join(work, "live.yaml"), "w") as out:
                out.write(live)
            patched = subprocess.run(["patch", "-F0", "-o", "merged.yaml", "live.yaml"], cwd=work,
                                     input=changed.stdout, capture_output=True, text=True, timeout=30)
            self.assertEqual(patched.returncode, 0, patched.stdout + patched.stderr)
            with open(os.path.join(work, "merged.yaml")) as patched_file:
                merged = patched_file.read()
        self.quarry.run("apply", "-f", self.file)
        self.assertEqual(merged, self.quarry.run("get", "backends", "extra", "-o", "yaml").stdout)

    def test_diff_errors_exit_2(self):
        missing = self.quarry.run("diff", "-f", os.path.join(self.quarry.config, "nope.yaml"), check=False)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("cannot read", missing.stderr)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
