"""The project's downloader holds a site's concurrency (newsbot.downloader), end to end."""

from __future__ import annotations

import threading
import time
from typing import Any

from newsbot.demo.replica import ReplicaServer
from tests.cluster_snapshot import build_snapshot
from tests.crawling import run_crawl


def test_a_plain_crawl_never_sends_a_site_more_than_its_concurrency(tmp_path):
    """CONCURRENT_REQUESTS_PER_DOMAIN=2, no delay, answers that take 60 ms: the replica server
    never has more than 2 of the site's requests at once. Scrapy 2.19's own downloader started
    every request queued for the site at once (15 at once against a setting of 4 measured)."""
    server = ReplicaServer(build_snapshot(tmp_path / "snapshot", copies=0)).start()
    lock = threading.Lock()
    serving, most = [0], [0]
    find = server.snapshot.find

    def slow(host: str, target: str) -> Any:  # every answer, a 404 too
        with lock:
            serving[0] += 1
            most[0] = max(most[0], serving[0])
        try:
            time.sleep(0.06)
            return find(host, target)
        finally:
            with lock:
                serving[0] -= 1

    server.snapshot.find = slow
    try:
        result = run_crawl("maghress", tmp_path / "crawl", mirror=server.url, args={"editions": "fr"},
                           settings={"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0,
                                     "AUTOTHROTTLE_ENABLED": False, "NEWSBOT_RENDER_ENABLED": False})
    finally:
        server.stop()
    assert result.returncode == 0, result.log[-2000:]
    assert result.stat("downloader/response_count") >= 20 and result.items
    assert most[0] == 2, most[0]
