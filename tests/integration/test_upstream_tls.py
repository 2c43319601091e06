"""TLS and proxies on the way to Bedrock, through the real `quarry serve`.

Bedrock is a fake here: Python's own TLS server (OpenSSL via the ssl module) with certificates from a
test CA made by the openssl command, answering Converse. Its handshakes tell what Quarry did: the
SNI it sent, whether it resumed a TLS session, how many connections it opened. The proxy is Debian's
tinyproxy, a real HTTP CONNECT proxy whose log shows every tunnel. Nothing here is a Quarry component
checking another."""
import concurrent.futures
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import Quarry, free_port, post, require  # noqa: E402
from test_serve import route  # noqa: E402

ANSWER = {"output": {"message": {"role": "assistant", "content": [{"text": "over tls"}]}},
          "stopReason": "end_turn", "usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
          "metrics": {"latencyMs": 1}}
NAME = "bedrock.internal.test"  # on the named certificate only; 127.0.0.1 is not
CHAT = {"model": "amazon.titan-text-lite-v1", "messages": [{"role": "user", "content": "hi"}]}
AWS_ENV = {"AWS_ACCESS_KEY_ID": "AKIATLSTESTEXAMPLE01", "AWS_SECRET_ACCESS_KEY": "tls-test-secret-key-3b9e"}


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True, timeout=30)


def make_certificates(directory):
    """A CA, a server certificate for 127.0.0.1 and NAME, and one for NAME alone."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Quarry Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            cwd=directory)
    for name, san in (("both", f"DNS:{NAME},IP:127.0.0.1"), ("named", f"DNS:{NAME}")):
        with open(os.path.join(directory, name + ".ext"), "w") as ext:
            ext.write(f"subjectAltName={san}\nextendedKeyUsage=serverAuth\n")
        openssl("req", *ec, "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + NAME, cwd=directory)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext", cwd=directory)


class FakeBedrock(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps(ANSWER).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TlsBedrock(http.server.ThreadingHTTPServer):
    """Bedrock over TLS; records each handshake: (sni, session_reused)."""
    daemon_threads = True

    def __init__(self, certificate, key):
        super().__init__(("127.0.0.1", 0), FakeBedrock)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certificate, key)
        self.context.sni_callback = self._sni
        self.handshakes = []
        self._sni_seen = threading.local()
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def _sni(self, connection, name, context):
        self._sni_seen.value = name

    def get_request(self):
        connection, address = self.socket.accept()
        connection.settimeout(10)
        self._sni_seen.value = None
        tls = self.context.wrap_socket(connection, server_side=True)  # a failed handshake is an OSError: dropped
        self.handshakes.append((self._sni_seen.value, tls.session_reused))
        return tls, address


def backend(name, port, tls_yaml, model=None):
    model_line = f"\n        model: {model}" if model else ""
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
    tls:
{tls_yaml}
"""


