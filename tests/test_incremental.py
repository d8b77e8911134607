"""Incremental runs through real crawls on one state: the second run fetches listings and
feeds again but no article page that yielded an item or was dropped; failed pages are tried
again; ``-a fresh=1`` ignores the state for one run and still updates it; a hard kill loses
no item (shared cases NB-17, NB-19)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from newsbot.demo.replica import ReplicaServer
from tests.crawling import ROOT, SNAPSHOTS, run_crawl, shared
from tests.gold import load_jsonl

SNAPSHOT = SNAPSHOTS / "pipelines"


def article_paths(hits: dict[str, int]) -> dict[str, int]:
    """Request counts of article pages (``host /[ed/]slug/number``)."""
    return {key: n for key, n in hits.items() if key.rsplit("/", 1)[-1].isdigit()}


def path_of(url: str) -> str:
    host, _, path = url.split("://", 1)[1].partition("/")
    return f"{host} /{path}"


def done_urls(result, rejects: list[dict]) -> set[str]:
    return {i["url"] for i in result.items} | {r["url"] for r in rejects if r["reason"] not in ("missing_title",)}


# --- the maintainers' replica ----------------------------------------------------------------------
@pytest.mark.parametrize("spider", ["maghress", "djazairess"])
def test_second_run_on_the_reference_fetches_no_article_done_before(spider, tmp_path, snapshot_crawls):
    snapshot = shared("sites", "reference")
    # the first run: the session's crawl of the snapshot (rejects feed on, on a fresh state),
    # whose state this test's second run starts from, on a fresh replica
    crawled = snapshot_crawls(snapshot)
    first, first_hits = crawled.results[spider], crawled.hits[spider]
    crawled.copy_state(spider, tmp_path)
    server = ReplicaServer(snapshot).start()
    try:
        second = run_crawl(spider, tmp_path, mirror=server.url, feed_name="2.jsonl")
        second_hits = server.hits()
    finally:
        server.stop()
    assert first.returncode == 0 and second.returncode == 0, second.log[-3000:]
    assert len(first.items) > 10 and second.items == []
    assert second.stats["finish_reason"] == "finished"
    done = done_urls(first, crawled.rejects[spider])
    assert {path_of(u) for u in done} & set(article_paths(second_hits)) == set()
    assert second.stat("newsbot/incremental/skipped") == len(done)
    # listings, feeds and home pages are fetched again; not the teaser's source page and its host's
    # robots.txt (its article is done)
    outlets = {s["host"] for s in json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))["sites"]
               if s.get("kind") == "outlet"}
    first_pages = {k for k in set(first_hits) - set(article_paths(first_hits)) if k.split(" ", 1)[0] not in outlets}
    assert set(second_hits) - set(article_paths(second_hits)) == first_pages
    gold_rejects = load_jsonl(snapshot / "gold" / "rejects.jsonl")
    for reject in gold_rejects:
        if reject["reason"] == "http_error" and spider in reject["url"]:  # 404: tried again
            assert first_hits[path_of(reject["url"])] == 1 and second_hits[path_of(reject["url"])] == 1
        if reject["reason"] == "missing_title" and spider in reject["url"]:  # no item made: tried again
            assert second_hits[path_of(reject["url"])] == 1
    if spider == "djazairess":  # 503 then 200: fetched twice, yielded, then never again
        assert first_hits["www.djazairess.com /aps/385099"] == 2
        assert "www.djazairess.com /aps/385099" not in second_hits
        assert "https://www.djazairess.com/aps/385099" in {i["url"] for i in first.items}


# --- the project's own snapshot ----------------------------------------------------------------------
@pytest.fixture
def server():
    replica = ReplicaServer(SNAPSHOT).start()
    yield replica
    replica.stop()


def test_second_run_fresh_run_and_the_state_after_it(server, tmp_path):
    first = run_crawl("maghress", tmp_path, mirror=server.url, feed_name="1.jsonl")
    server.reset()
    second = run_crawl("maghress", tmp_path, mirror=server.url, feed_name="2.jsonl")
    second_hits = article_paths(server.hits())
    # only the page without title (never recorded) is fetched again; NB-14's redirecting id
    # was recorded with the article it redirects to
    assert second.items == [] and second_hits == {"www.maghress.com /fr/fnh/600": 1}
    # 16 article ids: 12 yielded, 3 dropped (duplicate_of, near_duplicate, empty_body), NB-14's /301
    assert second.stat("newsbot/incremental/skipped") == 16
    server.reset()
    fresh = run_crawl("maghress", tmp_path, mirror=server.url, args={"fresh": "1"}, feed_name="3.jsonl")
    assert len(fresh.items) == len(first.items) == 12
    assert fresh.stat("newsbot/incremental/skipped", 0) == 0
    assert fresh.stat("newsbot/dropped/duplicate_of") == fresh.stat("newsbot/dropped/near_duplicate") == 1
    server.reset()
    after = run_crawl("maghress", tmp_path, mirror=server.url, feed_name="4.jsonl")
    assert after.items == [] and article_paths(server.hits()) == {"www.maghress.com /fr/fnh/600": 1}


def test_incremental_off_refetches_and_dedupe_drops_what_was_yielded(server, tmp_path):
    run_crawl("maghress", tmp_path, mirror=server.url, feed_name="1.jsonl")
    server.reset()  # NB-14's page answers 503 first again
    again = run_crawl("maghress", tmp_path, mirror=server.url, feed_name="2.jsonl",
                      settings={"NEWSBOT_INCREMENTAL_ENABLED": False})
    assert again.items == []
    assert again.stat("newsbot/dropped/duplicate_url") == 12 + 1  # the 12 articles, and NB-14's second arrival
    for reason in ("duplicate_of", "near_duplicate", "empty_body"):
        assert again.stat(f"newsbot/dropped/{reason}") == 1


def test_hard_kill_loses_no_item(server, tmp_path):
    """SIGKILL in the middle of a run: nothing of it is recorded, the next run writes every
    article (those the killed run had written too: at least once, never lost)."""
    feed = tmp_path / "killed.jsonl"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "maghress", "-O", str(feed),
        "-s", f"NEWSBOT_MIRROR={server.url}", "-s", f"NEWSBOT_DATA_DIR={tmp_path}", "-s", "LOG_LEVEL=DEBUG",
        "-s", "NEWSBOT_BOILERPLATE_WARMUP=0", "-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=0.4",
        "-s", "AUTOTHROTTLE_ENABLED=False",
    ]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    scraped = 0
    deadline = time.monotonic() + 120
    try:
        for line in proc.stderr:
            scraped += "Scraped from" in line
            if scraped >= 3 or time.monotonic() > deadline:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        proc.stderr.close()
    assert scraped >= 3 and proc.returncode == -signal.SIGKILL
    lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
    killed = [json.loads(line) for line in lines if line.endswith("}")]  # the last line may be cut
    server.reset()
    # (one article of the snapshot is boilerplate only: below the coverage monitor's default)
    after = run_crawl("maghress", tmp_path, mirror=server.url, feed_name="after.jsonl",
                      settings={"NEWSBOT_MONITOR_MIN_COVERAGE": 0.9})
    assert after.returncode == 0
    urls = {i["url"] for i in after.items}
    assert len(after.items) == 12  # one per story: nothing the killed run handled is lost
    assert {i["url"] for i in killed} <= urls | _copies(urls)
    again = run_crawl("maghress", tmp_path, mirror=server.url, feed_name="again.jsonl")
    assert again.items == []


def _copies(urls: set[str]) -> set[str]:
    """Pages whose story is kept under another URL of ``urls`` (duplicate groups of the gold)."""
    groups = [[g["url"], *g.get("duplicates", [])] for g in load_jsonl(SNAPSHOT / "gold" / "articles.jsonl")]
    return {u for group in groups if set(group) & urls for u in group}


@pytest.mark.redis
def test_incremental_runs_with_the_state_in_redis(server, redis_server, tmp_path):
    import secrets

    import redis

    url = redis_server.url(14)  # the tests' own Redis; database 14 as test_state.py
    namespace = f"newsbot-test-{secrets.token_hex(4)}"
    settings = {"NEWSBOT_STATE": url, "NEWSBOT_STATE_NAMESPACE": namespace}
    try:
        first = run_crawl("maghress", tmp_path, mirror=server.url, settings=settings, feed_name="1.jsonl")
        server.reset()
        second = run_crawl("maghress", tmp_path, mirror=server.url, settings=settings, feed_name="2.jsonl")
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(f"{namespace}:*"))
        if keys:
            client.delete(*keys)
    assert len(first.items) == 12 and first.stat("newsbot/state/errors", 0) == 0
    assert not (tmp_path / ".newsbot").exists()  # nothing went to the default SQLite file
    assert second.items == [] and article_paths(server.hits()) == {"www.maghress.com /fr/fnh/600": 1}


# --- one store call per callback output ---------------------------------------------------------
def test_a_listings_article_requests_are_looked_up_in_one_store_call(tmp_path):
    """The records of every article request of one callback's output (a listing's teasers) are
    read in one StateStore.article_versions call (in Redis one round trip); done articles are
    still skipped, the others kept in order."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from newsbot.family.urls import META_ARTICLE_ID
    from newsbot.middlewares.incremental import IncrementalMiddleware
    from newsbot.spiders.sites import MaghressSpider
    from newsbot.state import crawl_state

    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{tmp_path / 'state.db'}"})
    middleware = IncrementalMiddleware.from_crawler(crawler)
    middleware.spider_opened(MaghressSpider())
    store = crawl_state(crawler).store
    store.record_articles([("maghress:fr:le360:2", "item"), ("maghress:fr:le360:4", "dropped:near_duplicate")])
    calls = []
    versions = store.article_versions
    store.article_versions = lambda ids: calls.append(list(ids)) or versions(ids)

    def article(n: int) -> Request:
        return Request(f"https://www.maghress.com/fr/le360/{n}", meta={META_ARTICLE_ID: f"maghress:fr:le360:{n}"})

    listing = [article(n) for n in range(1, 6)] + [Request("https://www.maghress.com/fr/le360?page=2")]
    kept = list(middleware.process_spider_output(None, listing))
    assert [r.url.rsplit("/", 1)[-1] for r in kept] == ["1", "3", "5", "le360?page=2"]
    assert calls == [[f"maghress:fr:le360:{n}" for n in range(1, 6)]]
