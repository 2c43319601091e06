"""Issue 12 items 4-7 against `quarry serve --simulate`, with raw sockets and hyper-h2: client text
cannot forge serve's log lines or reach the terminal raw; dripping clients are cut off at the
deadlines (HTTP/1.1 and HTTP/2) while others are served; trailers never reach a handler;
cross-site browser requests are refused and CORS is answered for allowed origins only."""
import json
import os
import socket
import struct
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import OPEN_ROUTE, Quarry, require  # noqa: E402
from test_h2c import Client, h2  # noqa: E402

try:
    import hpack  # python3-hpack, hyper-h2's own dependency
except ImportError:
    hpack = None

ALLOWED = "http://localhost:3000"
# ServerOptions' defaults: headers within 10 s; the sweep runs every second.
HEADER_DEADLINE = 10.0


def raw_exchange(port, request, timeout=15):
    """Sends bytes as given; returns (status, headers, body) of the one response (the server closes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return int(lines[0].split()[1]), headers, body


def get(base, path, headers):
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class ServeHardeningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require(h2 is not None, "hyper-h2 (Debian package python3-h2)")
        cls.quarry = Quarry()
        # /open: a backend that pins no model, so native calls reach the simulator with any model id.
        cls.quarry.run("apply", "-f", "-", input=OPEN_ROUTE)
        cls.serve = cls.quarry.serve("--simulate", "--allow-origin", ALLOWED)
        cls.serve.wait_for("listening on")

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def served_normally(self):
        status, _, _ = get(self.serve.base, "/bedrock/v1/models", {})
        return status == 200

    # Item 4: a model id with %0A and %1B in the path, and an error that echoes client text.
    def test_client_text_cannot_forge_log_lines_or_reach_the_terminal(self):
        mark = self.serve.mark()
        forged = "evil%0A2026-01-01T00:00:00.000Z-forged-200%1B%5B31m%E2%80%AE"
        # An invalid role: the simulator's (and Bedrock's) validation error quotes it back.
        body = json.dumps({"messages": [{"role": "us\n2026-01-01T00:00:00.000Z GET /forged-too 200\x1b[2J",
                                         "content": [{"text": "hi"}]}]}).encode()
        request = (b"POST /open/model/" + forged.encode() + b"/converse HTTP/1.1\r\nHost: localhost\r\n"
                   b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
                   b"\r\nConnection: close\r\n\r\n" + body)
        status, _, answer = raw_exchange(self.serve.port, request)
        self.assertGreaterEqual(status, 400, answer)
        line = self.serve.wait_for("/open/model/", timeout=10, since=mark)
        self.assertIsNotNone(line, self.serve.log())
        with self.serve._cond:
            new = self.serve.lines[mark:]
        self.assertEqual([entry for entry in new if "forged" in entry], [line], "one log line, no forged one")
        self.assertNotIn("\x1b", "\n".join(new))
        self.assertNotIn("\u202e", "\n".join(new))
        self.assertIn("\\n2026-01-01", line)
        self.assertIn("model=evil\\n2026-01-01T00:00:00.000Z-forged-200\\x1b[31m\\u202e", line)
        self.assertIn("\\n2026-01-01T00:00:00.000Z GET /forged-too 200\\x1b[2J", line)

    # Item 5: headers dripping a line at a time are cut at the header deadline with 408.
    def test_dripping_headers_are_cut_off_with_408(self):
        with socket.create_connection(("127.0.0.1", self.serve.port), timeout=30) as sock:
            start = time.monotonic()
            sock.sendall(b"GET /bedrock/v1/models HTTP/1.1\r\nHost: localhost\r\n")
            sock.settimeout(0.5)
            data = b""
            served = False
            while b"\r\n\r\n" not in data and time.monotonic() - start < HEADER_DEADLINE + 5:
                try:
                    sock.sendall(b"X-Drip: 1\r\n")
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                except socket.timeout:
                    pass
                except (BrokenPipeError, ConnectionResetError):
                    break
                served = served or self.served_normally()
            elapsed = time.monotonic() - start
        self.assertTrue(data.startswith(b"HTTP/1.1 408 "), data[:200])
        self.assertIn(b"request_timeout", data)
        self.assertTrue(HEADER_DEADLINE <= elapsed < HEADER_DEADLINE + 2.5, elapsed)
        self.assertTrue(served, "another client was served while one dripped")

    # Item 5, HTTP/2: a stream whose body stalls is answered 408 and reset; others are served.
    def test_h2_stalled_stream_is_answered_408(self):
        client = Client(self.serve.port, deadline=30)
        self.addCleanup(client.close)
        start = time.monotonic()
        stalled = client.request("POST", "/bedrock/v1/chat/completions", b"{", end=False)
        quick = client.request("GET", "/bedrock/v1/models")
        self.assertEqual(client.answer(quick)["status"], 200)
        answer = client.answer(stalled)
        elapsed = time.monotonic() - start
        self.assertEqual(answer["status"], 408, answer)
        self.assertEqual(json.loads(answer["body"])["error"]["code"], "request_timeout")
        self.assertTrue(10 <= elapsed < 13, elapsed)  # bodyGraceMs 10 s, then 1 KiB/s was not met

    # Item 5, HTTP/2: a header block that never ends (HEADERS without END_HEADERS, no CONTINUATION)
    # is answered 408 and reset, and the connection, which it blocks, is closed.
    def test_h2_unfinished_header_block_is_answered_408_and_closed(self):
        require(hpack is not None, "hpack (Debian package python3-hpack)")
        client = Client(self.serve.port, deadline=30)
        self.addCleanup(client.close)
        block = hpack.Encoder().encode([(":method", "GET"), (":path", "/bedrock/v1/models"), (":scheme", "http"),
                                        (":authority", "127.0.0.1")])
        half = block[:len(block) // 2]
        start = time.monotonic()
        # A raw HEADERS frame (RFC 9113 §4.1, §6.2): type 1, no flags, stream 1.
        client.sock.sendall(struct.pack(">I", len(half))[1:] + bytes([1, 0]) + struct.pack(">I", 1) + half)
        data = b""
        while True:
            chunk = client.sock.recv(65536)
            if not chunk:
                break
            data += chunk
        elapsed = time.monotonic() - start
        frames = []
        offset = 0
        while offset + 9 <= len(data):
            length = int.from_bytes(data[offset:offset + 3], "big")
            frames.append((data[offset + 3], int.from_bytes(data[offset + 5:offset + 9], "big"),
                           data[offset + 9:offset + 9 + length]))
            offset += 9 + length
        on_stream = [kind for kind, stream, _ in frames if stream == 1]
        self.assertEqual(on_stream, [1, 0, 3], frames)  # HEADERS (408), DATA, RST_STREAM
        self.assertIn(7, [kind for kind, _, _ in frames])  # GOAWAY, then the server closed
        self.assertIn(b"request_timeout", b"".join(payload for kind, _, payload in frames if kind == 0))
        self.assertTrue(HEADER_DEADLINE <= elapsed < HEADER_DEADLINE + 2.5, elapsed)

    # Item 6: trailers never reach the handler (here: a trailer Host would fail the Host check).
    def test_trailers_are_dropped(self):
        request = (b"POST /bedrock/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        body = json.dumps({"model": "", "messages": [{"role": "user", "content": "trailers"}]}).encode()
        request += b"%x\r\n" % len(body) + body + b"\r\n0\r\nHost: evil.example\r\n" \
                   b"x-amzn-bedrock-guardrailidentifier: gr-evil\r\n\r\n"
        status, _, answer = raw_exchange(self.serve.port, request)
        self.assertEqual(status, 200, answer)

    # Item 6 on h2c: a trailer HEADERS frame's fields are dropped too (a second Host would be a 400).
    def test_h2_trailers_are_dropped(self):
        client = Client(self.serve.port)
        self.addCleanup(client.close)
        body = json.dumps({"model": "", "messages": [{"role": "user", "content": "h2 trailers"}]}).encode()
        stream = client.request("POST", "/bedrock/v1/chat/completions", body, end=False)
        client.conn.send_headers(stream, [("host", "evil.example"),
                                          ("x-amzn-bedrock-guardrailidentifier", "gr-evil")], end_stream=True)
        client.sock.sendall(client.conn.data_to_send())
        answer = client.answer(stream)
        self.assertEqual(answer["status"], 200, answer)
        self.assertIn("h2 trailers", json.loads(answer["body"])["choices"][0]["message"]["content"])

    # Item 7: cross-site browser requests without an allowed Origin are refused on every route.
    def test_cross_site_requests_and_cors(self):
        for path in ("/bedrock/v1/models", "/model/amazon.titan-text-lite-v1/invoke", "/nowhere"):
            status, _, body = get(self.serve.base, path, {"Sec-Fetch-Site": "cross-site"})
            self.assertEqual(status, 403, (path, body))
            self.assertEqual(json.loads(body)["error"]["code"], "cross_site_request")
            self.assertIn("--allow-origin", json.loads(body)["error"]["message"])
        status, _, _ = get(self.serve.base, "/bedrock/v1/models", {"Sec-Fetch-Site": "same-site"})
        self.assertEqual(status, 403)
        status, headers, _ = get(self.serve.base, "/bedrock/v1/models",
                                 {"Sec-Fetch-Site": "same-site", "Origin": ALLOWED})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Access-Control-Allow-Origin"), ALLOWED)
        status, headers, _ = get(self.serve.base, "/bedrock/v1/models", {"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(status, 200)
        self.assertNotIn("Access-Control-Allow-Origin", headers)
        preflight = (b"OPTIONS /bedrock/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                     b"Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n")
        status, headers, _ = raw_exchange(self.serve.port, preflight + b"Origin: " + ALLOWED.encode() + b"\r\n\r\n")
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("access-control-allow-origin"), ALLOWED)
        self.assertEqual(headers.get("vary"), "Origin")
        status, headers, _ = raw_exchange(self.serve.port, preflight + b"Origin: http://evil.example\r\n\r\n")
        self.assertEqual(status, 403)
        self.assertNotIn("access-control-allow-origin", headers)

    def test_allowed_origins_from_the_environment(self):
        serve = self.quarry.serve("--simulate", env={"QUARRY_ALLOWED_ORIGINS": "http://a.example:1, http://b.example"})
        serve.wait_for("listening on")
        status, headers, _ = get(serve.base, "/bedrock/v1/models",
                                 {"Sec-Fetch-Site": "cross-site", "Origin": "http://b.example"})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Access-Control-Allow-Origin"), "http://b.example")
        status, _, _ = get(serve.base, "/bedrock/v1/models", {"Origin": ALLOWED})
        self.assertEqual(status, 403)  # only the environment's origins on this one


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