def config_map(name, pem):
    indented = "".join("      " + line + "\n" for line in pem.strip().splitlines())
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: agentgateway-system
data:
  ca.crt: |
{indented}"""


def chat(serve, path):
    status, _, body = post(serve.base + path + "/v1/chat/completions", CHAT)
    return status, json.loads(body)


class UpstreamTlsTest(unittest.TestCase):
    """spec.policies.tls: caCertificateRefs (a ConfigMap's ca.crt), sni and insecureSkipVerify."""

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.TemporaryDirectory(prefix="quarry-tls-")
        make_certificates(cls.certs.name)
        cert = lambda name: os.path.join(cls.certs.name, name)  # noqa: E731
        with open(cert("ca.crt")) as pem:
            cls.ca = pem.read()
        cls.both = TlsBedrock(cert("both.crt"), cert("both.key"))
        cls.named = TlsBedrock(cert("named.crt"), cert("named.key"))
        cls.quarry = Quarry(AWS_ENV)
        q = cls.quarry
        q.run("apply", "-f", "-", input=config_map("corp-ca", cls.ca))
        trusted = "      caCertificateRefs:\n      - name: corp-ca"
        backends = {
            "trusted": backend("trusted", cls.both.port, trusted),
            "untrusted": backend("untrusted", cls.both.port, f"      sni: {NAME}"),
            "missing-ca": backend("missing-ca", cls.both.port, "      caCertificateRefs:\n      - name: no-such-ca"),
            "named-sni": backend("named-sni", cls.named.port, trusted + f"\n      sni: {NAME}"),
            "named-ip": backend("named-ip", cls.named.port, trusted),
            "named-skip-host": backend("named-skip-host", cls.named.port, trusted + "\n      insecureSkipVerify: Hostname"),
            "untrusted-skip-host": backend("untrusted-skip-host", cls.both.port, "      insecureSkipVerify: Hostname"),
            "untrusted-skip-all": backend("untrusted-skip-all", cls.both.port, "      insecureSkipVerify: All"),
        }
        cls.apply_output = {}
        for name, manifest in backends.items():
            cls.apply_output[name] = q.run("apply", "-f", "-", input=manifest)
            q.run("apply", "-f", "-", input=route(name, "/" + name, name))
        cls.serve = q.serve()

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()
        cls.both.shutdown()
        cls.named.shutdown()
        cls.certs.cleanup()

    def test_the_configmaps_ca_is_trusted(self):
        status, body = chat(self.serve, "/trusted")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["choices"][0]["message"]["content"], "over tls")
        listed = self.quarry.run("get", "configmaps").stdout
        self.assertIn("corp-ca", listed)
        self.assertIn("ca.crt", listed)

    def test_an_untrusted_certificate_fails_with_what_to_do(self):
        status, body = chat(self.serve, "/untrusted")
        self.assertEqual(status, 502, body)
        message = body["error"]["message"]
        self.assertIn("TLS", message)
        self.assertIn("caCertificateRefs", message)

    def test_a_missing_ca_configmap_is_named(self):
        self.assertIn("no-such-ca", self.apply_output["missing-ca"].stderr)
        status, body = chat(self.serve, "/missing-ca")
        self.assertEqual(status, 502, body)
        self.assertEqual(body["error"]["code"], "backend_misconfigured")
        self.assertIn("agentgateway-system/no-such-ca", body["error"]["message"])

    def test_sni_is_sent_and_checked(self):
        before = len(self.named.handshakes)
        status, body = chat(self.serve, "/named-sni")
        self.assertEqual(status, 200, body)
        self.assertIn((NAME, False), self.named.handshakes[before:])
        # Without sni the name checked is 127.0.0.1, which that certificate does not carry.
        status, body = chat(self.serve, "/named-ip")
        self.assertEqual(status, 502, body)
        self.assertIn("TLS", body["error"]["message"])

    def test_insecure_skip_verify(self):
        # Hostname: a trusted chain with another name passes; an untrusted chain still fails.
        status, body = chat(self.serve, "/named-skip-host")
        self.assertEqual(status, 200, body)
        status, body = chat(self.serve, "/untrusted-skip-host")
        self.assertEqual(status, 502, body)
        # All: anything passes, and serve says so once.
        status, body = chat(self.serve, "/untrusted-skip-all")
        self.assertEqual(status, 200, body)
        warning = self.serve.wait_for("untrusted-skip-all does not verify the TLS certificate", timeout=1)
        self.assertIsNotNone(warning, self.serve.log())
        self.assertIn("insecureSkipVerify: All", warning)

    def test_connections_and_tls_sessions_are_reused(self):
        status, _ = chat(self.serve, "/trusted")  # a session to resume, on some worker
        self.assertEqual(status, 200)
        time.sleep(0.2)
        before = len(self.both.handshakes)
        for _ in range(10):
            status, _ = chat(self.serve, "/trusted")
            self.assertEqual(status, 200)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: chat(self.serve, "/trusted")[0], range(32)))
        self.assertEqual(statuses, [200] * 32)
        new = self.both.handshakes[before:]
        # Keep-alive: far fewer connections than requests (at most one per concurrent request).
        self.assertLessEqual(len(new), 8 + 2, new)
        # Every connection opened after the first session resumed it instead of a full handshake.
        self.assertTrue(all(reused for _, reused in new), new)


