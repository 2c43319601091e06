"""Backends without auth use the AWS SDKs' default credential chain, through the real `quarry serve`
and `quarry auth check`: a profile named by the quarry.dev/aws-profile annotation, its
credential_process, and an expired SSO login that tells the user what to run. (Each source is also
tested against fake STS/SSO endpoints in tst_aws_credentials_* and tst_gateway_credentials_sts.)"""
import json
import os
import stat
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, post  # noqa: E402

ACCESS_KEY = "AKIACHAINPROCESS0001"
SECRET_KEY = "chain-process-secret-5be1c0"
EXPIRING_KEY = "AKIACHAINEXPIRING001"  # the simulator calls its signatures expired


def backend(name, port, profile):
    return f"""\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: {name}
  annotations:
    quarry.dev/aws-profile: {profile}
spec:
  ai:
    provider:
      host: 127.0.0.1
      port: {port}
      bedrock:
        model: amazon.nova-micro-v1:0
        region: us-west-2
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {name}
spec:
  parentRefs: [{{name: agentgateway}}]
  rules:
  - matches: [{{path: {{type: PathPrefix, value: /{name}}}}}]
    backendRefs: [{{name: {name}, kind: AgentgatewayBackend}}]
"""


class DefaultChainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = None
        cls.quarry = Quarry()
        home = os.path.join(cls.quarry.config, "home")
        os.makedirs(os.path.join(home, ".aws", "sso", "cache"))
        script = os.path.join(home, "creds.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\n" + "printf '%s' '" + json.dumps({
                "Version": 1, "AccessKeyId": ACCESS_KEY, "SecretAccessKey": SECRET_KEY,
                "SessionToken": "chain-session-token-9a1f", "Expiration": "2099-01-01T00:00:00Z"}) + "'\n")
        os.chmod(script, stat.S_IRWXU)
        # Hands out the expiring key the first time it runs, the good one after; counts its runs.
        cls.renew_count = os.path.join(home, "renew-runs")
        renew = os.path.join(home, "renew.sh")
        with open(renew, "w") as f:
            f.write(f"""#!/bin/sh
echo x >> {cls.renew_count}
if [ "$(wc -l < {cls.renew_count})" -eq 1 ]; then key={EXPIRING_KEY}; else key={ACCESS_KEY}; fi
printf '{{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"{SECRET_KEY}","SessionToken":"t","Expiration":"2099-01-01T00:00:00Z"}}' "$key"
""")
        os.chmod(renew, stat.S_IRWXU)
        with open(os.path.join(home, ".aws", "config"), "w") as f:
            f.write(f"[profile dev]\ncredential_process = {script}\nregion = us-west-2\n\n"
                    "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\n"
                    "sso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
                    "sso_region = us-east-1\n\n"
                    f"[profile renew]\ncredential_process = {renew}\n")
        cls.quarry.env["HOME"] = home
        cls.sim = cls.quarry.simulator("--identity", f"{ACCESS_KEY}:{SECRET_KEY}",
                                       "--identity", f"{EXPIRING_KEY}:{SECRET_KEY}", "--expired-identity", EXPIRING_KEY)
        cls.quarry.run("apply", "-f", "-", input=backend("dev", cls.sim.port, "dev"))
        cls.quarry.run("apply", "-f", "-", input=backend("sso", cls.sim.port, "sso"))
        cls.quarry.run("apply", "-f", "-", input=backend("renew", cls.sim.port, "renew"))
        cls.serve = cls.quarry.serve()

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def test_profile_credential_process_signs_requests(self):
        status, _, body = post(self.serve.base + "/dev", {"model": "", "messages": [{"role": "user", "content": "hi"}]})
        self.assertEqual(status, 200, body)

    def test_auth_check_names_the_source_and_proves_it(self):
        result = self.quarry.run("auth", "check", "dev")
        self.assertIn("profile dev", result.stdout)
        self.assertIn("credential_process", result.stdout)
        self.assertIn("expire 2099-01-01", result.stdout)
        self.assertIn("Bedrock accepted them", result.stdout)
        self.assertNotIn(SECRET_KEY, result.stdout + result.stderr)

    def test_expired_sso_login_says_what_to_run(self):
        status, _, body = post(self.serve.base + "/sso", {"model": "", "messages": [{"role": "user", "content": "hi"}]})
        self.assertEqual(status, 401, body)
        self.assertIn("aws sso login --profile sso", json.loads(body)["error"]["message"])
        self.assertIn("aws sso login --profile sso", self.serve.log())

    def runs_of_renew(self):
        with open(self.renew_count) as f:
            return len(f.readlines())

    def test_expired_token_renews_the_credentials_once_and_retries(self):
        # serve got the expiring key at start (other quarry processes, e.g. auth check, run it too).
        before = self.runs_of_renew()
        status, _, body = post(self.serve.base + "/renew", {"model": "", "messages": [{"role": "user", "content": "hi"}]})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.runs_of_renew(), before + 1)  # one renewal after ExpiredTokenException

    def test_no_secret_values_in_the_log(self):
        post(self.serve.base + "/dev", {"model": "", "messages": [{"role": "user", "content": "hi"}]})
        self.assertNotIn(SECRET_KEY, self.serve.log())
        self.assertNotIn("chain-session-token-9a1f", self.serve.log())


if __name__ == "__main__":
    unittest.main()
