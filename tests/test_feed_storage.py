"""A feed that cannot be written fails once, in one line, and ``scrapy crawl`` exits 1 (issue 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from newsbot.feedstorage import STORE_FAILED, CheckedFileFeedStorage, FeedWriteError
from tests.crawling import ROOT

needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")


def storage(path: str, overwrite: bool = True) -> tuple[CheckedFileFeedStorage, object]:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return CheckedFileFeedStorage.from_crawler(crawler, path, feed_options={"overwrite": overwrite}), crawler


def test_a_writable_feed_is_written_as_scrapy_writes_it(tmp_path):
    feed = tmp_path / "deep" / "feed.jsonl"
    store, crawler = storage(str(feed))
    file = store.open(None)
    for n in range(3000):
        file.write(b'{"n": %d}\n' % n)
    store.store(file)
    assert feed.read_bytes() == b"".join(b'{"n": %d}\n' % n for n in range(3000))
    appended, _ = storage(str(feed), overwrite=False)
    file = appended.open(None)
    file.write(b'{"n": "last"}\n')
    appended.store(file)
    assert feed.read_bytes().endswith(b'{"n": 2999}\n{"n": "last"}\n')
    assert crawler.stats.get_value(STORE_FAILED) is None


@needs_dev_full
def test_a_full_device_fails_the_feed_once():
    store, crawler = storage("/dev/full")
    file = store.open(None)
    for _ in range(100):
        file.write(b"x" * 2500 + b"\n")  # no error here: the first one is kept
    with pytest.raises(FeedWriteError) as error:
        store.store(file)
    assert str(error.value) == "cannot write /dev/full: No space left on device; the feed of this run is incomplete"
    assert crawler.stats.get_value(STORE_FAILED) == 1


@needs_dev_full
def test_a_crawl_whose_feed_fails_exits_1_with_one_line(tmp_path):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "maghress", "-O", "/dev/full:jsonlines",
           "-s", "NEWSBOT_MIRROR=demo", "-s", f"NEWSBOT_DATA_DIR={tmp_path}", "-s", "NEWSBOT_RENDER_ENABLED=False",
           "-s", "AUTOTHROTTLE_START_DELAY=0"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
    report = tmp_path / "run.report.json"
    cmd += ["-s", f"NEWSBOT_REPORT_FILE={report}"]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 1, log[-3000:]
    assert "Traceback" not in log
    errors = [line.split(" ERROR: ", 1)[1] for line in log.splitlines() if " ERROR: " in line]
    # the storage error, then the verdict: the log's last verdict, the report and the exit status agree
    assert errors == [
        "Error storing jsonlines feed (13 items) in: /dev/full: cannot write /dev/full:"
        " No space left on device; the feed of this run is incomplete",
        f"newsbot verdict: FAILED, the feed was not stored (report: {report}): Feed stored: 1 feed(s) of this"
        " crawl could not be written (see the ERROR line above)",
    ]
    verdicts = [line for line in log.splitlines() if "newsbot verdict:" in line]
    assert "FAILED" in verdicts[-1]
    written = json.loads(report.read_text(encoding="utf-8"))
    assert (written["verdict"], written["exit_status"]) == ("FAILED", 1)
    assert written["failed"][-1].startswith("Feed stored: 1 feed(s)")
    assert "'newsbot/feed/store_failed': 1," in log
    assert "13 articles are not recorded as seen, so the next run fetches them again" in log
