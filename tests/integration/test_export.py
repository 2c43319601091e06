"""`quarry export` through the real binary and a real keychain (tests/keychain/run-with-keychain.sh).

Round trip: what `quarry export` writes, applied with `quarry apply -f` to an empty config, gives back
the resources `quarry get` showed, less the desktop-only settings the export leaves out (loopback
endpoint overrides, the Gateway's bind address, quarry.dev/ annotations) and, for kgateway v2.1,
the fields that version has no place for. And no secret value the test stored (an inline API key,
a Secret's keys) is in any export output, in either --secrets mode, on stdout, stderr or in files.
The CRD schema checks are tests/js/export-schemas.test.mjs."""
import ipaddress
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, secret_values  # noqa: E402

SOURCE = os.environ.get("QUARRY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FULL_SETUP = os.path.join(SOURCE, "tests", "data", "export", "full-setup.yaml")
TARGETS = ("agentgateway", "kgateway-v2.2", "kgateway-v2.1")

INLINE_KEY = "it-inline-api-key-4c8e2a"  # in tests/data/secret-values.txt
SECRET_KEY = "it-secret-key-0c5e1f9a7b"  # ditto
SESSION_TOKEN = "it-session-token-5d2a9c"  # ditto

INLINE_BACKEND = f"""\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: inline
  namespace: agentgateway-system
spec:
  ai:
    provider:
      bedrock:
        model: amazon.nova-micro-v1:0
        region: us-west-2
  policies:
    auth:
      key: "{INLINE_KEY}"
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: inline
  namespace: agentgateway-system
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /inline
    backendRefs:
    - name: inline
"""


def items(quarry, kind):
    listing = json.loads(quarry.run("get", kind, "-A", "-o", "json").stdout)
    return {(o["metadata"]["namespace"], o["metadata"]["name"]): o for o in listing["items"]}


def is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def without_desktop_only(kind, obj, target):
    """The resource as a cluster gets it back: what the export leaves out, left out here too."""
    obj = json.loads(json.dumps(obj))
    meta = obj["metadata"]
    annotations = {k: v for k, v in meta.get("annotations", {}).items() if not k.startswith("quarry.dev/")}
    meta.pop("annotations", None)
    if annotations:
        meta["annotations"] = annotations
    spec = obj["spec"]
    if kind == "gateways":
        spec.pop("addresses", None)
    elif kind == "routes":
        # A bare backendRef name and one with the target's group/kind name the same backend.
        for rule in spec.get("rules", []):
            for ref in rule.get("backendRefs", []):
                ref.pop("group", None)
                ref.pop("kind", None)
    elif kind == "backends":
        obj.pop("apiVersion")  # the target's group; Quarry keeps either
        providers = [spec["ai"]["provider"]] if "provider" in spec["ai"] else \
            [p for group in spec["ai"]["groups"] for p in group["providers"]]
        for provider in providers:
            if is_loopback(provider.get("host", "")):
                for field in ("host", "port", "path"):
                    provider.pop(field, None)
        if target == "kgateway-v2.1":
            legacy_backend(spec, providers)
    return obj


def legacy_backend(spec, providers):
    """kgateway v2.1's Backend holds auth (one secretRef shape) and route types, nothing else of
    v2.2's policies: the export warns about the rest, and they do not come back."""
    def auth_only(policies):
        auth = policies.get("auth", {})
        if "aws" in auth:
            auth = {"secretRef": auth["aws"]["secretRef"]}
        return {"auth": auth} if auth else {}

    policies = spec.get("policies", {})
    kept = auth_only(policies)
    routes = {path: kind for path, kind in policies.get("ai", {}).get("routes", {}).items() if kind != "Embeddings"}
    if routes:
        kept["ai"] = {"routes": routes}
    spec.pop("policies", None)
    if kept:
        spec["policies"] = kept
    for provider in providers:
        if "policies" in provider:
            own = auth_only(provider["policies"])
            provider.pop("policies")
            if own:
                provider["policies"] = own


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        q = cls.quarry
        q.run("apply", "-f", FULL_SETUP)
        q.run("apply", "-f", "-", input=INLINE_BACKEND)
        q.run("create", "secret", "generic", "aws-keys", "--from-literal=accessKey=AKIAEXPORTTEST",
              "--from-literal=secretKey=" + SECRET_KEY, "--from-literal=sessionToken=" + SESSION_TOKEN)
        cls.scratch = tempfile.TemporaryDirectory(prefix="quarry-export-")

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()
        cls.quarry.close()  # also fails if any file in the config dir holds a listed secret value

    def export(self, *args):
        return self.quarry.run("export", *args)

    def assert_no_secret(self, text, where):
        for number, value in enumerate(secret_values(), 1):
            # Names the value's number in secret-values.txt, never the value.
            self.assertNotIn(value, text, "secret value #%d is in %s" % (number, where))

    def test_no_secret_value_in_any_export_output(self):
        self.assertIn(INLINE_KEY, secret_values(), "the test's key is in secret-values.txt")
        checked = 0
        for target in TARGETS:
            for mode in ("manifest", "kubectl"):
                where = "export --target %s --secrets=%s" % (target, mode)
                shown = self.export("--target", target, "--secrets=" + mode)
                self.assert_no_secret(shown.stdout + shown.stderr, where + " (stdout/stderr)")
                # The references and key names are there: only the values are not.
                self.assertIn("inline-inline-key", shown.stdout)
                self.assertIn("secretKey", shown.stdout)
                outdir = os.path.join(self.scratch.name, "%s-%s" % (target, mode)) + "/"
                written = self.export("--target", target, "--secrets=" + mode, "-o", outdir)
                self.assert_no_secret(written.stdout + written.stderr, where + " -o DIR")
                for name in sorted(os.listdir(outdir)):
                    with open(os.path.join(outdir, name), encoding="utf-8") as f:
                        self.assert_no_secret(f.read(), where + " -o DIR: " + name)
                    checked += 1
        self.assertGreater(checked, 20)

    def test_secret_placeholders_name_the_keys_the_secret_holds(self):
        shown = self.export("--target", "agentgateway").stdout
        # aws-keys' key names come from the catalogue; the inline key's Secret holds Authorization.
        self.assertIn("accessKey: ${AWS_ACCESS_KEY_ID}", shown)
        self.assertIn("Authorization: ${AWS_BEARER_TOKEN_BEDROCK}", shown)
        kubectl = self.export("--target", "agentgateway", "--secrets=kubectl").stdout
        self.assertIn('kubectl create secret generic inline-inline-key -n agentgateway-system '
                      '--from-literal=Authorization="$AWS_BEARER_TOKEN_BEDROCK"', kubectl)
        self.assertNotIn("kind: Secret", kubectl)

    def round_trip(self, target):
        path = os.path.join(self.scratch.name, "round-trip-%s.yaml" % target)
        self.export("--target", target, "--secrets=kubectl", "-o", path)
        cluster = Quarry()
        try:
            cluster.run("apply", "-f", path)
            for kind in ("gateways", "routes", "backends"):
                before = {k: without_desktop_only(kind, v, target) for k, v in items(self.quarry, kind).items()}
                after = {k: without_desktop_only(kind, v, target) for k, v in items(cluster, kind).items()}
                self.assertEqual(sorted(before), sorted(after), kind)
                for key in before:
                    self.assertEqual(before[key], after[key], "%s %s/%s after the round trip" % ((kind,) + key))
            return items(cluster, "backends")
        finally:
            cluster.close()

    def test_round_trip_agentgateway(self):
        backends = self.round_trip("agentgateway")
        self.assertEqual(backends[("agentgateway-system", "fleet")]["apiVersion"], "agentgateway.dev/v1alpha1")
        # The loopback override is gone; the VPC endpoint is not.
        providers = [p for g in backends[("agentgateway-system", "fleet")]["spec"]["ai"]["groups"] for p in g["providers"]]
        self.assertNotIn("host", [p for p in providers if p["name"] == "simulator"][0])
        self.assertIn("vpce", [p for p in providers if p["name"] == "fallback"][0]["host"])

    def test_round_trip_kgateway_v22(self):
        backends = self.round_trip("kgateway-v2.2")
        self.assertEqual(backends[("agentgateway-system", "fleet")]["apiVersion"], "gateway.kgateway.dev/v1alpha1")

    def test_round_trip_kgateway_v21(self):
        backends = self.round_trip("kgateway-v2.1")
        fleet = backends[("agentgateway-system", "fleet")]["spec"]
        self.assertEqual(fleet["policies"]["ai"]["routes"]["/v1/messages"], "Messages")
        self.assertEqual(fleet["ai"]["groups"][0]["providers"][0]["bedrock"]["guardrail"]["identifier"], "gr-abc123")

    def test_namespace_option_moves_everything(self):
        shown = self.export("--target", "agentgateway", "-n", "team-a").stdout
        self.assertNotIn("namespace: agentgateway-system", shown)
        self.assertIn("namespace: team-a", shown)

    def test_bad_arguments_fail_with_one_line(self):
        for args, message in ((("--target", "istio"), "unknown target"), ((), "needs --target"),
                              (("--target", "agentgateway", "--secrets=plain"), "--secrets must be"),
                              (("--target", "agentgateway", "-n", "Team_A"), "is not a namespace name")):
            result = self.quarry.run("export", *args, check=False)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn(message, result.stderr)


if __name__ == "__main__":
    unittest.main()
