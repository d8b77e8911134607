"""One crawl of a spider at a time on one SQLite state store (issue 8, section 4).

Two ``scrapy crawl maghress`` processes on one store used to both write every article. Now
the second is refused with one ERROR line and exit status 1, and the union of the two feeds
holds each article exactly once; a killed crawl's lock goes with its process.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsbot.state.lock import CrawlLock, StoreBusy, lock_path
from tests.crawling import ROOT, run_crawl

DEMO_SITE = ROOT / "newsbot" / "demo" / "site"
GOLD_URLS = sorted(json.loads(line)["url"] for line in (DEMO_SITE / "gold" / "articles.jsonl").read_text("utf-8").splitlines())


def held(path: Path) -> bool:
    """Whether a process holds the lock file ``path`` now (tried without taking it for long)."""
    if not path.exists():
        return False
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_a_second_crawl_of_the_spider_on_the_store_is_refused(tmp_path, replica):
    server = replica(DEMO_SITE)
    store = tmp_path / "shared-state.db"
    settings = {"NEWSBOT_STATE": f"sqlite:///{store}", "NEWSBOT_RENDER_ENABLED": False}
    first: dict = {}
    # the first crawl is slowed down so that it still runs while the second one starts
    runner = threading.Thread(target=lambda: first.update(result=run_crawl(
        "maghress", tmp_path / "first", mirror=server.url, settings={**settings, "DOWNLOAD_DELAY": 0.2})))
    runner.start()
    lock = lock_path(f"sqlite:///{store}", "maghress")
    deadline = time.monotonic() + 60
    while not held(lock) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert held(lock), "the first crawl never took the lock"
    second = run_crawl("maghress", tmp_path / "second", mirror=server.url, settings=settings)
    runner.join()
    first_result = first["result"]

    assert second.returncode == 1 and second.items == []
    errors = [line for line in second.log.splitlines() if " ERROR: " in line]
    assert len(errors) == 1 and "Traceback" not in second.log
    assert errors[0].split(" ERROR: ", 1)[1].startswith(
        "state store busy, nothing crawled: another crawl of maghress (pid ")
    assert errors[0].endswith(
        f") is using the state store {store}: wait until it ends, or give this crawl a store of its own"
        " (-s NEWSBOT_STATE=sqlite:///other.db)")
    assert first_result.returncode == 0
    union = [item["url"] for item in first_result.items + second.items]
    assert sorted(union) == GOLD_URLS  # each article exactly once
    assert not lock.exists()  # removed when the first crawl ended


def test_crawls_of_other_spiders_share_the_store(tmp_path):
    uri = f"sqlite:///{tmp_path}/state.db"
    maghress = CrawlLock.take(uri, "maghress")
    djazairess = CrawlLock.take(uri, "djazairess")
    assert maghress is not None and djazairess is not None
    with pytest.raises(StoreBusy, match=r"^another crawl of maghress \(pid \d+, started .+\) is using the state store"):
        CrawlLock.take(uri, "maghress")
    maghress.release()
    assert not maghress.path.exists()
    again = CrawlLock.take(uri, "maghress")
    assert again is not None
    again.release()
    djazairess.release()


def test_nothing_is_locked_without_a_file():
    assert CrawlLock.take("sqlite:///:memory:", "maghress") is None
    assert CrawlLock.take("redis://127.0.0.1:1/0", "maghress") is None


def test_a_killed_crawl_does_not_hold_the_store(tmp_path):
    uri = f"sqlite:///{tmp_path}/state.db"
    code = f"from newsbot.state.lock import CrawlLock; lock = CrawlLock.take({uri!r}, 'maghress'); print('held', flush=True); input()"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "held\n"
        with pytest.raises(StoreBusy):
            CrawlLock.take(uri, "maghress")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        lock = CrawlLock.take(uri, "maghress")
        assert lock is not None
        lock.release()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
