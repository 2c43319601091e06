"""Cost and budgets on `quarry serve --simulate`: every log line carries the request's cost at the
shipped price table's rates, a backend's hard daily budget lets requests through until its spend
crosses the limit and then answers 429 (in the client API's shape, naming the budget), and a bad
budget annotation is refused by `quarry apply`."""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quarry_harness import Quarry, post  # noqa: E402

# Claude Opus 4.1 in us-east-1: $15 / $75 per million tokens in the shipped table, so a short
# simulated answer costs a few tenths of a cent and a $0.005 budget is spent within a few requests.
MODEL = "anthropic.claude-opus-4-1-20250805-v1:0"
LIMIT = 0.005


def route(name):
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: %s}\n"
            "spec: {parentRefs: [{name: agentgateway}], rules: [{matches: [{path: {type: PathPrefix, value: /%s}}], "
            "backendRefs: [{name: %s, kind: AgentgatewayBackend}]}]}\n" % (name, name, name))


def hard_daily_budget(usd):
    return '{"quarry.dev/budget-daily-usd": "%s", "quarry.dev/budget-hard-limit": "true"}' % usd


BACKENDS = """\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata: {name: capped, annotations: %s}
spec:
  ai: {provider: {bedrock: {model: %s, region: us-east-1}}}
---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata: {name: free}
spec:
  ai: {provider: {bedrock: {model: %s, region: us-east-1}}}
---
""" % (hard_daily_budget(LIMIT), MODEL, MODEL) + route("capped") + "---\n" + route("free")
GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: agentgateway, annotations: %s}
spec:
  gatewayClassName: agentgateway
  listeners: [{name: http, port: 8080, protocol: HTTP}]
""" % hard_daily_budget("0.002")
COST = re.compile(r" cost=\$([0-9.]+)")


class Budgets(unittest.TestCase):
    def setUp(self):
        # No keychain is needed: these backends use the default credential chain, and --simulate
        # answers every one of them.
        self.quarry = Quarry({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/quarry-test-bus"})
        self.quarry.run("apply", "-f", "-", input=BACKENDS)

    def tearDown(self):
        self.quarry.close()

    def chat(self, serve, route, text):
        return post(serve.base + route, {"model": "", "messages": [{"role": "user", "content": text}]})

    def logged_cost(self, serve, since):
        line = serve.wait_for(" cost=", since=since)
        self.assertIsNotNone(line, serve.log())
        match = COST.search(line)
        self.assertIsNotNone(match, "the log line has no priced cost: " + line)
        return float(match.group(1))

    def test_hard_daily_limit_refuses_once_spent(self):
        serve = self.quarry.serve("--simulate")
        spent = 0.0
        successes = 0
        for attempt in range(40):
            mark = serve.mark()
            status, _, body = self.chat(serve, "/capped", "budget request number %d, please answer briefly" % attempt)
            if status == 429:
                break
            self.assertEqual(status, 200, body)
            # Requests succeed only while the spend before them was under the limit.
            self.assertLess(spent, LIMIT)
            spent += self.logged_cost(serve, mark)
            successes += 1
        else:
            self.fail("no 429 after 40 requests; spent %.6f of %.6f\n%s" % (spent, LIMIT, serve.log()))
        self.assertGreaterEqual(successes, 2, "the first requests fit in the budget")
        self.assertGreaterEqual(spent, LIMIT, "refused before the spend reached the limit")
        error = json.loads(body)["error"]
        self.assertEqual(error["type"], "rate_limit_error")
        self.assertEqual(error["code"], "budget_exceeded")
        self.assertIn("daily budget of backend agentgateway-system/capped ($0.005)", error["message"])
        self.assertIn(") is spent: $", error["message"])

        # Anthropic clients get the refusal in Anthropic's shape; another backend is not held.
        status, _, body = post(serve.base + "/capped/v1/messages",
                               {"model": "", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]})
        self.assertEqual(status, 429, body)
        answer = json.loads(body)
        self.assertEqual(answer["error"]["type"], "rate_limit_error")
        self.assertIn("daily budget of backend agentgateway-system/capped", answer["error"]["message"])
        # Native clients (AWS SDKs) get Bedrock's shape: a ThrottlingException with a message.
        status, headers, body = post(serve.base + "/capped/model/%s/converse" % MODEL,
                                     {"messages": [{"role": "user", "content": [{"text": "hi"}]}]})
        self.assertEqual(status, 429, body)
        self.assertEqual({k.lower(): v for k, v in headers.items()}.get("x-amzn-errortype"), "ThrottlingException")
        self.assertIn("daily budget of backend agentgateway-system/capped", json.loads(body)["message"])
        status, _, body = self.chat(serve, "/free", "still free")
        self.assertEqual(status, 200, body)

        # serve said so: one warning at 80 %, one line when the budget was spent (a line of its own,
        # which may come after the answers that followed).
        serve.wait_for("budget spent: The daily budget of backend agentgateway-system/capped")
        log = serve.log()
        self.assertEqual(log.count("budget warning: The daily budget of backend agentgateway-system/capped"), 1, log)
        self.assertEqual(log.count("budget spent: The daily budget of backend agentgateway-system/capped"), 1, log)

        # A restart does not reset the budget: the new serve counts today's spend from history.
        serve.stop()
        serve = self.quarry.serve("--simulate")
        status, _, body = self.chat(serve, "/capped", "after a restart")
        self.assertEqual(status, 429, body)
        self.assertIn("daily budget of backend agentgateway-system/capped", json.loads(body)["error"]["message"])

    def test_the_gateways_budget_holds_every_backend(self):
        self.quarry.run("apply", "-f", "-", input=GATEWAY)
        serve = self.quarry.serve("--simulate")
        routes = ["/free", "/capped"]
        for attempt in range(40):
            status, _, body = self.chat(serve, routes[attempt % 2], "total budget request %d" % attempt)
            if status == 429:
                break
            self.assertEqual(status, 200, body)
        else:
            self.fail("the Gateway's budget never refused a request\n" + serve.log())
        message = json.loads(body)["error"]["message"]
        self.assertIn("daily budget of gateway agentgateway (all backends) ($0.002)", message)
        # Both backends are held now, the one without a budget of its own too.
        status, _, body = self.chat(serve, "/free", "after the total is spent")
        self.assertEqual(status, 429, body)

    def test_unpriced_models_show_a_dash(self):
        self.quarry.run("apply", "-f", "-", input=BACKENDS.replace(MODEL, "example.unpriced-model-v1:0"))
        serve = self.quarry.serve("--simulate")
        mark = serve.mark()
        status, _, body = self.chat(serve, "/free", "what does this cost")
        self.assertEqual(status, 200, body)
        line = serve.wait_for(" tokens=", since=mark)
        self.assertIn(" cost=\u2014", line)

    def test_a_bad_budget_annotation_is_refused(self):
        result = self.quarry.run("apply", "-f", "-", input=BACKENDS.replace('"%s"' % LIMIT, '"lots"'), check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("quarry.dev/budget-daily-usd", result.stderr)
        self.assertIn("positive amount of US dollars", result.stderr)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
