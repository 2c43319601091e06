"""Native Bedrock through `quarry serve`: /model/{id}/{converse,converse-stream,invoke,
invoke-with-response-stream,count-tokens} re-signed with the backend's credentials, and /v1/models.

Bedrock is a separate `quarry simulator` process that knows one IAM identity, the backend's. Clients
sign with dummy credentials, as boto3 pointed at a gateway does; the simulator would refuse those, so
a 200 proves Quarry dropped the client's signature and signed again. Debian's boto3 predates
bedrock-runtime, so requests are built and signed with botocore's own AWSRequest/SigV4Auth, and event
streams are read with botocore's EventStreamBuffer (parsers not written here)."""
import base64
import json
import os
import sys
import unittest
import urllib.error
import urllib.parse
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.eventstream import EventStreamBuffer

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry  # noqa: E402
from test_serve import ACCESS_KEY, SECRET_KEY, route  # noqa: E402

CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0"
TITAN = "amazon.titan-text-lite-v1"
DUMMY = Credentials("AKIDDUMMYCLIENT00000", "dummy-client-secret")
PROMPT = "Explain in one line why quarries flood"


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


# A backend with a guardrail and a prompt guard of its own: native calls must not escape them.
GUARDED = """\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: guarded
  namespace: agentgateway-system
spec:
  ai:
    provider:
      host: 127.0.0.1
      port: %d
      bedrock:
        region: us-east-1
        guardrail:
          identifier: gr-backend
          version: "1"
  policies:
    auth:
      secretRef:
        name: right-keys
    ai:
      promptGuard:
        request:
        - regex:
            action: Reject
            matches: [secret-plan]
        response:
        - regex:
            action: Mask
            matches: [masked-word]
"""


def model_path(model_id):
    """The path segment as the AWS SDKs serialise the {modelId} label."""
    return urllib.parse.quote(model_id, safe="")


