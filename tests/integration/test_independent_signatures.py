"""Quarry's signatures checked by a signer not written here: tests/js/fake-bedrock.mjs recomputes each
request's SigV4 signature with the AWS SDK for JavaScript's @smithy/signature-v4, knowing one identity.

Quarry's built-in simulator verifies with Quarry's own signer, so it cannot catch a canonicalisation
mistake that signer and verifier share. Here the only way to a 200 is a request whose signature AWS's
own SDK computes the same way from the stored key: the seed flow (`quarry create secret` into the real
keychain, then `quarry serve` without --simulate), native passthrough where the client's own
Authorization, x-amz-date and x-amz-security-token must be replaced, and the control-plane listings
behind /v1/models (paginated, so a signed query string too)."""
import json
import os
import subprocess
import sys
import threading
import unittest

from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import SOURCE_DIR, Quarry, post, sse_events  # noqa: E402
from test_passthrough import frames, get, model_path, native  # noqa: E402
from test_serve import ACCESS_KEY, SECRET_KEY, SEED_PROMPT, SEED_ROUTE, SESSION_TOKEN, route, seed_request  # noqa: E402

TITAN = "amazon.titan-text-lite-v1"
CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0"
# What a client pointed at a gateway signs with: dummy keys, here with a session token as well, so a
# forwarded client header would be refused as an unknown token, not only as a bad signature.
CLIENT = Credentials("AKIDCLIENTDUMMY00000", "client-dummy-secret", "client-dummy-session-token")


def reply(model, text):
    """What the fake answers, so a 200 is known to come from it (and not from Quarry's simulator)."""
    return "Verified by @smithy/signature-v4 for %s: %s" % (model, text)


