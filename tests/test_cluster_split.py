"""Cluster mode (issue 4, section 3): two ``scrapy crawl`` workers split one crawl via Redis.

Real Redis (the tests' own ``redis-server``, the ``cluster_db`` fixture: this module's
database, flushed before and after each test; skipped when ``redis-server`` is not
installed), real worker processes started at the same time, a replica server on 127.0.0.1
counting requests. Snapshots: one written by :mod:`tests.cluster_snapshot` (texts of our own,
always there) and the maintainers' ``../shared/sites/reference`` (skipped when absent).
Stopped, killed and failing workers: ``tests/test_cluster_recovery.py``; what a worker checks
before it crawls: ``tests/test_cluster_setup.py``.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newsbot.demo.replica import ReplicaServer
from tests.cluster_checks import (  # noqa: F401 - own_snapshot: the module's fixture
    own_snapshot, check_clean_finish, check_expected_items, check_no_article_twice, check_no_page_fetched_twice, check_split, run_workers, split_of,
)
from tests.crawling import shared
from tests.gold import load_jsonl

redis = pytest.importorskip("redis")

pytestmark = pytest.mark.redis

REDIS_DB = 13


# --- the project's own snapshot -----------------------------------------------------------


def test_two_workers_split_a_crawl(own_snapshot, cluster_db, cluster_url, tmp_path, capsys):
    server = ReplicaServer(own_snapshot).start()
    try:
        results = run_workers(2, "maghress", tmp_path, mirror=server.url, redis_url=cluster_url)
        hits = server.hits()
    finally:
        server.stop()
    items = [item for result in results for item in result.items]
    check_clean_finish(results)
    check_expected_items(own_snapshot, items)
    check_no_article_twice(items)
    check_no_page_fetched_twice(own_snapshot, hits, workers=2)
    check_split(results, cluster_db)
    assert "www.maghress.com /fr/admin/" not in hits
    with capsys.disabled():
        print(f"\n[cluster split, own snapshot] {split_of(results)}")


# --- the maintainers' reference snapshot ----------------------------------------------------
# Six processes start at once on a small machine: a crawl long enough gives a worker that
# starts a few seconds late its share: maghress (about 90 pages) at the workers' 0.2 s lasts as
# long as masress (about 45) at 0.4 s, djazairess (about 25) half as long.
REFERENCE_DELAYS = {"maghress": 0.2, "djazairess": 0.4, "masress": 0.4}


def test_two_workers_per_site_split_the_reference_crawls(cluster_db, cluster_url, tmp_path, capsys):
    """The three sites of the reference snapshot at once: three cluster crawls side by
    side in one Redis (their own keys), two workers each."""
    snapshot = shared("sites", "reference")
    server = ReplicaServer(snapshot).start()
    try:
        with ThreadPoolExecutor(len(REFERENCE_DELAYS)) as pool:
            runs = list(pool.map(
                lambda spider: run_workers(2, spider, tmp_path / spider, mirror=server.url, redis_url=cluster_url,
                                           settings={"DOWNLOAD_DELAY": REFERENCE_DELAYS[spider]}),
                REFERENCE_DELAYS,
            ))
        hits = server.hits()
    finally:
        server.stop()
    check_no_page_fetched_twice(snapshot, hits, workers=2)
    for spider, results in zip(REFERENCE_DELAYS, runs):
        items = [item for result in results for item in result.items]
        check_clean_finish(results)
        of_spider = tmp_path / f"gold-{spider}"
        (of_spider / "gold").mkdir(parents=True)
        for name in ("articles.jsonl", "rejects.jsonl"):
            rows = [r for r in load_jsonl(snapshot / "gold" / name) if f"www.{spider}.com" in r["url"]]
            (of_spider / "gold" / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        check_expected_items(of_spider, items)
        check_no_article_twice(items)
        check_split(results, cluster_db)
        with capsys.disabled():
            print(f"\n[cluster split, reference {spider}] {split_of(results)}")


# --- the queue: one round trip per callback's requests, one per two requests taken ------------
def open_scheduler(cluster_url: str):
    """A cluster scheduler of the project's settings on ``cluster_url``, opened with its spider
    (no engine: call ``_next_request``, what ``next_request`` calls when it may take)."""
    from scrapy.utils.test import get_crawler

    import newsbot.settings
    from newsbot.cluster.scheduler import ClusterScheduler
    from newsbot.spiders.sites import MaghressSpider

    project = {name: getattr(newsbot.settings, name) for name in dir(newsbot.settings) if name.isupper()}
    crawler = get_crawler(MaghressSpider, {**project, "NEWSBOT_CLUSTER": cluster_url,
                                           "NEWSBOT_STATE_NAMESPACE": "newsbot-test"})
    spider = crawler._create_spider()
    scheduler = ClusterScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider


def test_requests_of_one_turn_are_queued_together_and_seen_ones_dropped(cluster_db, cluster_url):
    """The scheduler holds the requests a callback yields until the end of the reactor's turn,
    then queues them in one script call: a request seen before (or earlier in the batch, under
    another form of its canonical URL) is logged by the dupefilter and sent as
    ``request_dropped``, as Scrapy's engine does for a refused one; the entries decode to the
    same requests, callbacks named."""
    import asyncio

    from scrapy import Request, signals

    from newsbot.cluster.scripts import ENQUEUE

    scheduler, spider = open_scheduler(cluster_url)
    crawler = scheduler.crawler
    dropped: list[str] = []

    def note_dropped(request, spider):  # held here: signal receivers are weak references
        dropped.append(request.url)

    crawler.signals.connect(note_dropped, signal=signals.request_dropped)
    cluster_db.script_load(ENQUEUE)  # so that its first call is one EVALSHA
    calls = cluster_db.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    first = Request("https://www.maghress.com/fr/h24info/1165387", callback=spider.parse_article, priority=1)
    later = Request("https://www.maghress.com/fr/h24info/1165388", callback=spider.parse_article)
    again = Request("http://maghress.com/fr/h24info/1165387?utm_source=fb", callback=spider.parse_article)

    async def one_turn() -> None:  # a running asyncio loop, as under Scrapy's reactor
        assert [scheduler.enqueue_request(r) for r in (first, later, again)] == [True, True, True]
        assert scheduler.has_pending_requests() and cluster_db.zcard(scheduler.cluster.keys.requests) == 0
        await asyncio.sleep(0.01)  # the turn ends: the batch goes out

    asyncio.run(one_turn())
    assert cluster_db.info("commandstats")["cmdstat_evalsha"]["calls"] == calls + 1
    assert dropped == [again.url]
    assert crawler.stats.get_value("dupefilter/filtered") == 1
    assert crawler.stats.get_value("scheduler/enqueued") == 2
    taken = [scheduler._next_request() for _ in range(3)]
    assert [(r.url, r.callback, r.priority) for r in taken[:2]] == [
        (first.url, spider.parse_article, 1), (later.url, spider.parse_article, 0)]
    assert taken[2] is None


def test_requests_are_taken_two_at_a_time_and_given_back_when_not_started(cluster_db, cluster_url):
    """With one request waiting in its downloader a worker takes two in one round trip
    (``NEWSBOT_CLUSTER_PREFETCH`` 3), hands out the first and the second at the engine's next
    ask; both are in its in-flight hash meanwhile. A worker that stops before handing one out
    puts it back in the queue, with its priority."""
    from scrapy import Request

    scheduler, spider = open_scheduler(cluster_url)
    keys = scheduler.cluster.keys
    urls = [f"https://www.maghress.com/fr/h24info/{n}" for n in (1165387, 1165388, 1165389)]
    scheduler.unsent.extend(Request(url, callback=spider.parse_article, priority=-n) for n, url in enumerate(urls))
    scheduler._flush()
    first = scheduler._next_request(2)  # what next_request takes when one request waits
    assert first.url == urls[0] and first.callback == spider.parse_article
    assert cluster_db.zcard(keys.requests) == 1 and cluster_db.hlen(keys.inflight(scheduler.cluster.worker_id)) == 2
    assert scheduler.has_pending_requests() and [r.url for r, _ in scheduler.ahead] == [urls[1]]
    scheduler._give_back()
    assert cluster_db.hlen(keys.inflight(scheduler.cluster.worker_id)) == 1  # the first, still downloading
    again = scheduler._next_request(2)
    assert [again.url, scheduler.next_request().url] == urls[1:]  # the priorities kept; the second held
    assert scheduler._next_request(2) is None and not scheduler.ahead