def native(url, body, method="POST", credentials=DUMMY, headers=None):
    """A SigV4-signed request the way an AWS SDK sends it; returns (status, headers, body)."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = AWSRequest(method=method, url=url, data=data,
                         headers=dict({"Content-Type": "application/json", "Accept": "application/json"},
                                      **(headers or {})))
    SigV4Auth(credentials, "bedrock", "us-east-1").add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, data=prepared.body, method=method, headers=dict(prepared.headers))
    try:
        with urllib.request.urlopen(raw, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def frames(body):
    """Every event-stream message, decoded by botocore: (headers dict, payload bytes)."""
    buffer = EventStreamBuffer()
    buffer.add_data(body)
    return [(message.headers, message.payload) for message in buffer]


def anthropic_body(text, **extra):
    return dict({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 300,
                 "messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]}, **extra)


def reply_words(model, text):
    return len(("Simulated reply from %s: %s" % (model, text)).split())


class PassthroughTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        q = cls.quarry
        cls.sim = q.simulator("--identity", f"{ACCESS_KEY}:{SECRET_KEY}")
        q.run("create", "secret", "generic", "right-keys", "-n", "agentgateway-system",
              f"--from-literal=accessKey={ACCESS_KEY}", f"--from-literal=secretKey={SECRET_KEY}")
        q.run("apply", "-f", "-", input="---\n".join([
            backend("fixed", cls.sim.port, "right-keys", TITAN), route("fixed", "/fixed", "fixed"),
            backend("open", cls.sim.port, "right-keys"), route("open", "/open", "open"),
            backend("nokeys", cls.sim.port, "does-not-exist"), route("nokeys", "/nokeys", "nokeys"),
            GUARDED % cls.sim.port, route("guarded", "/guarded", "guarded"),
        ]))
        cls.serve = q.serve()
        cls.base = cls.serve.base + "/fixed"  # pins Titan
        cls.open = cls.serve.base + "/open"   # serves the model each request names

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def log_line(self, mark, text):
        line = self.serve.wait_for(text, since=mark)
        self.assertIsNotNone(line, self.serve.log())
        return line

    def test_dummy_credentials_are_refused_by_bedrock_itself(self):
        # The control for every test below: the simulator does not know the client's identity.
        url = "http://127.0.0.1:%d/model/%s/invoke" % (self.sim.port, model_path(CLAUDE))
        status, headers, _ = native(url, anthropic_body(PROMPT))
        self.assertEqual(status, 403)

    def test_invoke_anthropic_is_resigned(self):
        mark = self.serve.mark()
        status, headers, body = native(self.open + "/model/%s/invoke" % model_path(CLAUDE),
                                       anthropic_body(PROMPT, system="Be brief."))
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual(answer["content"][0]["text"], "Simulated reply from %s: %s" % (CLAUDE, PROMPT))
        input_words = len(PROMPT.split()) + 2
        self.assertEqual(answer["usage"]["input_tokens"], input_words)
        self.assertEqual(headers["x-amzn-bedrock-input-token-count"], str(input_words))
        self.assertTrue(headers.get("x-amzn-requestid"))
        line = self.log_line(mark, "/invoke 200")
        self.assertIn("model=" + CLAUDE, line)
        self.assertIn("tokens=%d/%d" % (input_words, reply_words(CLAUDE, PROMPT)), line)
        self.assertIn("stop=end_turn", line)

    def test_invoke_titan(self):
        mark = self.serve.mark()
        status, _, body = native(self.base + "/model/%s/invoke" % TITAN, {"inputText": PROMPT})
        self.assertEqual(status, 200, body)
        result = json.loads(body)["results"][0]
        self.assertEqual(result["outputText"], "Simulated reply from %s: %s" % (TITAN, PROMPT))
        line = self.log_line(mark, "/invoke 200")
        self.assertIn("tokens=%d/%d" % (len(PROMPT.split()), reply_words(TITAN, PROMPT)), line)

    def test_invoke_with_response_stream_is_forwarded_as_event_stream(self):
        mark = self.serve.mark()
        status, headers, body = native(self.open + "/model/%s/invoke-with-response-stream" % model_path(CLAUDE),
                                       anthropic_body(PROMPT),
                                       headers={"Accept": "application/vnd.amazon.eventstream"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "application/vnd.amazon.eventstream")
        events = [json.loads(base64.b64decode(json.loads(payload)["bytes"]))
                  for message_headers, payload in frames(body) if message_headers[":event-type"] == "chunk"]
        self.assertEqual(events[0]["type"], "message_start")
        self.assertEqual(events[-1]["type"], "message_stop")
        text = "".join(e["delta"]["text"] for e in events if e["type"] == "content_block_delta")
        self.assertEqual(text, "Simulated reply from %s: %s" % (CLAUDE, PROMPT))
        line = self.log_line(mark, "/invoke-with-response-stream 200")
        self.assertIn("tokens=%d/%d" % (len(PROMPT.split()), reply_words(CLAUDE, PROMPT)), line)
        self.assertIn("ttft=", line)

    def test_converse(self):
        mark = self.serve.mark()
        status, _, body = native(self.open + "/model/%s/converse" % model_path(CLAUDE),
                                 {"messages": [{"role": "user", "content": [{"text": PROMPT}]}]})
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual(answer["output"]["message"]["content"][0]["text"],
                         "Simulated reply from %s: %s" % (CLAUDE, PROMPT))
        line = self.log_line(mark, "/converse 200")
        self.assertIn("tokens=%d/%d" % (len(PROMPT.split()), reply_words(CLAUDE, PROMPT)), line)

    def test_converse_stream(self):
        mark = self.serve.mark()
        status, headers, body = native(self.open + "/model/%s/converse-stream" % model_path(CLAUDE),
                                       {"messages": [{"role": "user", "content": [{"text": PROMPT}]}]},
                                       headers={"Accept": "application/vnd.amazon.eventstream"})
        self.assertEqual(status, 200, body)
        messages = frames(body)
        kinds = [h[":event-type"] for h, _ in messages]
        self.assertEqual(kinds[0], "messageStart")
        self.assertEqual(kinds[-1], "metadata")
        usage = json.loads(messages[-1][1])["usage"]
        self.assertEqual(usage["inputTokens"], len(PROMPT.split()))
        line = self.log_line(mark, "/converse-stream 200")
        self.assertIn("tokens=%d/%d" % (len(PROMPT.split()), reply_words(CLAUDE, PROMPT)), line)

    def test_count_tokens(self):
        status, _, body = native(self.open + "/model/%s/count-tokens" % model_path(CLAUDE),
                                 {"input": {"invokeModel": {"body": json.dumps(anthropic_body(PROMPT))}}})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["inputTokens"], len(PROMPT.split()))
        status, headers, body = native(self.base + "/model/%s/count-tokens" % TITAN,
                                       {"input": {"invokeModel": {"body": json.dumps({"inputText": PROMPT})}}})
        self.assertEqual(status, 400, body)
        self.assertTrue(headers["x-amzn-errortype"].startswith("ValidationException"))

    def test_bedrock_errors_keep_the_native_shape(self):
        status, headers, body = native(self.open + "/model/%s/invoke" % model_path(CLAUDE),
                                       anthropic_body("hello [sim:throttle]"))
        self.assertEqual(status, 429, body)
        self.assertTrue(headers["x-amzn-errortype"].startswith("ThrottlingException"))
        self.assertIn("Too many requests", json.loads(body)["message"])

    def test_a_pinned_backend_serves_only_its_model(self):
        status, headers, body = native(self.base + "/model/%s/invoke" % model_path(CLAUDE), anthropic_body(PROMPT))
        self.assertEqual(status, 400, body)
        self.assertTrue(headers["x-amzn-errortype"].startswith("ValidationException"))
        self.assertIn("serves only %s" % TITAN, json.loads(body)["message"])

    def test_the_backends_guardrail_replaces_the_clients(self):
        status, _, body = native(self.serve.base + "/guarded/model/%s/converse" % model_path(CLAUDE), {
            "messages": [{"role": "user", "content": [{"text": PROMPT}]}],
            "guardrailConfig": {"guardrailIdentifier": "gr-client", "guardrailVersion": "9"}},
            headers={"X-Amzn-Bedrock-GuardrailIdentifier": "gr-client-header"})
        self.assertEqual(status, 200, body)
        trace = json.dumps(json.loads(body).get("trace"))
        self.assertIn("gr-backend", trace)
        self.assertNotIn("gr-client", trace)

    def test_the_backends_prompt_guard_holds_for_native_converse(self):
        status, headers, body = native(self.serve.base + "/guarded/model/%s/converse" % model_path(CLAUDE),
                                       {"messages": [{"role": "user", "content": [{"text": "the secret-plan"}]}]})
        self.assertEqual(status, 403, body)
        self.assertTrue(headers["x-amzn-errortype"].startswith("AccessDeniedException"))

    def test_the_backends_prompt_guard_reads_invoke_bodies(self):
        # InvokeModel's body is the model's own shape: every string in it is guarded.
        status, headers, body = native(self.serve.base + "/guarded/model/%s/invoke" % model_path(CLAUDE),
                                       anthropic_body("the secret-plan"))
        self.assertEqual(status, 403, body)
        self.assertTrue(headers["x-amzn-errortype"].startswith("AccessDeniedException"))
        self.assertIn("the request contains text matching", json.loads(body)["message"])

    def test_the_backends_answer_guard_masks_native_answers(self):
        status, _, body = native(self.serve.base + "/guarded/model/%s/converse" % model_path(CLAUDE),
                                 {"messages": [{"role": "user", "content": [{"text": "echo masked-word"}]}]})
        self.assertEqual(status, 200, body)
        text = json.loads(body)["output"]["message"]["content"][0]["text"]
        self.assertIn("echo <MASKED>", text)
        status, _, body = native(self.serve.base + "/guarded/model/%s/invoke" % model_path(CLAUDE),
                                 anthropic_body("echo masked-word"))
        self.assertEqual(status, 200, body)
        self.assertIn("echo <MASKED>", json.loads(body)["content"][0]["text"])
        self.assertNotIn(b"masked-word", body)
        # A native stream is relayed as Bedrock sends it, so the guard refuses it instead.
        status, headers, body = native(
            self.serve.base + "/guarded/model/%s/invoke-with-response-stream" % model_path(CLAUDE),
            anthropic_body("echo masked-word"))
        self.assertEqual(status, 400, body)
        self.assertIn("promptGuard.response", json.loads(body)["message"])

    def test_gateway_errors_use_the_native_shape_too(self):
        status, headers, body = native(self.serve.base + "/nokeys/model/%s/invoke" % model_path(CLAUDE),
                                       anthropic_body(PROMPT))
        self.assertEqual(status, 401, body)
        self.assertIn("x-amzn-errortype", headers)
        error = json.loads(body)
        self.assertNotIn("error", error)
        self.assertIn("does-not-exist", error["message"])

    def test_models_of_a_backend_with_a_model(self):
        status, body = get(self.base + "/v1/models")
        self.assertEqual(status, 200, body)
        listing = json.loads(body)
        self.assertEqual(listing["object"], "list")
        self.assertEqual([m["id"] for m in listing["data"]], [TITAN])
        self.assertEqual(listing["data"][0]["object"], "model")

    def test_models_of_an_open_backend_come_from_the_control_plane(self):
        status, body = get(self.serve.base + "/open/models")
        self.assertEqual(status, 200, body)
        data = json.loads(body)["data"]
        ids = [m["id"] for m in data]
        self.assertIn(CLAUDE, ids)
        self.assertIn(TITAN, ids)
        # Three inference profiles over two pages of the simulator's ListInferenceProfiles.
        profiles = [i for i in ids if i.startswith("us.")]
        self.assertEqual(len(profiles), 3, ids)
        self.assertEqual(next(m for m in data if m["id"] == CLAUDE)["owned_by"], "Anthropic")
        again_status, again = get(self.serve.base + "/open/v1/models")
        self.assertEqual(again_status, 200)
        self.assertEqual(json.loads(again)["data"], data)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
