"""GET /metrics on a real `quarry serve --simulate`, read with Debian's python3-prometheus-client
(an exposition parser not written here): after a known mix of requests (chat completions whole and
streamed, an Anthropic message, a 404, a 400) its counters and histogram counts and sums match what
was sent and what the answers' usage said. The path is reserved before routes and client keys, for
loopback clients only: through the machine's non-loopback address it is refused with a 403.

Runs under tests/keychain/run-with-keychain.sh (the non-loopback listener needs a client key)."""
import json
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import (Process, Quarry, SimulatedServeTest, free_port, get, post, require,  # noqa: E402
                            sse_events)

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:  # reported by require() in the tests
    text_string_to_metric_families = None

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ROUTE = "agentgateway-system/bedrock"
MODEL = "amazon.titan-text-lite-v1"  # the default backend's model, which overrides the request's
CHAT = {"model": "", "messages": [{"role": "user", "content": "hello metrics"}]}
MESSAGES = {"model": "x", "max_tokens": 50, "messages": [{"role": "user", "content": "hello metrics"}]}


def scrape(base):
    """{(sample name, frozenset of labels): value} for every sample of /metrics, and the families."""
    require(text_string_to_metric_families, "python3-prometheus-client (apt install python3-prometheus-client)")
    status, headers, body = get(base + "/metrics")
    assert status == 200, (status, body)
    assert headers["Content-Type"] == CONTENT_TYPE, headers["Content-Type"]
    families = list(text_string_to_metric_families(body.decode("utf-8")))
    samples = {}
    for family in families:
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, families


def scrape_until(base, done, timeout=5):
    """Scrapes until done(samples) holds or `timeout` passes; returns the last samples. A request's
    record is published just after its answer, so a scrape right after an answer may miss it."""
    deadline = time.monotonic() + timeout
    while True:
        samples, families = scrape(base)
        if done(samples) or time.monotonic() > deadline:
            return samples, families
        time.sleep(0.05)