class FakeBedrock:
    """tests/js/fake-bedrock.mjs under node; `lines` holds its "accepted/rejected METHOD PATH" log."""

    def __init__(self, identity):
        node = os.environ.get("QUARRY_NODE", "")
        if not node or not os.path.isfile(node):
            raise RuntimeError("node is required for the independent SigV4 check (QUARRY_NODE=%r)" % node)
        script = os.path.join(SOURCE_DIR, "tests", "js", "fake-bedrock.mjs")
        # The identity goes by environment, not argv, so it never shows in a process listing.
        env = dict(os.environ, FAKE_BEDROCK_IDENTITY=identity)
        self.lines = []
        self._cond = threading.Condition()
        self.proc = subprocess.Popen([node, script, "--region", "us-east-1"], env=env, cwd=os.path.dirname(script),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        line = self.wait_for("fake bedrock listening on", timeout=20)
        if not line:
            self.stop()
            raise RuntimeError("fake bedrock did not start:\n" + "\n".join(self.lines))
        self.port = int(line.rsplit(":", 1)[1])

    def _pump(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def mark(self):
        with self._cond:
            return len(self.lines)

    def wait_for(self, text, timeout=10, since=0):
        with self._cond:
            self._cond.wait_for(lambda: any(text in line for line in self.lines[since:]) or self.proc.poll() is not None,
                                timeout)
            return next((line for line in self.lines[since:] if text in line), None)

    def seen(self, since):
        with self._cond:
            return self.lines[since:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def backend(name, port, secret, model=None):
    model_line = f'\n        model: "{model}"' if model else ""
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
      bedrock:{model_line}
        region: us-east-1
  policies:
    auth:
      secretRef:
        name: {secret}
"""


class IndependentSignatureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeBedrock(f"{ACCESS_KEY}:{SECRET_KEY}")
        cls.fake_with_token = FakeBedrock(f"{ACCESS_KEY}:{SECRET_KEY}:{SESSION_TOKEN}")
        cls.quarry = Quarry()
        q = cls.quarry
        # The seed's commands, as a user types them.
        q.run("create", "secret", "generic", "bedrock-secret", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", f"--from-literal=secretKey={SECRET_KEY}")
        q.run("create", "secret", "generic", "temporary-keys", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", f"--from-literal=secretKey={SECRET_KEY}",
              f"--from-literal=sessionToken={SESSION_TOKEN}")
        q.run("create", "secret", "generic", "wrong-keys", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", "--from-literal=secretKey=not-the-stored-secret")
        q.run("apply", "-f", "-", input="---\n".join([
            backend("bedrock", cls.fake.port, "bedrock-secret", TITAN), SEED_ROUTE,
            backend("temporary", cls.fake_with_token.port, "temporary-keys", TITAN),
            route("temporary", "/temporary", "temporary"),
            backend("wrong", cls.fake.port, "wrong-keys", TITAN), route("wrong", "/wrong", "wrong"),
            backend("native", cls.fake.port, "bedrock-secret"), route("native", "/native", "native"),
        ]))
        cls.serve = q.serve()  # not --simulate: every upstream call goes to a fake Bedrock

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()
        cls.fake.stop()
        cls.fake_with_token.stop()

    def assert_fake_accepted(self, fake, mark, request_line):
        fake.wait_for("accepted " + request_line, since=mark)  # its log is read on another thread
        seen = fake.seen(mark)
        self.assertIn("accepted " + request_line, seen, "\n".join(seen) + "\n" + self.serve.log())
        self.assertFalse([line for line in seen if line.startswith("rejected")], "\n".join(seen))

    # ---- the controls: the fake refuses what it should, so its 200s mean something ----

    def test_control_a_wrong_stored_secret_is_refused(self):
        mark = self.fake.mark()
        status, _, body = post(self.serve.base + "/wrong", seed_request())
        self.assertEqual(status, 403, body)
        self.assertIn("signature we calculated does not match", json.loads(body)["error"]["message"])
        self.assertTrue(self.fake.wait_for("rejected POST /model/%s/converse: InvalidSignatureException" % TITAN,
                                           since=mark), self.fake.seen(mark))

    def test_control_the_clients_own_signature_is_refused(self):
        mark = self.fake.mark()
        status, headers, body = native("http://127.0.0.1:%d/model/%s/converse" % (self.fake.port, model_path(CLAUDE)),
                                       {"messages": [{"role": "user", "content": [{"text": "hi"}]}]},
                                       credentials=CLIENT)
        self.assertEqual(status, 403, body)
        self.assertTrue(headers["x-amzn-errortype"].startswith("UnrecognizedClientException"), headers)
        # The fake's log is read on another thread: wait for this refusal's line, so that it does not
        # land after the next test's mark.
        self.assertTrue(self.fake.wait_for("rejected POST /model/%s/converse" % model_path(CLAUDE), since=mark))

    # ---- (a) the seed flow: the key `quarry create secret` stored signs the chat request ----

    def test_seed_chat_is_signed_with_the_stored_key(self):
        mark = self.fake.mark()
        status, headers, body = post(self.serve.base + "/bedrock", seed_request())
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("x-quarry-upstream"), "bedrock")
        self.assertNotIn("x-quarry-credentials", headers)  # said only of simulated answers
        answer = json.loads(body)
        self.assertEqual(answer["choices"][0]["message"]["content"], reply(TITAN, SEED_PROMPT))
        self.assert_fake_accepted(self.fake, mark, "POST /model/%s/converse" % TITAN)

    def test_seed_stream_is_signed_with_the_stored_key(self):
        mark = self.fake.mark()
        status, _, body = post(self.serve.base + "/bedrock", seed_request(stream=True))
        self.assertEqual(status, 200, body)
        events = sse_events(body)
        self.assertEqual(events[-1], "[DONE]")
        text = "".join(c["choices"][0]["delta"].get("content") or ""
                       for c in map(json.loads, events[:-1]) if c["choices"])
        self.assertEqual(text, reply(TITAN, SEED_PROMPT))
        self.assert_fake_accepted(self.fake, mark, "POST /model/%s/converse-stream" % TITAN)

    def test_stored_session_token_is_signed(self):
        mark = self.fake_with_token.mark()
        status, _, body = post(self.serve.base + "/temporary", seed_request())
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["choices"][0]["message"]["content"], reply(TITAN, SEED_PROMPT))
        self.assert_fake_accepted(self.fake_with_token, mark, "POST /model/%s/converse" % TITAN)

    # ---- (b) passthrough: the client's Authorization, x-amz-date and token are replaced ----

    def test_passthrough_converse_replaces_the_clients_signature(self):
        mark = self.fake.mark()
        status, _, body = native(self.serve.base + "/native/model/%s/converse" % model_path(CLAUDE),
                                 {"messages": [{"role": "user", "content": [{"text": "Why do quarries flood?"}]}]},
                                 credentials=CLIENT)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual(answer["output"]["message"]["content"][0]["text"], reply(CLAUDE, "Why do quarries flood?"))
        self.assert_fake_accepted(self.fake, mark, "POST /model/%s/converse" % model_path(CLAUDE))

    def test_passthrough_converse_stream_replaces_the_clients_signature(self):
        mark = self.fake.mark()
        status, headers, body = native(self.serve.base + "/native/model/%s/converse-stream" % model_path(CLAUDE),
                                       {"messages": [{"role": "user", "content": [{"text": "Stream it"}]}]},
                                       credentials=CLIENT)
        self.assertEqual(status, 200, body)
        deltas = [json.loads(payload)["delta"]["text"] for h, payload in frames(body)
                  if h.get(":event-type") == "contentBlockDelta"]
        self.assertEqual("".join(deltas), reply(CLAUDE, "Stream it"))
        self.assert_fake_accepted(self.fake, mark, "POST /model/%s/converse-stream" % model_path(CLAUDE))

    def test_passthrough_invoke_replaces_the_clients_signature(self):
        mark = self.fake.mark()
        body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
                "messages": [{"role": "user", "content": [{"type": "text", "text": "Invoke me"}]}]}
        status, _, answer = native(self.serve.base + "/native/model/%s/invoke" % model_path(CLAUDE), body,
                                   credentials=CLIENT)
        self.assertEqual(status, 200, answer)
        self.assertEqual(json.loads(answer)["content"][0]["text"], reply(CLAUDE, "Invoke me"))
        self.assert_fake_accepted(self.fake, mark, "POST /model/%s/invoke" % model_path(CLAUDE))

    # ---- (c) the control plane: /v1/models, its listings paginated ----

    def test_models_list_is_signed_page_by_page(self):
        mark = self.fake.mark()
        status, body = get(self.serve.base + "/native/v1/models")
        self.assertEqual(status, 200, body)
        ids = [model["id"] for model in json.loads(body)["data"]]
        # Three inference profiles, one per page: the 2nd and 3rd requests sign a nextToken query.
        self.assertEqual(ids, [TITAN, CLAUDE, "us.anthropic.claude-3-5-haiku-20241022-v1:0",
                               "us.amazon.nova-lite-v1:0", "us.meta.llama3-2-1b-instruct-v1:0"])
        self.fake.wait_for("accepted GET /inference-profiles", since=mark + 3)
        seen = self.fake.seen(mark)
        self.assertEqual(seen, ["accepted GET /foundation-models"] + ["accepted GET /inference-profiles"] * 3, seen)

    def test_no_secret_values_in_logs(self):
        mark = self.serve.mark()
        post(self.serve.base + "/bedrock", seed_request())
        everything = self.serve.log_through("POST /bedrock ", since=mark) + "\n".join(self.fake.seen(0) + self.fake_with_token.seen(0))
        for value in (SECRET_KEY, SESSION_TOKEN):
            self.assertNotIn(value, everything)


if __name__ == "__main__":
    unittest.main()
