"""`quarry serve` end to end, following ../shared/seed/bedrock-provider.md with quarry for kubectl.

Everything goes through the real binary: the CLI stores manifests and secrets (the keychain is a
private gnome-keyring, see tests/keychain/run-with-keychain.sh), `quarry serve` answers over HTTP,
and Bedrock is the built-in simulator, which checks the SigV4 signature or API key it receives."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, post, sse_events  # noqa: E402

# The seed's manifests as its rendered docs show them (namespace snippet -> agentgateway-system).
SEED_BACKEND_V22 = """\
apiVersion: gateway.kgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: bedrock
  namespace: agentgateway-system
spec:
  ai:
    provider:
      bedrock:
        model: "amazon.titan-text-lite-v1"
        region: "us-east-1"
  policies:
    auth:
      secretRef:
        name: bedrock-secret
"""
SEED_BACKEND_V21 = """\
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata:
  name: bedrock
  namespace: agentgateway-system
spec:
  type: AI
  ai:
    llm:
      bedrock:
        model: "amazon.titan-text-lite-v1"
        region: us-east-1
        auth:
          type: Secret
          secretRef:
            name: bedrock-secret
"""
SEED_ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bedrock
  namespace: agentgateway-system
spec:
  parentRefs:
    - name: agentgateway
      namespace: agentgateway-system
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /bedrock
    backendRefs:
    - name: bedrock
      namespace: agentgateway-system
      group: gateway.kgateway.dev
      kind: AgentgatewayBackend
"""
SEED_PROMPT = ("You are a cloud native solutions architect, skilled in explaining complex technical concepts such "
               "as API Gateway, microservices, LLM operations, kubernetes, and advanced networking patterns. Write "
               "me a 20-word pitch on why I should use an AI gateway in my Kubernetes cluster.")

ACCESS_KEY = "AKIAINTEGRATIONTEST1"
SECRET_KEY = "it-secret-key-0c5e1f9a7b"
SESSION_TOKEN = "it-session-token-5d2a9c"
API_KEY = "it-bedrock-api-key-77f3e1"
SECRET_VALUES = [SECRET_KEY, SESSION_TOKEN, API_KEY]


def seed_request(**extra):
    return dict({"model": "", "messages": [{"role": "user", "content": SEED_PROMPT}]}, **extra)


def simulated_backend(name, port, secret, model="amazon.titan-text-lite-v1"):
    """The seed's backend pointed at a simulator process through the provider host/port override."""
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
        model: "{model}"
        region: us-west-2
  policies:
    auth:
      secretRef:
        name: {secret}