def settled(base):
    """The samples once no record is still on its way (two scrapes 100 ms apart agree)."""
    previous = None
    for _ in range(50):
        samples, _ = scrape(base)
        if previous is not None and total(samples, "quarry_requests_total") == total(previous, "quarry_requests_total"):
            return samples
        previous = samples
        time.sleep(0.1)
    return previous


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def total(samples, name, **labels):
    """The sum of `name`'s samples whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (sample, have), v in samples.items() if sample == name and wanted <= have)


def non_loopback_ipv4():
    """An address of this machine that is not loopback, or None (no network besides loopback)."""
    candidates = []
    for target in ("10.255.255.255", "192.0.2.1", "8.8.8.8"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))  # UDP: no packet is sent, this only picks the outgoing interface
                candidates.append(probe.getsockname()[0])
            except OSError:
                pass
    try:
        candidates += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    usable = [a for a in candidates if not a.startswith("127.") and a != "0.0.0.0"]
    return usable[0] if usable else None


class MetricsTest(SimulatedServeTest):
    def test_counters_and_histograms_match_the_requests_sent(self):
        base = self.serve.base
        started = time.monotonic()
        usage = {"input": 0, "output": 0}
        for _ in range(3):
            status, _, body = post(base + "/bedrock/v1/chat/completions", CHAT)
            self.assertEqual(status, 200, body)
            answer = json.loads(body)["usage"]
            usage["input"] += answer["prompt_tokens"]
            usage["output"] += answer["completion_tokens"]
        for _ in range(2):
            status, _, body = post(base + "/bedrock/v1/chat/completions",
                                   dict(CHAT, stream=True, stream_options={"include_usage": True}))
            self.assertEqual(status, 200, body)
            chunks = [json.loads(e) for e in sse_events(body) if e != "[DONE]"]
            answer = [c for c in chunks if c.get("usage")][-1]["usage"]
            usage["input"] += answer["prompt_tokens"]
            usage["output"] += answer["completion_tokens"]
        status, _, body = post(base + "/bedrock/v1/messages", MESSAGES)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)["usage"]
        usage["input"] += answer["input_tokens"]
        usage["output"] += answer["output_tokens"]
        self.assertEqual(post(base + "/no/such/route", CHAT)[0], 404)
        self.assertEqual(post(base + "/bedrock/v1/chat/completions", b"{not json")[0], 400)
        elapsed = time.monotonic() - started

        samples, families = scrape_until(base, lambda got: total(got, "quarry_requests_total") >= 8)
        names = {family.name for family in families}
        self.assertLessEqual({"gen_ai_client_token_usage", "gen_ai_client_operation_duration_seconds",
                              "gen_ai_server_time_to_first_token_seconds", "quarry_requests",
                              "quarry_cost_usd"}, names)
        types = {family.name: family.type for family in families}
        self.assertEqual(types["gen_ai_client_token_usage"], "histogram")
        self.assertEqual(types["quarry_requests"], "counter")

        # Every request, model call or not, by route, backend, model and status.
        self.assertEqual(value(samples, "quarry_requests_total", route=ROUTE, backend=ROUTE, model=MODEL,
                               status="200"), 6)
        self.assertEqual(value(samples, "quarry_requests_total", status="404"), 1)
        self.assertEqual(total(samples, "quarry_requests_total", status="400"), 1)
        self.assertEqual(total(samples, "quarry_requests_total"), 8)

        # Tokens: one observation of each type per successful model call, summing to the answers' usage.
        chat = {"gen_ai_operation_name": "chat", "gen_ai_provider_name": "aws.bedrock",
                "gen_ai_request_model": MODEL}
        for token_type in ("input", "output"):
            labels = dict(chat, gen_ai_token_type=token_type)
            self.assertEqual(value(samples, "gen_ai_client_token_usage_count", **labels), 6)
            self.assertEqual(value(samples, "gen_ai_client_token_usage_sum", **labels), usage[token_type])
            self.assertEqual(value(samples, "gen_ai_client_token_usage_bucket", le="+Inf", **labels), 6)
            self.assertEqual(value(samples, "gen_ai_client_token_usage_bucket", le="67108864", **labels), 6)
            self.assertEqual(value(samples, "gen_ai_client_token_usage_bucket", le="1", **labels), 0)

        # Duration: the six successes, and the 400 on its own error_type series; 404 was no model call.
        self.assertEqual(value(samples, "gen_ai_client_operation_duration_seconds_count", **chat), 6)
        duration = value(samples, "gen_ai_client_operation_duration_seconds_sum", **chat)
        self.assertGreaterEqual(duration, 0)
        self.assertLessEqual(duration, elapsed)
        self.assertEqual(total(samples, "gen_ai_client_operation_duration_seconds_count", error_type="400"), 1)
        ttft = value(samples, "gen_ai_server_time_to_first_token_seconds_count", **chat)
        self.assertGreaterEqual(ttft, 2)  # the streams at least
        self.assertLessEqual(ttft, 6)
        self.assertLessEqual(value(samples, "gen_ai_server_time_to_first_token_seconds_sum", **chat), elapsed)

        # The scrape itself is not traffic: later scrapes see the same request count.
        again = settled(base)
        self.assertEqual(total(again, "quarry_requests_total"), 8)
        self.assertNotIn("/metrics", self.serve.log())

    def test_only_get_is_served(self):
        status, headers, _ = post(self.serve.base + "/metrics", {})
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "GET")


class ReservedPathTest(unittest.TestCase):
    """A catch-all route and required client keys (listening on 0.0.0.0) do not take /metrics
    from a loopback scraper; a client on another address is refused."""

    CATCH_ALL = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: everything}
spec:
  parentRefs: [{name: agentgateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: bedrock, kind: AgentgatewayBackend}]
"""

    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        cls.quarry.run("apply", "-f", "-", input=cls.CATCH_ALL)
        cls.key = cls.quarry.run("keys", "create", "scraper").stdout.strip()
        cls.port = free_port()
        cls.serve = Process(["serve", "--config", cls.quarry.config, "--listen", "0.0.0.0:%d" % cls.port,
                             "--simulate"], cls.quarry.env, "listening on")
        cls.quarry.processes.append(cls.serve)
        cls.local = "http://127.0.0.1:%d" % cls.port

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def test_loopback_scrape_needs_no_key_and_beats_the_catch_all_route(self):
        before = settled(self.local)  # no key, and the catch-all route would take any other path
        self.assertEqual(post(self.local + "/v1/chat/completions", CHAT)[0], 401)  # keys are on
        status, _, _ = post(self.local + "/v1/chat/completions", CHAT, {"Authorization": "Bearer " + self.key})
        self.assertEqual(status, 200)
        after, _ = scrape_until(self.local, lambda got: total(got, "quarry_requests_total")
                                >= total(before, "quarry_requests_total") + 2)
        for status in ("200", "401"):
            added = (total(after, "quarry_requests_total", route="agentgateway-system/everything", status=status)
                     - total(before, "quarry_requests_total", route="agentgateway-system/everything", status=status))
            self.assertEqual(added, 1, status)

    def test_a_client_on_another_address_is_refused(self):
        address = non_loopback_ipv4()
        require(address, "a non-loopback IPv4 address on this machine (tst_gateway_metrics covers the rule alone)")
        # Host names localhost, so the listener's DNS-rebinding check lets it through to /metrics'
        # own check (which looks at the peer's address, not the Host header).
        status, _, body = get("http://%s:%d/metrics" % (address, self.port),
                              {"Host": "localhost:%d" % self.port, "Authorization": "Bearer " + self.key})
        self.assertEqual(status, 403, body)
        error = json.loads(body)["error"]
        self.assertEqual(error["code"], "metrics_loopback_only")
        self.assertIn("only served to clients on this machine", error["message"])
        self.assertNotIn(b"quarry_requests_total", body)
        # The same address still serves the API to a client with a key.
        before = settled(self.local)
        status, _, _ = post("http://%s:%d/v1/chat/completions" % (address, self.port), CHAT,
                            {"Host": "localhost:%d" % self.port, "Authorization": "Bearer " + self.key})
        self.assertEqual(status, 200)
        # Counted before the next test takes its own counts.
        counted = total(before, "quarry_requests_total")
        scrape_until(self.local, lambda got: total(got, "quarry_requests_total") > counted)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
