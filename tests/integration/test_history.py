"""Persistent history (issue 14) through the real binary: `quarry serve --simulate` records every
request in history.sqlite (QUARRY_DATA_DIR, set by the harness), the records survive a restart of
serve, `quarry history` filters and prints them, `history stats` totals match what the clients
were told, and `quarry history -f` prints a request as it happens while serve is writing."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from quarry_harness import (OPEN_ROUTE, QUARRY, Quarry, post, quarry_without_keychain,  # noqa: E402
                            wait_until_listening)

OTHER_MODEL = "amazon.nova-micro-v1:0"


def chat(base, route="/bedrock", model=""):
    status, headers, body = post(base + route + "/v1/chat/completions",
                                 {"model": model, "messages": [{"role": "user", "content": "Hello"}]})
    usage = json.loads(body).get("usage", {}) if status == 200 else {}
    return status, headers.get("x-quarry-request-id"), usage


class HistoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.quarry = Quarry()
        cls.quarry.run("apply", "-f", "-", input=OPEN_ROUTE)  # requests name their model there
        cls.sent = []  # (request id, model, usage) the clients saw
        serve = cls.quarry.serve("--simulate")
        for _ in range(3):
            cls.sent.append(cls.record(serve, "/bedrock", ""))
        cls.sent.append(cls.record(serve, "/open", OTHER_MODEL))
        cls.missing_status, _, _ = post(serve.base + "/nowhere", {})
        # Restart: what the first serve recorded must still be there after it stops.
        serve.stop()
        cls.quarry.processes.remove(serve)
        cls.serve = cls.quarry.serve("--simulate")
        cls.sent.append(cls.record(cls.serve, "/open", OTHER_MODEL))

    @classmethod
    def record(cls, serve, route, model):
        status, request_id, usage = chat(serve.base, route, model)
        assert status == 200, status
        return request_id, model, usage

    @classmethod
    def tearDownClass(cls):
        cls.quarry.close()

    def history(self, *args, check=True):
        return self.quarry.run("history", *args, check=check, config=False)

    def stored(self):
        return len(self.sent) + 1  # and the one that matched no route

    def listed(self, *args, expected):
        """`quarry history -o json ARGS` once it lists `expected` rows (serve writes every 250 ms)."""
        deadline = time.time() + 10
        while True:
            rows = json.loads(self.history("-o", "json", *args).stdout)
            if len(rows) >= expected or time.time() > deadline:
                return rows
            time.sleep(0.1)

    def test_history_survives_a_restart_of_serve(self):
        rows = self.listed(expected=self.stored())
        self.assertEqual(len(rows), self.stored())  # oldest first
        # Rows come in the order requests finished (each worker thread records its own), so two quick
        # ones may swap; every request is there, once.
        self.assertEqual(sorted(r["requestId"] for r in rows if r["status"] == 200),
                         sorted(int(request_id) for request_id, _, _ in self.sent))
        first = min(rows[:3], key=lambda r: r["time"])
        self.assertEqual(first["route"], "agentgateway-system/bedrock")
        self.assertEqual(first["backend"], "agentgateway-system/bedrock")
        self.assertEqual(first["api"], "Completions")
        self.assertEqual(first["model"], "amazon.titan-text-lite-v1")
        self.assertEqual(first["path"], "/bedrock/v1/chat/completions")
        self.assertGreater(first["costUsd"], 0)  # priced from the shipped table (Titan Text Lite)
        self.assertTrue(first["time"].endswith("Z"))
        unrouted = [r for r in rows if r["status"] == self.missing_status]
        self.assertEqual(len(unrouted), 1)
        self.assertEqual(unrouted[0]["route"], "")
        self.assertIsNone(unrouted[0]["costUsd"])  # no tokens, nothing priced: null, never 0

    def test_filters(self):
        self.listed(expected=self.stored())
        by_route = json.loads(self.history("-o", "json", "--route", "open").stdout)
        self.assertEqual([r["model"] for r in by_route], [OTHER_MODEL, OTHER_MODEL])
        by_model = json.loads(self.history("-o", "json", "--model", OTHER_MODEL).stdout)
        self.assertEqual(len(by_model), 2)
        errors = json.loads(self.history("-o", "json", "--status", "4xx").stdout)
        self.assertEqual([r["status"] for r in errors], [self.missing_status])
        self.assertEqual(json.loads(self.history("-o", "json", "--status", "5xx").stdout), [])
        self.assertEqual(len(json.loads(self.history("-o", "json", "--since", "1h").stdout)), self.stored())
        self.assertEqual(json.loads(self.history("-o", "json", "--since", "2999-01-01").stdout), [])
        newest = json.loads(self.history("-o", "json", "--limit", "2").stdout)
        self.assertEqual([r["requestId"] for r in newest][-1], int(self.sent[-1][0]))
        self.assertEqual(len(newest), 2)

    def test_table_and_csv(self):
        self.listed(expected=self.stored())
        table = self.history().stdout.splitlines()
        self.assertEqual(table[0].split()[:5], ["TIME", "ID", "ROUTE", "MODEL", "STATUS"])
        self.assertEqual(len(table), self.stored() + 1)
        self.assertIn(self.sent[-1][1] or "amazon.titan-text-lite-v1", table[-1])  # the newest last
        # A request costs a fraction of a cent: the table shows it to the millionth of a dollar, as
        # the log and the window do, never "$0.0000".
        newest = json.loads(self.history("-o", "json", "--status", "200", "--limit", "1").stdout)[0]
        row = self.history("--status", "200", "--limit", "1").stdout.splitlines()[-1].split()
        self.assertLess(newest["costUsd"], 0.0001)
        self.assertAlmostEqual(float(row[-1].lstrip("$")), newest["costUsd"], delta=5e-7)
        csv_lines = self.history("-o", "csv").stdout.splitlines()
        self.assertTrue(csv_lines[0].startswith("time,requestId,client,method,path,route,backend"))
        self.assertEqual(len(csv_lines), self.stored() + 1)

    def test_stats_by_model_match_what_was_sent(self):
        self.listed(expected=self.stored())
        stats = json.loads(self.history("stats", "--by", "model", "-o", "json").stdout)
        rows = {row["model"]: row for row in stats["rows"]}
        for model in ("amazon.titan-text-lite-v1", OTHER_MODEL):
            sent = [usage for _, m, usage in self.sent if (m or "amazon.titan-text-lite-v1") == model]
            row = rows[model]
            self.assertEqual(row["requests"], len(sent))
            self.assertEqual(row["tokensIn"] + row["cacheReadTokens"] + row["cacheWriteTokens"],
                             sum(u["prompt_tokens"] for u in sent))
            self.assertEqual(row["tokensOut"], sum(u["completion_tokens"] for u in sent))
            self.assertGreater(row["tokensOut"], 0)
        self.assertEqual(stats["total"]["requests"], self.stored())  # the unrouted request counts too
        table = self.history("stats", "--by", "route").stdout.splitlines()
        self.assertEqual(table[0].split()[:2], ["ROUTE", "REQUESTS"])
        self.assertTrue(table[-1].startswith("TOTAL"))
        days = json.loads(self.history("stats", "--by", "day", "-o", "json").stdout)["rows"]
        self.assertEqual(sum(day["requests"] for day in days), self.stored())

    def test_follow_prints_a_new_request(self):
        self.listed(expected=self.stored())
        follower = subprocess.Popen([QUARRY, "history", "-f", "-o", "json", "--limit", "1"], env=self.quarry.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(follower.stdout), daemon=True)
        reader.start()
        try:
            # Once it has printed the newest stored request it is polling for the next.
            deadline = time.time() + 10
            while time.time() < deadline and not lines:
                time.sleep(0.05)
            self.assertTrue(lines, "quarry history -f printed nothing in 10 s")
            sent = self.record(self.serve, "/bedrock", "")
            request_id = sent[0]
            deadline = time.time() + 10
            while time.time() < deadline and not any(json.loads(l)["requestId"] == int(request_id)
                                                     for l in list(lines)):
                time.sleep(0.1)
            follower.send_signal(signal.SIGINT)
            self.assertEqual(follower.wait(10), 0)  # Ctrl+C ends it cleanly
        finally:
            if follower.poll() is None:
                follower.kill()
                follower.wait()
        reader.join(5)
        follower.stdout.close()
        follower.stderr.close()
        printed = [json.loads(line) for line in lines]
        self.assertEqual(len(printed), 2, lines)  # the newest stored one, then the new one
        self.assertEqual(printed[-1]["requestId"], int(request_id))
        self.sent.append(sent)  # the other tests count it too

    def test_clear_errors(self):
        for args, says in ((["--since", "yesterday"], "--since takes"),
                           (["--status", "abc"], "--status takes"),
                           (["-o", "yaml"], "-o takes"),
                           (["stats"], "needs --by"),
                           (["stats", "--by", "color"], "--by takes")):
            result = self.history(*args, check=False)
            self.assertNotEqual(result.returncode, 0, args)
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
            self.assertIn(says, result.stderr)

    def test_an_unwritable_history_fails_no_request_and_is_said_once(self):
        blocked = os.path.join(self.quarry.config, "blocked")
        with open(blocked, "w") as f:  # a file where the data directory should be
            f.write("not a directory")
        serve = self.quarry.serve("--simulate", "--data-dir", blocked)
        try:
            for _ in range(3):
                status, _, _ = chat(serve.base)
                self.assertEqual(status, 200)
            self.assertIsNotNone(serve.wait_for("history:", timeout=10))
            time.sleep(1)  # further writes fail too, and are not logged again
            said = [line for line in serve.lines if "history:" in line]
            self.assertEqual(len(said), 1, said)
            self.assertIn("requests are still served", said[0])
        finally:
            serve.stop()
            self.quarry.processes.remove(serve)

    def test_a_corrupt_history_file_is_a_clear_error(self):
        data = os.path.join(self.quarry.config, "broken")
        os.makedirs(data)
        with open(os.path.join(data, "history.sqlite"), "wb") as f:
            f.write(b"this is not a database" * 100)
        result = self.quarry.run("history", "--data-dir", data, check=False, config=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("history.sqlite", result.stderr)


class WindowHistoryTest(unittest.TestCase):
    """The window (offscreen) records what its gateway handles into the same history, across its
    own restart."""

    def setUp(self):
        self.quarry = quarry_without_keychain({"QT_QPA_PLATFORM": "offscreen"})
        self.port = self.quarry.port

    def tearDown(self):
        self.quarry.close()

    def window_answers(self, prompt):
        window = subprocess.Popen([QUARRY, "--config", self.quarry.config], env=self.quarry.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 30
            while True:
                try:
                    status, headers, _ = post("http://127.0.0.1:%d/bedrock" % self.port,
                                              {"model": "", "messages": [{"role": "user", "content": prompt}]},
                                              timeout=5)
                    if status == 200:
                        return int(headers["x-quarry-request-id"])
                except OSError:
                    pass
                self.assertLess(time.time(), deadline, "the window's gateway did not answer")
                time.sleep(0.2)
        finally:
            # SIGTERM straight after the answer: the window quits as Quit does, history written.
            window.terminate()
            self.assertEqual(window.wait(10), 0, "the window did not quit cleanly on SIGTERM")

    def test_window_history_survives_its_restart(self):
        first = self.window_answers("before the restart")
        second = self.window_answers("after the restart")
        # The restarted window's ids go on after the first run's: one id, one row.
        self.assertGreater(second, first)
        rows = json.loads(self.quarry.run("history", "-o", "json", "--status", "200", config=False).stdout)
        self.assertEqual([r["requestId"] for r in rows], [first, second])
        self.assertTrue(all(r["route"] == "agentgateway-system/bedrock" for r in rows))

    def test_a_burst_is_recorded_before_sigterm_ends_the_window(self):
        """A desktop logout or `kill` sends SIGTERM: every request the window's gateway answered
        is in history, not lost with the batch not yet written, and the window's place is kept."""
        window = subprocess.Popen([QUARRY, "--config", self.quarry.config], env=self.quarry.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.assertTrue(wait_until_listening(self.port, within=10), "the window's gateway is not listening")
            answered = []
            for _ in range(20):
                status, request_id, _ = chat("http://127.0.0.1:%d" % self.port)
                self.assertEqual(status, 200)
                answered.append(int(request_id))
            window.terminate()
            self.assertEqual(window.wait(10), 0, "the window did not quit cleanly on SIGTERM")
        finally:
            if window.poll() is None:
                window.kill()
                window.wait()
        rows = json.loads(self.quarry.run("history", "-o", "json", config=False).stdout)
        self.assertEqual(sorted(row["requestId"] for row in rows), sorted(answered))
        # The size and page are kept for the next start too (no window was closed).
        settings = [os.path.join(folder, name) for folder, _, names in os.walk(self.quarry.env["XDG_CONFIG_HOME"])
                    for name in names if name.endswith(".conf")]
        self.assertTrue(any("geometry=" in open(path, encoding="utf-8").read() for path in settings), settings)


if __name__ == "__main__":
    from quarry_harness import main  # skips exit 77: CTest reports them as skipped
    main()