"""


def route(name, path, backend):
    return SEED_ROUTE.replace("name: bedrock\n  namespace", f"name: {name}\n  namespace", 1) \
        .replace("value: /bedrock", f"value: {path}").replace("    - name: bedrock\n", f"    - name: {backend}\n")


class SeedSetupTest(unittest.TestCase):
    """The seed's AWS-credentials flow: create secret, apply backend and route, curl /bedrock.

    Under --simulate the built-in simulator accepts whatever key it is handed, so these answers alone do
    not prove the stored key was used: x-quarry-credentials (asserted below) says which one was. That
    Bedrock would accept the stored key's signature is checked in test_independent_signatures.py."""

    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        q = cls.quarry
        q.run("create", "secret", "generic", "bedrock-secret", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", f"--from-literal=secretKey={SECRET_KEY}",
              f"--from-literal=sessionToken={SESSION_TOKEN}")
        q.run("apply", "-f", "-", input=SEED_BACKEND_V22)
        q.run("apply", "-f", "-", input=SEED_ROUTE)
        cls.serve = q.serve("--simulate")

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def test_seed_request_returns_chat_completion(self):
        mark = self.serve.mark()
        status, headers, body = post(self.serve.base + "/bedrock", seed_request())
        self.assertEqual(status, 200, body)
        self.assertIn("application/json", headers["Content-Type"])
        # The simulator answered, signed with the key `create secret` stored (not the simulator's own).
        self.assertEqual(headers.get("x-quarry-upstream"), "simulator")
        self.assertEqual(headers.get("x-quarry-credentials"), "secret agentgateway-system/bedrock-secret")
        answer = json.loads(body)
        self.assertEqual(answer["object"], "chat.completion")
        self.assertEqual(answer["model"], "amazon.titan-text-lite-v1")
        self.assertIn("Simulated reply from amazon.titan-text-lite-v1", answer["choices"][0]["message"]["content"])
        self.assertEqual(answer["choices"][0]["message"]["role"], "assistant")
        self.assertEqual(answer["choices"][0]["finish_reason"], "stop")
        usage = answer["usage"]
        self.assertEqual(usage["prompt_tokens"], len(SEED_PROMPT.split()))
        self.assertGreater(usage["completion_tokens"], 0)
        self.assertEqual(usage["total_tokens"], usage["prompt_tokens"] + usage["completion_tokens"])
        line = self.serve.wait_for("POST /bedrock 200", since=mark)
        self.assertIsNotNone(line, self.serve.log())
        self.assertIn("backend=agentgateway-system/bedrock", line)
        self.assertIn("tokens=%d/" % usage["prompt_tokens"], line)
        self.assertIn('simulated credentials="secret agentgateway-system/bedrock-secret"', line)

    def test_stream_returns_chunks_usage_and_done(self):
        status, headers, body = post(self.serve.base + "/bedrock",
                                     seed_request(stream=True, stream_options={"include_usage": True}))
        self.assertEqual(status, 200, body)
        self.assertIn("text/event-stream", headers["Content-Type"])
        events = sse_events(body)
        self.assertEqual(events[-1], "[DONE]")
        chunks = [json.loads(e) for e in events[:-1]]
        self.assertTrue(all(c["object"] == "chat.completion.chunk" for c in chunks))
        text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
        self.assertIn("Simulated reply from amazon.titan-text-lite-v1", text)
        self.assertGreater(len([c for c in chunks if c["choices"] and c["choices"][0]["delta"].get("content")]), 3)
        finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
        self.assertEqual(finish, ["stop"])
        usage_chunks = [c for c in chunks if c.get("usage")]
        self.assertEqual(len(usage_chunks), 1)
        self.assertEqual(usage_chunks[0]["choices"], [])
        self.assertEqual(usage_chunks[0]["usage"]["prompt_tokens"], len(SEED_PROMPT.split()))

    def test_stream_without_include_usage_has_no_usage_chunk(self):
        status, _, body = post(self.serve.base + "/bedrock/v1/chat/completions", seed_request(stream=True))
        self.assertEqual(status, 200, body)
        events = sse_events(body)
        self.assertEqual(events[-1], "[DONE]")
        self.assertFalse(any(json.loads(e).get("usage") for e in events[:-1]))

    def test_max_tokens_gives_finish_reason_length(self):
        status, _, body = post(self.serve.base + "/bedrock", seed_request(max_tokens=3))
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual(answer["choices"][0]["finish_reason"], "length")
        self.assertEqual(answer["usage"]["completion_tokens"], 3)

    def test_throttling_keeps_status_and_maps_type(self):
        status, _, body = post(self.serve.base + "/bedrock",
                               {"model": "", "messages": [{"role": "user", "content": "hi [sim:throttle]"}]})
        self.assertEqual(status, 429, body)
        error = json.loads(body)["error"]
        self.assertEqual(error["type"], "rate_limit_error")
        self.assertIn("Too many requests", error["message"])

    def test_exception_mid_stream_is_an_error_event_not_done(self):
        status, _, body = post(self.serve.base + "/bedrock",
                               {"model": "", "stream": True,
                                "messages": [{"role": "user", "content": "go [sim:stream-exception]"}]})
        self.assertEqual(status, 200, body)
        events = sse_events(body)
        self.assertNotIn("[DONE]", events)
        last = json.loads(events[-1])
        self.assertIn("error", last)
        self.assertEqual(last["error"]["type"], "rate_limit_error")

    def test_malformed_json_is_a_clear_400(self):
        status, _, body = post(self.serve.base + "/bedrock", b'{"model": "", "messages": [')
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"]["type"], "invalid_request_error")

    def test_unknown_path_is_404_naming_the_routes(self):
        status, _, body = post(self.serve.base + "/nothing-here", seed_request())
        self.assertEqual(status, 404)
        self.assertIn("quarry get routes", json.loads(body)["error"]["message"])

    def test_foreign_host_header_is_refused(self):
        status, _, body = post(self.serve.base + "/bedrock", seed_request(),
                               headers={"Host": "attacker.example:%d" % self.serve.port})
        self.assertEqual(status, 403)
        self.assertIn("DNS-rebinding", json.loads(body)["error"]["message"])

    def test_browser_origin_is_refused(self):
        status, _, _ = post(self.serve.base + "/bedrock", seed_request(), headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 403)

    def test_secret_values_never_in_cli_output_or_log(self):
        listing = self.quarry.run("get", "secrets").stdout
        self.assertIn("accessKey", listing)
        as_yaml = self.quarry.run("get", "secrets", "bedrock-secret", "-n", "agentgateway-system", "-o", "yaml").stdout
        self.assertIn("secretKey", as_yaml)
        mark = self.serve.mark()
        post(self.serve.base + "/bedrock", seed_request())
        everything = listing + as_yaml + self.serve.log_through("POST /bedrock ", since=mark)
        for root, _, files in os.walk(self.quarry.config):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    everything += f.read().decode("utf-8", "replace")
        for value in SECRET_VALUES:
            self.assertNotIn(value, everything)


