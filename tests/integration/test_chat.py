"""`quarry chat` against a real `quarry serve --simulate`: each --api (openai, anthropic, responses),
whole and streamed, the prompt from the argument or stdin; the answer on stdout, one line of numbers
on stderr; one clear line when the gateway is not running, when it needs a client key
($QUARRY_API_KEY) or when the route does not exist.

Runs under tests/keychain/run-with-keychain.sh (the client-key case creates a key)."""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import QUARRY, Quarry, SimulatedServeTest, free_port  # noqa: E402

# The simulator answers "Simulated reply from MODEL: <the last user message>".
ANSWER = "Simulated reply from amazon.titan-text-lite-v1: "
STATS = re.compile(r"^tokens in (\d+), out (\d+)( · cost \$([\d.]+))?( · first token \d+ ms)?( · [\d.]+ tokens/s)? · [\d.]+ s$")


class ChatTest(SimulatedServeTest):
    def chat(self, *args, input=None, env=None):
        return subprocess.run([QUARRY, "chat", "--config", self.quarry.config, "--url", self.serve.base] + list(args),
                              input=input, env=dict(self.quarry.env, **(env or {})), capture_output=True, text=True,
                              timeout=60)

    def check_answer(self, result, prompt, streamed):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, ANSWER + prompt + "\n")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        stats = STATS.match(lines[0])
        self.assertTrue(stats, lines[0])
        self.assertGreater(int(stats.group(1)), 0)
        self.assertGreater(int(stats.group(2)), 0)
        # The cost: a whole answer's x-quarry-cost-usd header, a stream's closing SSE comment (the
        # simulator's model is priced in the shipped table for the harness's us-east-1).
        self.assertTrue(stats.group(3), lines[0])
        self.assertGreater(float(stats.group(4)), 0)
        self.assertEqual(bool(stats.group(5)), streamed, lines[0])  # time to first token: streams only

    def test_every_api_whole_and_streamed(self):
        for api in ("openai", "anthropic", "responses"):
            for streamed in (False, True):
                with self.subTest(api=api, streamed=streamed):
                    mark = self.serve.mark()
                    prompt = "hello from %s%s" % (api, " streamed" if streamed else "")
                    result = self.chat("--api", api, *(["--stream"] if streamed else []), prompt)
                    self.check_answer(result, prompt, streamed)
                    # It went through the route type the API names.
                    path = {"openai": "POST /bedrock ", "anthropic": "/bedrock/v1/messages",
                            "responses": "/bedrock/v1/responses"}[api]
                    self.assertTrue(self.serve.wait_for(path, since=mark), self.serve.log())

    def test_prompt_from_stdin_with_a_system_prompt(self):
        result = self.chat("--stream", "--system", "Answer briefly.", "-", input="a question from stdin\n")
        self.check_answer(result, "a question from stdin", True)

    def test_the_model_option_is_sent(self):
        # The default backend's model overrides the request's (DESIGN §5), so the request's own model
        # shows only in the gateway's record of it; the answer must still come back.
        result = self.chat("--model", "amazon.nova-lite-v1:0", "--api", "anthropic", "hi")
        self.check_answer(result, "hi", False)

    def test_a_routes_url_as_tools_use_it(self):
        # The URL the Overview and the README give tools, route included: its path is the route.
        for url in (self.serve.base + "/bedrock", self.serve.base + "/bedrock/"):
            with self.subTest(url=url):
                mark = self.serve.mark()
                result = subprocess.run([QUARRY, "chat", "--config", self.quarry.config, "--url", url, "hi"],
                                        env=self.quarry.env, capture_output=True, text=True, timeout=60)
                self.check_answer(result, "hi", False)
                self.assertTrue(self.serve.wait_for("POST /bedrock ", since=mark), self.serve.log())

    def test_no_route_is_one_clear_line(self):
        result = self.chat("--route", "/nowhere", "hi")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn("HTTP 404", result.stderr)
        self.assertIn("No HTTPRoute", result.stderr)

    def test_gateway_not_running_says_how_to_start_it(self):
        result = subprocess.run([QUARRY, "chat", "--url", "http://127.0.0.1:%d" % free_port(), "hi"],
                                capture_output=True, text=True, timeout=60, env=self.quarry.env)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn("cannot reach the gateway", result.stderr)
        self.assertIn("quarry serve", result.stderr)
        self.assertIn("Quarry window", result.stderr)

    def test_the_config_gateway_listener_is_the_default(self):
        # Without --url: the Gateway resource's listener (nothing listens there, so the error names it).
        port = free_port()
        manifest = ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: agentgateway}\n"
                    "spec:\n  gatewayClassName: agentgateway\n  listeners:\n"
                    "  - {name: http, port: %d, protocol: HTTP}\n" % port)
        other = Quarry()
        try:
            other.run("apply", "-f", "-", input=manifest)
            result = subprocess.run([QUARRY, "chat", "--config", other.config, "--route", "claude", "hi"],
                                    capture_output=True, text=True, timeout=60, env=other.env)
            self.assertEqual(result.returncode, 1)
            self.assertIn("http://127.0.0.1:%d/claude" % port, result.stderr)
        finally:
            other.close()


class ClientKeyTest(unittest.TestCase):
    def test_a_required_key_is_asked_for_then_taken_from_the_environment(self):
        quarry = Quarry()
        try:
            key = quarry.run("keys", "create", "terminal").stdout.strip()
            serve = quarry.serve("--simulate")
            command = [QUARRY, "chat", "--url", serve.base, "hi"]
            refused = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                     env=dict(quarry.env, QUARRY_API_KEY=""))
            self.assertEqual(refused.returncode, 1)
            self.assertEqual(len(refused.stderr.splitlines()), 1, refused.stderr)
            self.assertIn("client key", refused.stderr)
            self.assertIn("QUARRY_API_KEY", refused.stderr)
            self.assertIn("quarry keys create", refused.stderr)
            mark = serve.mark()
            accepted = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                      env=dict(quarry.env, QUARRY_API_KEY=key))
            self.assertEqual(accepted.returncode, 0, accepted.stderr)
            self.assertEqual(accepted.stdout, ANSWER + "hi\n")
            self.assertNotIn(key, accepted.stderr + refused.stderr + serve.log_through("POST /", since=mark))
        finally:
            quarry.close()


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
