"""A crawl that reaches no page says so in one ERROR line (it would otherwise look like a
good run that found nothing new), and logs the real site's URLs, never the mirror's."""

from __future__ import annotations

import socket

from tests.crawling import run_crawl


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_crawl_that_reaches_nothing_says_so(tmp_path):
    mirror = f"http://127.0.0.1:{_closed_port()}"
    result = run_crawl("turess", tmp_path, mirror=mirror, settings={"RETRY_TIMES": 0})
    assert result.items == [] and result.stats["finish_reason"] == "finished"
    assert result.stat("newsbot/crawl/no_response") == 1
    errors = [line for line in result.log.splitlines() if "newsbot.extensions.health] ERROR" in line]
    assert len(errors) == 1 and "downloaded no page at all" in errors[0] and "NEWSBOT_MIRROR" in errors[0]
    failures = [line for line in result.log.splitlines() if "Error downloading" in line]
    assert failures and all("https://www.turess.com/" in line and mirror not in line for line in failures)