class CredentialsTest(unittest.TestCase):
    """Signatures and keys as a separate simulator (an AWS account that knows one identity) checks them."""

    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        q = cls.quarry
        cls.sim = q.simulator("--identity", f"{ACCESS_KEY}:{SECRET_KEY}", "--api-key", API_KEY)
        q.run("create", "secret", "generic", "right-keys", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", f"--from-literal=secretKey={SECRET_KEY}")
        q.run("create", "secret", "generic", "wrong-keys", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", "--from-literal=secretKey=not-the-right-secret")
        # The seed's API-key form: a Secret manifest with stringData.Authorization.
        q.run("apply", "-f", "-", input=f"""\
apiVersion: v1
kind: Secret
metadata:
  name: api-key
  namespace: agentgateway-system
type: Opaque
stringData:
  Authorization: {API_KEY}
""")
        manifests = "---\n".join([
            simulated_backend("signed", cls.sim.port, "right-keys", "us.anthropic.claude-3-5-haiku-20241022-v1:0"),
            simulated_backend("wrong", cls.sim.port, "wrong-keys"),
            simulated_backend("apikey", cls.sim.port, "api-key"),
            simulated_backend("nosecret", cls.sim.port, "does-not-exist"),
            route("signed", "/signed", "signed"), route("wrong", "/wrong", "wrong"),
            route("apikey", "/apikey", "apikey"), route("nosecret", "/nosecret", "nosecret"),
        ])
        q.run("apply", "-f", "-", input=manifests)
        cls.serve = q.serve()

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def test_sigv4_with_colon_model_id_is_accepted(self):
        status, _, body = post(self.serve.base + "/signed", seed_request())
        self.assertEqual(status, 200, body)
        self.assertIn("us.anthropic.claude-3-5-haiku-20241022-v1:0", json.loads(body)["choices"][0]["message"]["content"])

    def test_wrong_secret_gets_bedrock_signature_error(self):
        status, _, body = post(self.serve.base + "/wrong", seed_request())
        self.assertEqual(status, 403, body)
        error = json.loads(body)["error"]
        self.assertEqual(error["type"], "permission_error")
        self.assertIn("signature we calculated does not match", error["message"])

    def test_api_key_secret_is_sent_as_bearer(self):
        status, _, body = post(self.serve.base + "/apikey", seed_request(stream=True))
        self.assertEqual(status, 200, body)
        self.assertEqual(sse_events(body)[-1], "[DONE]")

    def test_missing_secret_is_401_naming_it(self):
        status, _, body = post(self.serve.base + "/nosecret", seed_request())
        self.assertEqual(status, 401, body)
        self.assertIn("agentgateway-system/does-not-exist", json.loads(body)["error"]["message"])

    def test_deleted_secret_is_no_longer_used(self):
        self.quarry.run("create", "secret", "generic", "short-lived", f"--from-literal=Authorization={API_KEY}")
        self.quarry.run("apply", "-f", "-", input=simulated_backend("shortlived", self.sim.port, "short-lived")
                        + "---\n" + route("shortlived", "/short-lived", "shortlived"))
        self.assertEqual(self.poll_status("/short-lived", lambda s: s == 200), 200)
        self.assertIn("short-lived", self.quarry.run("get", "secrets").stdout)
        self.quarry.run("delete", "secret", "short-lived")
        self.assertNotIn("short-lived", self.quarry.run("get", "secrets").stdout)
        self.assertEqual(self.poll_status("/short-lived", lambda s: s != 200), 401)

    def poll_status(self, path, done, seconds=10):
        """Config and secret changes reach a running serve within moments; poll until they do."""
        deadline = time.time() + seconds
        while True:
            status, _, _ = post(self.serve.base + path, seed_request())
            if done(status) or time.time() > deadline:
                return status
            time.sleep(0.2)

    def test_apply_while_serving_takes_effect(self):
        self.quarry.run("apply", "-f", "-", input=route("later", "/later", "signed"))
        deadline = time.time() + 10
        status = None
        while time.time() < deadline:
            status, _, _ = post(self.serve.base + "/later", seed_request())
            if status == 200:
                break
            time.sleep(0.2)
        self.assertEqual(status, 200)

    def test_silent_bedrock_is_504_after_the_request_timeout(self):
        slow = simulated_backend("slow", self.sim.port, "right-keys").replace(
            "        name: right-keys\n", "        name: right-keys\n    http:\n      requestTimeout: 1s\n")
        self.quarry.run("apply", "-f", "-", input=slow + "---\n" + route("slow", "/slow", "slow"))
        self.assertEqual(self.poll_status("/slow", lambda s: s != 404), 200)
        started = time.time()
        status, _, body = post(self.serve.base + "/slow",
                               {"model": "", "messages": [{"role": "user", "content": "wait [sim:slow:5000]"}]})
        self.assertEqual(status, 504, body)
        self.assertLess(time.time() - started, 4)
        self.assertIn("requestTimeout", json.loads(body)["error"]["message"])

    def test_failover_to_the_next_provider_names_it(self):
        manifest = f"""\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: failover
  namespace: agentgateway-system
spec:
  ai:
    groups:
    - providers:
      - name: primary-region
        host: 127.0.0.1
        port: 1
        bedrock: {{model: amazon.titan-text-lite-v1, region: us-east-1}}
    - providers:
      - name: second-region
        host: 127.0.0.1
        port: {self.sim.port}
        bedrock: {{model: amazon.titan-text-lite-v1, region: us-west-2}}
  policies:
    auth:
      secretRef: {{name: right-keys}}
"""
        self.quarry.run("apply", "-f", "-", input=manifest + "---\n" + route("failover", "/failover", "failover"))
        mark = self.serve.mark()
        self.assertEqual(self.poll_status("/failover", lambda s: s != 404), 200)
        line = self.serve.wait_for("POST /failover 200", since=mark)
        self.assertIn("provider=second-region", line)

    def test_backend_ai_policies_shape_the_request(self):
        manifest = simulated_backend("policies", self.sim.port, "right-keys", "") .replace(
            '        model: ""\n', "").replace("  policies:\n", """  policies:
    ai:
      modelAliases:
        fast: us.anthropic.claude-3-5-haiku-20241022-v1:0
      overrides:
      - field: max_tokens
        value: 2
      promptGuard:
        request:
        - regex:
            action: Reject
            builtins: [Ssn]
""")
        self.quarry.run("apply", "-f", "-", input=manifest + "---\n" + route("policies", "/policies", "policies"))
        self.assertEqual(self.poll_status("/policies", lambda s: s != 404), 400)  # no model in the request
        mark = self.serve.mark()
        status, _, body = post(self.serve.base + "/policies",
                               {"model": "fast", "max_tokens": 500, "messages": [{"role": "user", "content": "hello"}]})
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        line = self.serve.wait_for("POST /policies 200", since=mark)
        self.assertIn("model=us.anthropic.claude-3-5-haiku-20241022-v1:0", line)  # the alias was called
        self.assertEqual(answer["choices"][0]["finish_reason"], "length")  # the override won
        self.assertEqual(answer["usage"]["completion_tokens"], 2)
        # The guard refuses with agentgateway's default status (403, which the OpenAI SDKs raise as
        # PermissionDeniedError) and an OpenAI error body naming the guard.
        mark = self.serve.mark()
        status, _, body = post(self.serve.base + "/policies",
                               {"model": "fast", "messages": [{"role": "user", "content": "my SSN is 123-45-6789"}]})
        self.assertEqual(status, 403, body)
        error = json.loads(body)["error"]
        self.assertEqual(error["type"], "invalid_request_error", body)
        self.assertEqual(error["code"], "prompt_guard", body)
        self.assertIn("prompt guard", error["message"])
        self.assertIn("'Ssn'", error["message"])
        self.assertNotIn(b"123-45-6789", body)  # the refusal does not echo what it refused
        self.serve.wait_for("POST /policies 403", since=mark)  # and the request log says so

    def test_prompt_guard_response_masks_and_refuses_answers(self):
        # The simulator echoes the prompt, one word per delta, so "blue falcon" arrives split across
        # two deltas: the guard must still see it whole. The request guard is not configured, so
        # the words reach the answer and only promptGuard.response can mask or refuse them.
        def guarded(name, action):
            return simulated_backend(name, self.sim.port, "right-keys").replace("  policies:\n", f"""  policies:
    ai:
      promptGuard:
        response:
        - regex:
            action: {action}
            matches: ["blue falcon"]
          response:
            statusCode: 451
            message: the answer named the codename
""")
        self.quarry.run("apply", "-f", "-", input=guarded("masking", "Mask") + "---\n" + route("masking", "/masking", "masking")
                        + "---\n" + guarded("refusing", "Reject") + "---\n" + route("refusing", "/refusing", "refusing"))
        self.poll_status("/refusing", lambda s: s != 404)
        prompt = {"model": "", "messages": [{"role": "user", "content": "say blue falcon twice: blue falcon"}]}

        status, _, body = post(self.serve.base + "/masking", prompt)
        self.assertEqual(status, 200, body)
        text = json.loads(body)["choices"][0]["message"]["content"]
        self.assertNotIn("falcon", text)
        self.assertEqual(text.count("<MASKED>"), 2, text)

        status, _, body = post(self.serve.base + "/masking", dict(prompt, stream=True))
        self.assertEqual(status, 200, body)
        events = sse_events(body)
        self.assertEqual(events[-1], "[DONE]")
        streamed = "".join(c["choices"][0]["delta"].get("content") or ""
                           for c in map(json.loads, events[:-1]) if c["choices"])
        self.assertEqual(streamed, text)  # streamed and whole answers are masked alike

        status, _, body = post(self.serve.base + "/refusing", prompt)
        self.assertEqual(status, 451, body)
        error = json.loads(body)["error"]
        self.assertEqual((error["code"], error["message"]), ("prompt_guard", "the answer named the codename"))
        self.assertNotIn(b"falcon", body)

        status, _, body = post(self.serve.base + "/refusing", dict(prompt, stream=True))
        self.assertEqual(status, 200, body)  # the status went out before the answer did
        self.assertNotIn(b"falcon", body)
        events = sse_events(body)
        self.assertNotIn("[DONE]", events)
        self.assertEqual(json.loads(events[-1])["error"]["message"], "the answer named the codename")

    def test_backend_prompt_and_routes_are_applied(self):
        # policies.ai.prompt adds the backend's messages around the client's; policies.ai.routes
        # says which API a path speaks (agentgateway: ends-with on the path, longest first).
        manifest = simulated_backend("enriched", self.sim.port, "right-keys").replace("  policies:\n", """  policies:
    ai:
      routes:
        /custom/chat: Completions
      prompt:
        prepend:
        - role: SYSTEM
          content: three system words
        append:
        - role: USER
          content: appended-by-backend
""")
        self.quarry.run("apply", "-f", "-", input=manifest + "---\n" + route("enriched", "/enriched", "enriched"))
        self.poll_status("/enriched", lambda s: s != 404)
        prompt = {"model": "", "messages": [{"role": "user", "content": "client words"}]}
        status, _, body = post(self.serve.base + "/enriched/custom/chat", prompt)
        self.assertEqual(status, 200, body)  # a path no client API has, served as chat completions
        answer = json.loads(body)
        # The simulator echoes the last user turn and counts every word it was sent.
        self.assertIn("client words appended-by-backend", answer["choices"][0]["message"]["content"])
        self.assertEqual(answer["usage"]["prompt_tokens"], 2 + 3 + 1)

    def test_unreachable_bedrock_is_502(self):
        self.quarry.run("apply", "-f", "-", input=simulated_backend("gone", 1, "right-keys")
                        + "---\n" + route("gone", "/gone", "gone"))
        deadline = time.time() + 10
        while time.time() < deadline:
            status, _, body = post(self.serve.base + "/gone", seed_request())
            if status != 404:
                break
            time.sleep(0.2)
        self.assertEqual(status, 502, body)
        self.assertIn("Could not reach Bedrock", json.loads(body)["error"]["message"])


class EnvironmentCredentialsTest(unittest.TestCase):
    """A backend without auth takes AWS_* from the environment, as the AWS SDKs do."""

    def test_env_credentials_sign_requests(self):
        q = Quarry({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY})
        try:
            sim = q.simulator("--identity", f"{ACCESS_KEY}:{SECRET_KEY}")
            backend = simulated_backend("envcreds", sim.port, "unused").split("  policies:")[0]
            q.run("apply", "-f", "-", input=backend + "---\n" + route("envcreds", "/env", "envcreds"))
            serve = q.serve()
            status, _, body = post(serve.base + "/env", seed_request())
            self.assertEqual(status, 200, body)
        finally:
            q.close()


class ShutdownTest(unittest.TestCase):
    def test_sigterm_finishes_cleanly(self):
        q = Quarry()
        try:
            serve = q.serve("--simulate")
            status, _, _ = post(serve.base + "/bedrock", seed_request())
            self.assertEqual(status, 200)
            self.assertEqual(serve.stop(), 0, serve.log())
            self.assertIn("shutting down", serve.log())
        finally:
            q.close()


class ConfigCliTest(unittest.TestCase):
    def setUp(self):
        self.quarry = Quarry()

    def tearDown(self):
        self.quarry.close()

    def test_seed_v21_backend_is_accepted_and_listed(self):
        out = self.quarry.run("apply", "-f", "-", input=SEED_BACKEND_V21).stdout
        self.assertIn("bedrock", out)
        listing = self.quarry.run("get", "backends").stdout
        self.assertIn("amazon.titan-text-lite-v1", listing)
        shown = self.quarry.run("get", "backends", "bedrock", "-n", "agentgateway-system", "-o", "yaml").stdout
        self.assertIn("secretRef", shown)
        self.assertIn("bedrock-secret", shown)

    def test_invalid_manifest_names_the_field_and_keeps_config(self):
        self.quarry.run("apply", "-f", "-", input=SEED_BACKEND_V22)
        path = os.path.join(self.quarry.config, "resources.yaml")
        with open(path, "rb") as f:
            before = f.read()
        result = self.quarry.run("apply", "-f", "-", input=SEED_BACKEND_V22.replace("model:", "modle:"), check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("spec.ai.provider.bedrock.modle", result.stderr)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_delete_removes_route(self):
        self.quarry.run("apply", "-f", "-", input=route("extra", "/extra", "bedrock"))
        self.assertIn("extra", self.quarry.run("get", "routes").stdout)
        self.quarry.run("delete", "route", "extra", "-n", "agentgateway-system")
        self.assertNotIn("extra", self.quarry.run("get", "routes").stdout)
        result = self.quarry.run("delete", "route", "extra", "-n", "agentgateway-system", check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("not found", result.stderr)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
