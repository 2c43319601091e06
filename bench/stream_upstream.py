"""A fake Bedrock for the streaming bench: ConverseStream answers as AWS event-stream frames.

Two models, picked by the request path's model id:
- `bench.static`: 1,000 text deltas, the whole answer written at once (throughput: how fast the
  gateway decodes, translates and relays);
- `bench.paced`: PACED_DELTAS deltas, one frame every PACE_S seconds, each carrying the
  CLOCK_MONOTONIC time it was written (latency: how long a delta takes to reach the client).

The frames are encoded here from the event-stream format (prelude, headers, payload, two CRC32s) as
AWS documents it; Quarry's decoder is not used."""
import http.server
import json
import struct
import sys
import threading
import time
import zlib

STATIC_DELTAS = 1000
PACED_DELTAS = 200
PACE_S = 0.002


def frame(event_type, payload):
    headers = b""
    for name, value in ((":event-type", event_type), (":content-type", "application/json"),
                        (":message-type", "event")):
        name, value = name.encode(), value.encode()
        headers += bytes([len(name)]) + name + bytes([7]) + struct.pack(">H", len(value)) + value
    body = json.dumps(payload, separators=(",", ":")).encode()
    prelude = struct.pack(">II", 12 + len(headers) + len(body) + 4, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


def delta(text):
    return frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": text}})


HEAD = frame("messageStart", {"role": "assistant"})


def tail(deltas):
    return (frame("contentBlockStop", {"contentBlockIndex": 0}) + frame("messageStop", {"stopReason": "end_turn"}) +
            frame("metadata", {"usage": {"inputTokens": 9, "outputTokens": deltas, "totalTokens": 9 + deltas},
                               "metrics": {"latencyMs": 1}}))


STATIC_ANSWER = HEAD + delta("tok ") * STATIC_DELTAS + tail(STATIC_DELTAS)


class StreamingBedrock(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as streaming servers set it (Go's net and nginx do by default). With Nagle on,
    # each small frame waited for the gateway's ACK of the one before, which Linux delays up to
    # 40 ms on a kept-alive connection it has already answered on: the latency measured that.
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.amazon.eventstream")
        if "bench.paced" not in self.path:
            self.send_header("Content-Length", str(len(STATIC_ANSWER)))
            self.end_headers()
            self.wfile.write(STATIC_ANSWER)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.chunk(HEAD)
        for _ in range(PACED_DELTAS):
            time.sleep(PACE_S)
            self.chunk(delta("%d " % time.monotonic_ns()))
        self.chunk(tail(PACED_DELTAS))
        self.wfile.write(b"0\r\n\r\n")

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # When wrk stops mid-answer, Quarry drops the upstream streams it was relaying: expected,
        # and not worth a traceback each. Anything else is printed as usual.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def start():
    """The server on a free loopback port, serving from daemon threads; returns it (.server_port)."""
    server = QuietServer(("127.0.0.1", 0), StreamingBedrock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
