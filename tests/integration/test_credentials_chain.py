"""Backends without auth use the AWS SDKs' default credential chain, through the real `quarry serve`
and `quarry auth check`: a profile named by the quarry.dev/aws-profile annotation, its
credential_process, and an expired SSO login that tells the user what to run. (Each source is also
tested against fake STS/SSO endpoints in tst_aws_credentials_* and tst_gateway_credentials_sts.)"""
import hashlib
import http.server
import json
import os
import stat
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, post  # noqa: E402

ACCESS_KEY = "AKIACHAINPROCESS0001"
SECRET_KEY = "chain-process-secret-5be1c0"
EXPIRING_KEY = "AKIACHAINEXPIRING001"  # the simulator calls its signatures expired


SSO_TOKEN = "sso-access-token-61d0"


class FakeSsoPortal(http.server.BaseHTTPRequestHandler):
    """IAM Identity Center's GetRoleCredentials: trades the `aws sso login` token for role keys."""
    seen_tokens = []

    def do_GET(self):
        FakeSsoPortal.seen_tokens.append(self.headers.get("x-amz-sso_bearer_token"))
        if self.headers.get("x-amz-sso_bearer_token") != SSO_TOKEN or "role_name=Dev" not in self.path:
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"roleCredentials": {"accessKeyId": ACCESS_KEY, "secretAccessKey": SECRET_KEY,
                                               "sessionToken": "sso-session", "expiration": 4102444800000}})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def backend(name, port, profile, extra_annotations=""):
    return f"""\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: {name}
  annotations:
    quarry.dev/aws-profile: {profile}{extra_annotations}
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
        cls.quarry.users_own(home)  # the user's ~/.aws and credential_process script hold secrets by design
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
                    f"[profile renew]\ncredential_process = {renew}\n\n"
                    "[profile work]\nsso_session = work\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n"
                    "[sso-session work]\nsso_start_url = https://work.awsapps.com/start\nsso_region = eu-west-1\n")
        # What `aws sso login --profile work` leaves behind: the token cache, named by the session.
        cache = os.path.join(home, ".aws", "sso", "cache", hashlib.sha1(b"work").hexdigest() + ".json")
        with open(cache, "w") as f:
            json.dump({"accessToken": SSO_TOKEN, "expiresAt": "2099-01-01T00:00:00Z", "region": "eu-west-1",
                       "startUrl": "https://work.awsapps.com/start"}, f)
        cls.portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSsoPortal)
        threading.Thread(target=cls.portal.serve_forever, daemon=True).start()
        cls.quarry.env["HOME"] = home
        cls.sim = cls.quarry.simulator("--identity", f"{ACCESS_KEY}:{SECRET_KEY}",
                                       "--identity", f"{EXPIRING_KEY}:{SECRET_KEY}", "--expired-identity", EXPIRING_KEY)
        cls.quarry.run("apply", "-f", "-", input=backend("dev", cls.sim.port, "dev"))
        cls.quarry.run("apply", "-f", "-", input=backend("sso", cls.sim.port, "sso"))
        cls.quarry.run("apply", "-f", "-", input=backend("renew", cls.sim.port, "renew"))
        portal = f"\n    quarry.dev/sso-endpoint: http://127.0.0.1:{cls.portal.server_address[1]}"
        cls.quarry.run("apply", "-f", "-", input=backend("work", cls.sim.port, "work", portal))
        cls.serve = cls.quarry.serve()

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()
        cls.portal.shutdown()

    def test_sso_login_is_traded_at_the_configured_portal(self):
        status, _, body = post(self.serve.base + "/work", {"model": "", "messages": [{"role": "user", "content": "hi"}]})
        self.assertEqual(status, 200, body)
        self.assertIn(SSO_TOKEN, FakeSsoPortal.seen_tokens)

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
        mark = self.serve.mark()
        post(self.serve.base + "/dev", {"model": "", "messages": [{"role": "user", "content": "hi"}]})
        log = self.serve.log_through("POST /dev ", since=mark)
        self.assertNotIn(SECRET_KEY, log)
        self.assertNotIn("chain-session-token-9a1f", log)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