class TinyProxy:
    """Debian's tinyproxy on a free port; CONNECT only to `allowed_port`, optional Basic auth."""

    def __init__(self, allowed_port, credentials=None):
        self.dir = tempfile.mkdtemp(prefix="quarry-proxy-")
        os.chmod(self.dir, 0o777)  # tinyproxy drops to nobody and writes its log here
        self.port = free_port()
        self.log_path = os.path.join(self.dir, "tinyproxy.log")
        conf = os.path.join(self.dir, "tinyproxy.conf")
        with open(conf, "w") as out:
            out.write(f'Port {self.port}\nListen 127.0.0.1\nTimeout 30\nLogFile "{self.log_path}"\n'
                      f"LogLevel Connect\nMaxClients 50\nAllow 127.0.0.1\nConnectPort {allowed_port}\n")
            if os.geteuid() == 0:
                out.write("User nobody\nGroup nogroup\n")
            if credentials:
                out.write("BasicAuth %s %s\n" % credentials)
        self.process = subprocess.Popen(["tinyproxy", "-d", "-c", conf], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("tinyproxy did not start")

    def tunnels(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as log:
            return [line for line in log if "CONNECT 127.0.0.1:" in line and "Request" in line]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


class UpstreamProxyTest(unittest.TestCase):
    """HTTPS_PROXY / NO_PROXY: Bedrock reached through a CONNECT tunnel, or directly when exempt."""

    @classmethod
    def setUpClass(cls):
        require(shutil.which("tinyproxy"), "tinyproxy (apt-get install tinyproxy; ./dev test installs it)")
        require(shutil.which("openssl"), "the openssl command (apt-get install openssl)")
        cls.certs = tempfile.TemporaryDirectory(prefix="quarry-tls-")
        make_certificates(cls.certs.name)
        with open(os.path.join(cls.certs.name, "ca.crt")) as pem:
            ca = pem.read()
        cls.bedrock = TlsBedrock(os.path.join(cls.certs.name, "both.crt"), os.path.join(cls.certs.name, "both.key"))
        cls.quarry = Quarry(AWS_ENV)
        cls.quarry.run("apply", "-f", "-", input=config_map("corp-ca", ca))
        cls.quarry.run("apply", "-f", "-",
                       input=backend("bedrock", cls.bedrock.port, "      caCertificateRefs:\n      - name: corp-ca"))
        cls.quarry.run("apply", "-f", "-", input=route("bedrock", "/bedrock", "bedrock"))

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()
        cls.bedrock.shutdown()
        cls.certs.cleanup()

    def serve_with(self, env):
        clean = {name: "" for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                                       "NO_PROXY", "no_proxy")}
        return self.quarry.serve(env=dict(clean, **env))

    def test_requests_go_through_the_proxy(self):
        proxy = TinyProxy(self.bedrock.port)
        try:
            serve = self.serve_with({"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"})
            for _ in range(20):
                status, body = chat(serve, "/bedrock")
                self.assertEqual(status, 200, body)
            tunnels = proxy.tunnels()
            # Tunnels are kept alive like any connection: at most one per gateway worker thread (2 to 8).
            self.assertTrue(1 <= len(tunnels) <= 8, tunnels)
            self.assertIn(f"CONNECT 127.0.0.1:{self.bedrock.port}", tunnels[0])
            serve.stop()
        finally:
            proxy.stop()

    def test_no_proxy_exempts_the_host(self):
        proxy = TinyProxy(self.bedrock.port)
        try:
            serve = self.serve_with({"https_proxy": f"http://127.0.0.1:{proxy.port}", "no_proxy": "localhost,127.0.0.0/8"})
            status, body = chat(serve, "/bedrock")
            self.assertEqual(status, 200, body)
            self.assertEqual(proxy.tunnels(), [])
            serve.stop()
        finally:
            proxy.stop()

    def test_proxy_credentials_from_the_url(self):
        proxy = TinyProxy(self.bedrock.port, credentials=("corpuser", "proxy-pass-9f2c"))
        try:
            serve = self.serve_with({"HTTPS_PROXY": f"http://corpuser:proxy-pass-9f2c@127.0.0.1:{proxy.port}"})
            status, body = chat(serve, "/bedrock")
            self.assertEqual(status, 200, body)
            serve.stop()
            self.assertNotIn("proxy-pass-9f2c", serve.log())
            # The same proxy without the credentials refuses the tunnel (407): they were what let it through.
            serve = self.serve_with({"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"})
            status, body = chat(serve, "/bedrock")
            self.assertEqual(status, 502, body)
            self.assertIn("through the proxy 127.0.0.1:", body["error"]["message"])
            serve.stop()
        finally:
            proxy.stop()

    def test_an_unreachable_proxy_is_named(self):
        serve = self.serve_with({"HTTPS_PROXY": f"http://127.0.0.1:{free_port()}"})
        status, body = chat(serve, "/bedrock")
        self.assertEqual(status, 502, body)
        self.assertIn("through the proxy 127.0.0.1:", body["error"]["message"])
        serve.stop()


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
