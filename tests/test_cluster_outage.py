"""Cluster mode when Redis is down (:mod:`newsbot.cluster.outage`): at start the crawl stops
at once with one ERROR line; during the crawl the worker waits
``NEWSBOT_CLUSTER_WORKER_TIMEOUT`` seconds, then stops with finish reason
``cluster_unavailable``; the state falling back to memory is never reported as recorded.

The mid-crawl test gets a Redis server of its own (the ``own_redis`` fixture: ``redis-server``
on a free port, stopped by the test) and a replica of the demo site; skipped when
``redis-server`` is absent.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsbot.cluster.outage import RedisOutage
from newsbot.demo.replica import ReplicaServer
from tests.crawling import ROOT, run_crawl

DEMO = ROOT / "newsbot" / "demo" / "site"


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if " ERROR: " in line or " CRITICAL: " in line]


# --- the outage clock ------------------------------------------------------------------------------
def test_an_outage_is_reported_once_and_ends_when_redis_answers(caplog):
    stops = []
    outage = RedisOutage("maghress", "redis://:pw@127.0.0.1:6391/0", limit=60, stop=lambda: stops.append(1))
    with caplog.at_level(logging.INFO, logger="newsbot.cluster.outage"):
        assert outage.failed(ConnectionError("refused")) is False
        assert outage.failed(ConnectionError("refused")) is False
        assert outage.ongoing
        outage.answered()
        outage.answered()
    assert not outage.ongoing and stops == []
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert [level for level, _ in messages] == ["WARNING", "INFO"]
    assert "Redis at redis://:***@127.0.0.1:6391/0 does not answer (ConnectionError: refused)" in messages[0][1]
    assert "answers again" in messages[1][1]


def test_an_outage_longer_than_the_limit_stops_the_worker_once(caplog):
    stops = []
    outage = RedisOutage("maghress", "redis://127.0.0.1:6391/0", limit=0, stop=lambda: stops.append(1))
    with caplog.at_level(logging.INFO, logger="newsbot.cluster.outage"):
        assert outage.failed(ConnectionError("refused")) is True
        assert outage.failed(ConnectionError("refused")) is True
        outage.answered()  # too late: the worker is closing
    assert stops == [1] and outage.given_up
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "this worker stops (finish reason cluster_unavailable)" in errors[0]


# --- through real crawls ---------------------------------------------------------------------------
def test_redis_down_at_start_stops_the_crawl_at_once(tmp_path):
    server = ReplicaServer(DEMO).start()
    try:
        result = run_crawl("maghress", tmp_path, mirror=server.url, timeout=60,
                           settings={"NEWSBOT_CLUSTER": "redis://127.0.0.1:1/0"})
        hits = server.hits()
    finally:
        server.stop()
    assert result.returncode == 1 and hits == {}
    assert result.items == [] and not result.feed.exists()
    errors = error_lines(result.log)
    assert len(errors) == 1, result.log[-3000:]
    assert "NEWSBOT_CLUSTER=redis://127.0.0.1:1/0: cannot use this Redis (ConnectionError: " in errors[0]
    assert "start Redis there" in errors[0]
    assert "Traceback" not in result.log and "Recorded" not in result.log


def test_a_state_store_that_fell_back_to_memory_is_not_reported_as_recorded(tmp_path):
    result = run_crawl("maghress", tmp_path, mirror="demo", timeout=120,
                       settings={"NEWSBOT_STATE": "redis://127.0.0.1:1/0", "NEWSBOT_RENDER_ENABLED": False,
                                 "NEWSBOT_BOILERPLATE_WARMUP": 0})
    assert result.returncode == 0 and result.items, result.log[-3000:]
    assert "Recorded " not in result.log
    assert f"Not recorded: {len(result.items)} articles yielded" in result.log
    assert "the state store redis://127.0.0.1:1/0 failed" in result.log
    assert "newsbot/state/recorded/item" not in result.stats


@pytest.mark.redis
def test_redis_going_down_mid_crawl_stops_the_worker_without_tracebacks(tmp_path, own_redis):
    url = own_redis.url(0)
    server = ReplicaServer(DEMO).start()
    settings = {
        "NEWSBOT_CLUSTER": url, "NEWSBOT_STATE": f"sqlite:///{tmp_path}/state.db",  # the state elsewhere
        "NEWSBOT_CLUSTER_WORKER_TIMEOUT": 6, "CONCURRENT_REQUESTS": 1, "DOWNLOAD_DELAY": 1,
        "AUTOTHROTTLE_ENABLED": False, "NEWSBOT_RENDER_ENABLED": False, "NEWSBOT_BOILERPLATE_WARMUP": 0,
    }
    try:
        with ThreadPoolExecutor(1) as pool:
            crawl = pool.submit(run_crawl, "maghress", tmp_path, mirror=server.url, settings=settings, timeout=120)
            deadline = time.monotonic() + 60
            while sum(server.hits().values()) < 5 and time.monotonic() < deadline and not crawl.done():
                time.sleep(0.2)
            own_redis.stop()  # Redis goes away in the middle of the crawl
            result = crawl.result()  # a worker that never ends fails here (timeout)
        pages = sum(server.hits().values())
    finally:
        server.stop()
    assert result.stat("finish_reason", None) == "cluster_unavailable", result.log[-3000:]
    assert pages < 31  # stopped before the end of the demo site
    assert result.returncode == 1 and "newsbot verdict: FAILED" in result.log  # finish reason cluster_unavailable
    errors = [line for line in error_lines(result.log) if "newsbot verdict:" not in line and "[Spidermon]" not in line]
    assert len(errors) == 1, errors
    assert f"Redis at {url} has not answered for" in errors[0] and "this worker stops" in errors[0]
    warnings = [line for line in result.log.splitlines() if "does not answer" in line]
    assert len(warnings) == 1  # the outage is reported once, not every 5 s
    assert "Traceback" not in result.log
    assert len(result.items) == result.stat("item_scraped_count")  # what was scraped is in the feed
