"""HTTP/2 in clear text (h2c) on Quarry's listener, driven by hyper-h2 (Debian's python3-h2, an
HTTP/2 implementation not written here) over a plain socket against `quarry serve --simulate`:
prior knowledge, many streams on one connection, the same limits and Host/Origin checks as
HTTP/1.1, a client reset that leaves the other streams alone, a protocol error answered with
GOAWAY; and curl, with prior knowledge and with `Upgrade: h2c`."""
import json
import os
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, require  # noqa: E402

try:
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions
    import h2.settings
except ImportError:  # require() below says what to install
    h2 = None

CHAT = "/bedrock/v1/chat/completions"


def chat_body(text, stream=False):
    return json.dumps({"model": "", "stream": stream, "messages": [{"role": "user", "content": text}]}).encode()


class Client:
    """One h2c connection with prior knowledge; collects each stream's status, headers and body."""

    def __init__(self, port, deadline=20):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=deadline)
        self.conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.sock.sendall(self.conn.data_to_send())
        self.responses = {}  # stream id -> {"status", "headers", "body", "ended", "reset"}
        self.terminated = None
        self.remote_settings = {}

    def request(self, method, path, body=b"", headers=(), end=True, port_host=None):
        stream = self.conn.get_next_available_stream_id()
        fields = [(":method", method), (":path", path), (":scheme", "http"),
                  (":authority", port_host or "127.0.0.1")] + list(headers)
        if body:
            fields.append(("content-type", "application/json"))
        self.conn.send_headers(stream, fields, end_stream=not body and end)
        self.responses[stream] = {"status": None, "headers": {}, "body": b"", "ended": False, "reset": False}
        if body:
            self.send_body(stream, body, end)
        self.sock.sendall(self.conn.data_to_send())
        return stream

    def send_body(self, stream, body, end=True):
        """Respects the server's flow-control windows, reading its WINDOW_UPDATEs as they come."""
        offset = 0
        while offset < len(body):
            window = min(self.conn.local_flow_control_window(stream), self.conn.max_outbound_frame_size)
            if window <= 0:
                self.sock.sendall(self.conn.data_to_send())
                self.read_once()
                if self.responses[stream]["status"] is not None:
                    return  # answered (refused) before the body was all sent
                continue
            chunk = body[offset:offset + window]
            self.conn.send_data(stream, chunk)
            offset += len(chunk)
        if end:
            self.conn.end_stream(stream)

    def read_once(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        for event in self.conn.receive_data(data):
            response = self.responses.get(getattr(event, "stream_id", None))
            if isinstance(event, h2.events.ResponseReceived):
                fields = {k.decode(): v.decode() for k, v in event.headers}
                response["status"] = int(fields.pop(":status"))
                response["headers"] = fields
            elif isinstance(event, h2.events.DataReceived):
                response["body"] += event.data
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                response["ended"] = True
            elif isinstance(event, h2.events.StreamReset):
                if response is not None:
                    response["reset"] = True
            elif isinstance(event, h2.events.RemoteSettingsChanged):
                self.remote_settings.update({k: v.new_value for k, v in event.changed_settings.items()})
            elif isinstance(event, h2.events.ConnectionTerminated):
                self.terminated = event
        self.sock.sendall(self.conn.data_to_send())

    def wait(self, done, deadline=20):
        end = time.monotonic() + deadline
        while not done():
            if time.monotonic() > end:
                raise TimeoutError("no answer in %ds: %r" % (deadline, self.responses))
            self.read_once()

    def answer(self, stream):
        self.wait(lambda: self.responses[stream]["ended"] or self.responses[stream]["reset"])
        return self.responses[stream]

    def close(self):
        self.sock.close()


class H2cTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require(h2 is not None, "hyper-h2 (Debian package python3-h2)")
        cls.quarry = Quarry()
        cls.serve = cls.quarry.serve("--simulate")
        cls.serve.wait_for("listening on")

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def client(self):
        client = Client(self.serve.port)
        self.addCleanup(client.close)
        return client

    def test_prior_knowledge_chat_and_settings(self):
        client = self.client()
        answer = client.answer(client.request("POST", CHAT, chat_body("hello h2")))
        self.assertEqual(answer["status"], 200, answer)
        self.assertIn("hello h2", json.loads(answer["body"])["choices"][0]["message"]["content"])
        self.assertEqual(int(answer["headers"]["content-length"]), len(answer["body"]))
        self.assertEqual(client.remote_settings.get(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS), 100)

    def test_many_streams_at_once_each_get_their_own_answer(self):
        client = self.client()
        streams = {client.request("POST", CHAT, chat_body("stream number %d" % i, stream=i % 2 == 0)): i
                   for i in range(30)}
        for stream, i in streams.items():
            answer = client.answer(stream)
            self.assertEqual(answer["status"], 200)
            text = answer["body"].decode()
            if i % 2 == 0:  # SSE: the words arrive as separate deltas
                self.assertTrue(text.rstrip().endswith("data: [DONE]"), text[-200:])
                words = "".join(json.loads(line[6:])["choices"][0]["delta"].get("content", "")
                                for line in text.splitlines() if line.startswith("data: {"))
                self.assertIn("stream number %d" % i, words)
            else:
                self.assertIn("stream number %d" % i, text)

    def test_host_and_origin_checks_as_for_http1(self):
        client = self.client()
        answer = client.answer(client.request("GET", "/bedrock/v1/models", port_host="evil.example"))
        self.assertEqual(answer["status"], 403)
        self.assertIn("evil.example", answer["body"].decode())
        answer = client.answer(client.request("POST", CHAT, chat_body("x"), headers=[("origin", "https://evil.example")]))
        self.assertEqual(answer["status"], 403)

    def test_oversized_headers_and_body_are_refused_with_the_http1_statuses(self):
        client = self.client()
        big = client.answer(client.request("GET", "/bedrock/v1/models", headers=[("x-filler", "a" * 70000)]))
        self.assertEqual(big["status"], 431, big)
        huge = client.request("POST", CHAT, b"{" + b" " * (33 * 1024 * 1024) + b"}")
        answer = client.answer(huge)
        self.assertEqual(answer["status"], 413, answer["body"][:200])
        # The connection still serves.
        self.assertEqual(client.answer(client.request("GET", "/bedrock/v1/models"))["status"], 200)

    def test_a_reset_stream_leaves_the_others_alone(self):
        client = self.client()
        slow = client.request("POST", CHAT, chat_body("[sim:slow:3000] take your time", stream=True))
        quick = client.request("POST", CHAT, chat_body("quick one"))
        client.conn.reset_stream(slow)
        client.sock.sendall(client.conn.data_to_send())
        answer = client.answer(quick)
        self.assertEqual(answer["status"], 200)
        self.assertIn("quick one", answer["body"].decode())
        self.assertEqual(client.answer(client.request("GET", "/bedrock/v1/models"))["status"], 200)

    def test_a_protocol_error_is_answered_with_goaway_and_a_close(self):
        client = self.client()
        client.sock.sendall(b"\x00\x00\x04\x01\x05\x00\x00\x00\x02garbage")  # HEADERS with a bad HPACK block
        with self.assertRaises((ConnectionError, h2.exceptions.ProtocolError)):
            client.wait(lambda: False, deadline=10)
        self.assertIsNotNone(client.terminated)
        self.assertNotEqual(client.terminated.error_code, 0)

    def test_upgrade_from_http1_with_curl(self):
        require(subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.find("HTTP2") >= 0,
                "curl built with HTTP/2 (Debian's curl)")
        result = subprocess.run(
            ["curl", "-sS", "--http2", "-w", "\n%{http_version} %{response_code}", "-H", "content-type: application/json",
             "--data-binary", chat_body("upgraded").decode(), "http://127.0.0.1:%d%s" % (self.serve.port, CHAT)],
            capture_output=True, text=True, timeout=30)
        body, _, summary = result.stdout.rpartition("\n")
        self.assertEqual(summary, "2 200", result.stderr)
        self.assertIn("upgraded", body)

    def test_prior_knowledge_with_curl(self):
        result = subprocess.run(
            ["curl", "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version} %{response_code}",
             "http://127.0.0.1:%d/bedrock/v1/models" % self.serve.port], capture_output=True, text=True, timeout=30)
        body, _, summary = result.stdout.rpartition("\n")
        self.assertEqual(summary, "2 200", result.stderr)
        self.assertIn("amazon.titan-text-lite-v1", body)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
