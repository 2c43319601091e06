"""`quarry` with no display (an SSH session, a container): instead of failing to open a window it
says why and serves the gateway, with the simulator for backends that have no usable credentials."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quarry_harness import Process, post, quarry_without_keychain  # noqa: E402


class HeadlessFallback(unittest.TestCase):
    def setUp(self):
        # No display of any kind, and no keychain: the seed's backend cannot read its secret.
        self.quarry = quarry_without_keychain()
        for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
            self.quarry.env.pop(name, None)
        self.port = self.quarry.port

    def tearDown(self):
        self.quarry.close()

    def test_no_display_serves_with_the_simulator_and_says_so(self):
        process = Process(["--config", self.quarry.config], self.quarry.env, "listening on", timeout=30)
        self.quarry.processes.append(process)
        log = process.log()
        self.assertIn("no display", log)
        self.assertIn("starting `quarry serve --simulate-if-needed` instead of the window", log)
        self.assertIn("127.0.0.1:%d" % self.port, process.wait_for("listening on"))

        status, headers, body = post("http://127.0.0.1:%d/bedrock" % self.port,
                                     {"model": "", "messages": [{"role": "user", "content": "hello headless"}]})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("x-quarry-upstream"), "simulator")
        self.assertIn(b"hello headless", body)
        self.assertEqual(process.stop(), 0, process.log())


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
