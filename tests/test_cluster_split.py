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
