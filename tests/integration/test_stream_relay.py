"""Streams are relayed as they arrive, never held to the end.

Bedrock is bench/stream_upstream.py: a ConverseStream of 200 text deltas written 2 ms apart (about
0.4 s in all), each carrying the CLOCK_MONOTONIC time it was written, in HTTP chunked encoding as
Bedrock sends it. Through `quarry serve`, the first delta must reach the client long before Bedrock
writes the last one; a gateway that buffers the answer delivers everything at the end."""
import json
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
from quarry_harness import Quarry  # noqa: E402
from test_serve import route  # noqa: E402
import stream_upstream  # noqa: E402

AWS_ENV = {"AWS_ACCESS_KEY_ID": "AKIASTREAMRELAYTEST1", "AWS_SECRET_ACCESS_KEY": "stream-relay-secret-4e1a"}
BACKEND = """\
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: paced
  namespace: agentgateway-system
spec:
  ai:
    provider:
      host: 127.0.0.1
      port: %d
      bedrock:
        region: us-east-1
"""


def timed_reads(port, path, body):
    """POSTs over a raw socket; returns [(arrival monotonic ns, bytes)] of every read until the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        data = json.dumps(body).encode()
        connection.sendall(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (path.encode(), len(data), data))
        reads = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return reads
            reads.append((time.monotonic_ns(), chunk))


def stamps(data):
    """The write times the deltas carry, in order (their text is "<ns> ")."""
    return [int(stamp) for stamp in re.findall(rb'"(\d{13,}) "', data)]


class StreamRelayTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bedrock = stream_upstream.start()
        cls.quarry = Quarry(AWS_ENV)
        cls.quarry.run("apply", "-f", "-", input=BACKEND % cls.bedrock.server_port)
        cls.quarry.run("apply", "-f", "-", input=route("paced", "/paced", "paced"))
        cls.serve = cls.quarry.serve()

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()
        cls.bedrock.shutdown()

    def assert_relayed_as_written(self, reads):
        first_arrival = next(arrival for arrival, chunk in reads if stamps(chunk))
        everything = b"".join(chunk for _, chunk in reads)
        written = stamps(everything)
        self.assertEqual(len(written), stream_upstream.PACED_DELTAS, everything[-500:])
        # Bedrock needs ~0.4 s to write them all; the first is at the client before half of that.
        self.assertLess(first_arrival, written[len(written) // 2],
                        "the first delta arrived only %.0f ms after the middle one was written" %
                        ((first_arrival - written[len(written) // 2]) / 1e6))

    def test_openai_chat_stream(self):
        reads = timed_reads(self.serve.port, "/paced/v1/chat/completions",
                            {"model": "bench.paced", "stream": True, "messages": [{"role": "user", "content": "hi"}]})
        self.assertIn(b"data: [DONE]", b"".join(chunk for _, chunk in reads))
        self.assert_relayed_as_written(reads)

    def test_native_converse_stream(self):
        reads = timed_reads(self.serve.port, "/paced/model/bench.paced/converse-stream",
                            {"messages": [{"role": "user", "content": [{"text": "hi"}]}]})
        self.assert_relayed_as_written(reads)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
