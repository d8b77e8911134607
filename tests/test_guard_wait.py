"""``scripts/schedule_if_idle.py --wait`` passes a Scrapyd job's exit status on (the verdict
line of its log), against a stand-in Scrapyd (listjobs, schedule, logs) on 127.0.0.1; the
real Scrapyd runs in tests/test_scrapyd.py."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.crawling import ROOT

GUARD = ROOT / "scripts" / "schedule_if_idle.py"
OK_LOG = ("2026-11-29 04:15:01 [scrapy.utils.log] INFO: Scrapy 2.19.0 started\n"
          "2026-11-29 04:16:02 [newsbot.monitoring.report] INFO: newsbot verdict: OK, 9 of 9 monitors passed"
          " (report: /var/lib/newsbot/data/maghress/x.report.json)\n")
FAILED_LOG = ("2026-11-29 04:16:02 [newsbot.monitoring.report] ERROR: newsbot verdict: FAILED, 1 of 9 monitors failed"
              " (report: none: no local feed, no NEWSBOT_REPORT_FILE): Field coverage: fields are filled:"
              " maghress fr: published in 0% of items (0 of 16), below 98%\n")


class FakeScrapyd:
    """Answers ``schedule.json`` with job ``j1``, lists it as running for ``running_polls``
    ``listjobs.json`` calls and finished after, and serves ``log`` as its log."""

    def __init__(self, log: str | None, running_polls: int = 1) -> None:
        self.log, self.running_polls, self.polls = log, running_polls, 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/listjobs.json"):
                    fake.polls += 1
                    job = {"id": "j1", "spider": "maghress", "log_url": "/logs/newsbot/maghress/j1.log"}
                    # the first call is the guard's "is it busy?" question: nothing runs yet
                    running = [job] if 1 < fake.polls <= 1 + fake.running_polls else []
                    finished = [] if fake.polls <= 1 + fake.running_polls else [job]
                    self._json({"status": "ok", "pending": [], "running": running, "finished": finished})
                elif self.path == "/logs/newsbot/maghress/j1.log" and fake.log is not None:
                    self._send(200, fake.log.encode(), "text/plain")
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                self._json({"status": "ok", "jobid": "j1"})

            def _json(self, answer: dict[str, Any]) -> None:
                self._send(200, json.dumps(answer).encode(), "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"


@pytest.fixture
def scrapyd_with() -> Iterator[Any]:
    servers: list[FakeScrapyd] = []

    def start(log: str | None) -> FakeScrapyd:
        servers.append(FakeScrapyd(log))
        return servers[-1]

    yield start
    for server in servers:
        server.server.shutdown()
        server.server.server_close()


def run_guard(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GUARD), "maghress", "--url", url, "--wait", "--poll", "0.05", *args],
                          capture_output=True, text=True, timeout=60, env={"HOME": "/nonexistent", "PATH": "/usr/bin"})


def test_a_job_whose_monitors_passed_exits_0(scrapyd_with):
    done = run_guard(scrapyd_with(OK_LOG).url)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "scheduled maghress job j1",
        "job j1: newsbot verdict: OK, 9 of 9 monitors passed (report: /var/lib/newsbot/data/maghress/x.report.json)",
    ]


def test_a_job_whose_monitors_failed_exits_1_with_its_verdict(scrapyd_with):
    done = run_guard(scrapyd_with(FAILED_LOG).url)
    assert done.returncode == 1
    assert done.stdout.splitlines()[1] == "job j1: " + FAILED_LOG.split("ERROR: ", 1)[1].rstrip("\n")


def test_a_job_without_a_verdict_exits_1(scrapyd_with):
    done = run_guard(scrapyd_with("2026-11-29 04:15:01 [scrapy] ERROR: bad setting, nothing crawled: ...\n").url)
    assert done.returncode == 1
    assert done.stderr == ("error: job j1 finished without a verdict (it could not start, or was killed):"
                           " see /logs/newsbot/maghress/j1.log\n")


def test_a_job_still_running_at_the_timeout_exits_1(scrapyd_with):
    server = scrapyd_with(OK_LOG)
    server.running_polls = 10**6
    done = run_guard(server.url, "--timeout", "0.2")
    assert done.returncode == 1 and done.stderr == "error: job j1 is still running after 0.2 s\n"
