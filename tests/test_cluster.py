"""Cluster mode (issue 4, section 3): two ``scrapy crawl`` workers split one crawl via Redis.

Real Redis (the tests' own ``redis-server``, the ``redis_server`` fixture; database 13,
flushed before and after each test; skipped when ``redis-server`` is not installed), real
worker processes started at the same time, a replica server on 127.0.0.1 counting requests.
Snapshots: one written by :mod:`tests.cluster_snapshot` (texts of our own, always there)
and the maintainers' ``../shared/sites/reference`` (skipped when absent).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from newsbot.demo.replica import ReplicaServer
from tests.cluster_snapshot import build_snapshot
from tests.crawling import ROOT, CrawlResult, run_crawl, shared
from tests.gold import load_jsonl, mismatches
from tests.redis_server import flushed_database

redis = pytest.importorskip("redis")

pytestmark = pytest.mark.redis

REDIS_DB = 13
# Low concurrency, and a short delay so that the crawl lasts long enough for both workers
# to take part: an idle Scrapy engine looks at its scheduler every 5 s only.
WORKER_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS": 2,
    "DOWNLOAD_DELAY": 0.2,
    "AUTOTHROTTLE_START_DELAY": 1.0,  # the project's default (tests.crawling starts other crawls at 0)
    "MAX_IDLE_TIME_BEFORE_CLOSE": 5,
    "NEWSBOT_RENDER_ENABLED": False,  # JavaScript-only pages are section 2's test
}


@pytest.fixture(scope="module")
def redis_url(redis_server) -> str:
    """The cluster's Redis URL: database 13 of the tests' own Redis."""
    return redis_server.url(REDIS_DB)


@pytest.fixture
def redis_db(redis_url: str):
    """A client of the cluster's database, empty at the start and at the end of the test."""
    with flushed_database(redis_url) as client:
        yield client


def run_workers(count: int, spider: str, workdir: Path, *, mirror: str, redis_url: str,
                settings: dict[str, Any] | None = None, args: dict[str, str] | None = None) -> list[CrawlResult]:
    """``count`` workers of one cluster crawl, started together; their results in order."""
    all_settings = {"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS, **(settings or {})}
    with ThreadPoolExecutor(count) as pool:
        futures = [
            pool.submit(run_crawl, spider, workdir / f"worker{i + 1}", mirror=mirror, args=args, settings=all_settings)
            for i in range(count)
        ]
        return [future.result() for future in futures]


def split_of(results: list[CrawlResult]) -> list[dict[str, int]]:
    return [{"items": len(r.items), "pages": r.stat("downloader/response_count")} for r in results]


# --- checks shared by both snapshots ------------------------------------------------------
def check_clean_finish(results: list[CrawlResult], errors_expected: bool = False) -> None:
    for result in results:
        assert result.returncode == 0, result.log[-3000:]
        assert result.stat("finish_reason", None) == "finished", result.log[-3000:]
        assert "Deprecat" not in result.log, [line for line in result.log.splitlines() if "Deprecat" in line]
        if not errors_expected:
            assert " ERROR: " not in result.log, [line for line in result.log.splitlines() if " ERROR: " in line]


def check_expected_items(snapshot: Path, items: list[dict[str, Any]]) -> None:
    """Every gold article (JavaScript-only ones aside) is in the union, equal to the gold;
    of a duplicates group exactly one page (either), whichever worker saw which."""
    by_url = {item["url"]: item for item in items}
    problems = {}
    for gold in load_jsonl(snapshot / "gold" / "articles.jsonl"):
        if gold.get("needs_js"):
            continue
        found = [by_url[u] for u in (gold["url"], *gold.get("duplicates", [])) if u in by_url]
        if len(found) != 1:
            problems[gold["url"]] = "missing" if not found else f"{len(found)} pages of one duplicates group"
        elif found[0]["url"] == gold["url"]:
            diff = mismatches(found[0], gold)
            # the teaser's body is its outlet page's text: the source request went through Redis with
            # its pending item; the banner pasted into a body is the pipelines' tests'
            if "banner_in_body" in gold.get("cases", []):
                diff.pop("body", None)
            if diff:
                problems[gold["url"]] = diff
    assert problems == {}
    rejected = {r["url"] for r in load_jsonl(snapshot / "gold" / "rejects.jsonl")
                if not r.get("either_may_be_kept") and r["reason"] not in ("duplicate_of", "near_duplicate")}
    assert rejected.isdisjoint(by_url)


def check_no_article_twice(items: list[dict[str, Any]]) -> None:
    twice = {k: n for k, n in Counter(item["article_id"] for item in items).items() if n > 1}
    assert twice == {}
    twice = {k: n for k, n in Counter(item["url"] for item in items).items() if n > 1}
    assert twice == {}


def check_no_page_fetched_twice(snapshot: Path, hits: dict[str, int], workers: int) -> None:
    """Every entry at most once; a ``sequence`` entry (503 then 200) once per status it
    needs; robots.txt once per worker (each worker's RobotsTxtMiddleware reads it)."""
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    kinds = {f"{e['host']} {e['path']}": e for e in manifest["entries"]}
    over = {}
    for key, count in hits.items():
        entry = kinds.get(key, {})
        if entry.get("kind") == "robots":
            allowed = workers
        elif entry.get("sequence"):
            allowed = entry["sequence"].index(200) + 1 if 200 in entry["sequence"] else 1
        else:
            allowed = 1
        if count > allowed:
            over[key] = count
    assert over == {}
    crawled_hosts = {key.split(" ", 1)[0] for key in hits}
    retried = [k for k, e in kinds.items() if e.get("sequence") and e["host"] in crawled_hosts]
    assert all(hits.get(k) == kinds[k]["sequence"].index(200) + 1 for k in retried), {k: hits.get(k) for k in retried}


def check_split(results: list[CrawlResult], redis_db: Any) -> None:
    assert all(result.items for result in results), split_of(results)
    assert sum(r.stat("newsbot/cluster/seeded") for r in results) == 1  # seeded once per crawl
    assert sorted(r.stat("newsbot/cluster/outcome", None) for r in results) == ["complete"] + ["others"] * (len(results) - 1)
    left = [k for k in redis_db.scan_iter("newsbot-mirror:cluster:*")]
    # the finished crawl left nothing but its workers' counts (python -m newsbot.cluster status), expiring
    assert [k for k in left if not k.endswith(b":progress")] == [] and all(redis_db.ttl(k) > 0 for k in left)


# --- the project's own snapshot -----------------------------------------------------------
@pytest.fixture(scope="module")
def own_snapshot(tmp_path_factory) -> Path:
    # eight stories with an exact copy: the two workers must keep exactly one of each
    return build_snapshot(tmp_path_factory.mktemp("cluster-snapshot"), copies=8)


def test_two_workers_split_a_crawl(own_snapshot, redis_db, redis_url, tmp_path, capsys):
    server = ReplicaServer(own_snapshot).start()
    try:
        results = run_workers(2, "maghress", tmp_path, mirror=server.url, redis_url=redis_url)
        hits = server.hits()
    finally:
        server.stop()
    items = [item for result in results for item in result.items]
    check_clean_finish(results)
    check_expected_items(own_snapshot, items)
    check_no_article_twice(items)
    check_no_page_fetched_twice(own_snapshot, hits, workers=2)
    check_split(results, redis_db)
    assert "www.maghress.com /fr/admin/" not in hits
    with capsys.disabled():
        print(f"\n[cluster split, own snapshot] {split_of(results)}")


# --- the maintainers' reference snapshot ----------------------------------------------------
REFERENCE_SPIDERS = ("maghress", "djazairess", "masress")


def test_two_workers_per_site_split_the_reference_crawls(redis_db, redis_url, tmp_path, capsys):
    """The three sites of the reference snapshot at once: three cluster crawls side by
    side in one Redis (their own keys), two workers each."""
    snapshot = shared("sites", "reference")
    server = ReplicaServer(snapshot).start()
    try:
        with ThreadPoolExecutor(len(REFERENCE_SPIDERS)) as pool:
            runs = list(pool.map(
                # six processes start at once on a small machine: a longer crawl gives a worker
                # that starts a few seconds late its share
                lambda spider: run_workers(2, spider, tmp_path / spider, mirror=server.url, redis_url=redis_url,
                                           settings={"DOWNLOAD_DELAY": 0.4}),
                REFERENCE_SPIDERS,
            ))
        hits = server.hits()
    finally:
        server.stop()
    check_no_page_fetched_twice(snapshot, hits, workers=2)
    for spider, results in zip(REFERENCE_SPIDERS, runs):
        items = [item for result in results for item in result.items]
        check_clean_finish(results)
        of_spider = tmp_path / f"gold-{spider}"
        (of_spider / "gold").mkdir(parents=True)
        for name in ("articles.jsonl", "rejects.jsonl"):
            rows = [r for r in load_jsonl(snapshot / "gold" / name) if f"www.{spider}.com" in r["url"]]
            (of_spider / "gold" / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        check_expected_items(of_spider, items)
        check_no_article_twice(items)
        check_split(results, redis_db)
        with capsys.disabled():
            print(f"\n[cluster split, reference {spider}] {split_of(results)}")


# --- NB-26: a request that failed stays eligible for a later run ----------------------------
def test_a_mirrored_crawl_never_writes_the_live_namespace(redis_db, redis_url, tmp_path):
    """A cluster crawl of the demo replica keeps its state, queue and seen set under
    ``newsbot-demo:``: nothing of it under ``newsbot:``, where a live crawl would read it."""
    result = run_crawl("maghress", tmp_path, mirror="demo", settings={"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS})
    check_clean_finish([result])
    assert len(result.items) == 13
    keys = {k.decode() for k in redis_db.scan_iter(count=1000)}
    assert keys and sorted(k for k in keys if not k.startswith("newsbot-demo:")) == []
    statuses = {k.decode(): v.decode() for k, v in redis_db.hgetall("newsbot-demo:articles").items()}
    assert sorted(a for a, status in statuses.items() if status == "item") == sorted(i["article_id"] for i in result.items)
    assert int(redis_db.hlen("newsbot-demo:docs")) == 13
    assert "State store: redis://127.0.0.1:" in result.log and "(namespace 'newsbot-demo'" in result.log


def test_failed_request_is_tried_again_next_run(tmp_path, redis_db, redis_url):
    """Shared case NB-26 with the case's settings (SCHEDULER_PERSIST=True, RETRY_TIMES=2):
    run 1 gets 503 three times for one article; run 2 fetches it once and yields its item,
    while the article fetched fine in run 1 stays seen (not fetched again)."""
    failing, fine = "/fr/rabatinfo/400030", "/fr/rabatinfo/400050"
    snapshot = build_snapshot(tmp_path / "snapshot", sequences={failing: [503, 503, 503, 200]})
    server = ReplicaServer(snapshot).start()
    settings = {"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS, "SCHEDULER_PERSIST": True, "RETRY_TIMES": 2}
    args = {"ids": "fr/rabatinfo:400030,fr/rabatinfo:400050"}
    try:
        first = run_crawl("maghress", tmp_path / "run1", mirror=server.url, args=args, settings=settings)
        hits_after_first = server.hits()
        second = run_crawl("maghress", tmp_path / "run2", mirror=server.url, args=args, settings=settings)
        hits = server.hits()
    finally:
        server.stop()
    check_clean_finish([second])
    # run 1 gave up on an article after two retries: the retry-rate monitor fails, and it exits 1
    report = json.loads(first.feed.with_suffix(".report.json").read_text(encoding="utf-8"))
    assert first.returncode == 1 and first.stats["finish_reason"] == "finished" and report["failed"] == [
        "Errors and retries: retry rate: 2 retries in 5 requests (40%), above 20%"]
    assert [i["url"] for i in first.items] == [f"https://www.maghress.com{fine}"]
    assert first.stat("newsbot/cluster/failed") == 1
    assert hits_after_first[f"www.maghress.com {failing}"] == 3
    assert [i["url"] for i in second.items] == [f"https://www.maghress.com{failing}"]
    assert hits[f"www.maghress.com {failing}"] == 4  # fetched once in run 2
    assert hits[f"www.maghress.com {fine}"] == 1  # SCHEDULER_PERSIST kept it seen
    assert redis_db.scard("newsbot-mirror:cluster:maghress:dupefilter") == 2  # kept, as asked


# --- a crawl stopped early is resumed by the next workers ----------------------------------
def test_stopped_crawl_resumes(own_snapshot, redis_db, redis_url, tmp_path):
    server = ReplicaServer(own_snapshot).start()
    try:
        # No boilerplate warm-up in the stopped worker: items it holds keep their requests in
        # progress, and a CLOSESPIDER_* close waits for those (the warm-up's own issue).
        first = run_crawl("maghress", tmp_path / "first", mirror=server.url, timeout=90,
                          settings={"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS, "CLOSESPIDER_PAGECOUNT": 12,
                                    "NEWSBOT_BOILERPLATE_WARMUP": 0})
        queued = redis_db.zcard("newsbot-mirror:cluster:maghress:requests")
        results = run_workers(2, "maghress", tmp_path / "resume", mirror=server.url, redis_url=redis_url)
        hits = server.hits()
    finally:
        server.stop()
    assert first.stat("finish_reason", None) == "closespider_pagecount"
    assert first.stat("newsbot/cluster/outcome", None) == "interrupted" and queued > 0
    assert "start workers again to resume" in first.log
    check_clean_finish(results)
    assert sum(r.stat("newsbot/cluster/seeded") for r in results) == 0  # resumed, not seeded again
    items = [item for result in (first, *results) for item in result.items]
    check_expected_items(own_snapshot, items)
    check_no_article_twice(items)
    check_no_page_fetched_twice(own_snapshot, hits, workers=3)


# --- a killed worker loses no page -----------------------------------------------------------
def start_worker(spider: str, workdir: Path, *, mirror: str, settings: dict[str, Any]) -> subprocess.Popen:
    """A ``scrapy crawl`` worker as a process we can kill (same command as ``run_crawl``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    all_settings = {"NEWSBOT_STATS_FILE": str(workdir / "feed.stats.json"), "NEWSBOT_DATA_DIR": str(workdir),
                    "NEWSBOT_MIRROR": mirror, **settings}
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(workdir / "feed.jsonl")]
    for key, value in all_settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def feed_lines(path: Path) -> list[dict[str, Any]]:
    """Whole JSON lines of a feed (a killed worker's last line may be cut short)."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        try:
            items.append(json.loads(line))
        except ValueError:
            pass
    return items


def test_killed_worker_loses_no_page(own_snapshot, redis_db, redis_url, tmp_path, capsys):
    """SIGKILL one of two workers mid-crawl: once its heartbeat is NEWSBOT_CLUSTER_WORKER_TIMEOUT
    old, the requests it had taken go back to the queue and the other worker finishes the
    crawl; articles whose items died unwritten with the killed worker come in the next run."""
    server = ReplicaServer(own_snapshot).start()
    cluster = {"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS, "NEWSBOT_CLUSTER_WORKER_TIMEOUT": 6}
    try:
        # the victim downloads slowly, so it always has requests waiting in its downloader
        victim = start_worker("maghress", tmp_path / "victim", mirror=server.url,
                              settings={**cluster, "DOWNLOAD_DELAY": 1.0})
        with ThreadPoolExecutor(1) as pool:
            survivor_run = pool.submit(run_crawl, "maghress", tmp_path / "survivor", mirror=server.url, settings=cluster)
            deadline = time.monotonic() + 60
            while sum(server.hits().values()) < 20 and time.monotonic() < deadline:
                time.sleep(0.2)
            victim.send_signal(signal.SIGSTOP)  # frozen: its in-flight hash cannot change now
            statuses = {k.decode(): json.loads(v) for k, v in redis_db.hgetall("newsbot-mirror:cluster:maghress:status").items()}
            victim_id = next(wid for wid, st in statuses.items() if st.get("pid") == victim.pid)
            in_flight = redis_db.hlen(f"newsbot-mirror:cluster:maghress:inflight:{victim_id}")
            victim.kill()
            victim.wait(timeout=10)
            survivor = survivor_run.result()
        hits = server.hits()
        # one worker alone: no share to keep for another, so no delay (the cluster settings else)
        second = run_crawl("maghress", tmp_path / "second", mirror=server.url,
                           settings={**cluster, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0})
    finally:
        if victim.poll() is None:
            victim.kill()
        server.stop()
    check_clean_finish([survivor, second])
    assert in_flight > 0
    assert survivor.stat("newsbot/cluster/requeued") == in_flight
    assert "stopped sending heartbeats" in survivor.log
    assert survivor.stat("newsbot/cluster/outcome", None) == "complete"
    gold = load_jsonl(own_snapshot / "gold" / "articles.jsonl")
    for record in gold:  # every article page was reached in the crawl the worker died in
        assert any(hits.get(f"www.maghress.com {u.split('.com', 1)[1]}") for u in (record["url"], *record.get("duplicates", []))), record["url"]
    # pages fetched twice: only the victim's last ones (in flight, or done since its last heartbeat)
    twice = {k: n for k, n in hits.items() if n > 1 and not k.endswith("/robots.txt") and not k.endswith("/400010")}
    assert len(twice) <= 4, twice
    with capsys.disabled():
        print(f"\n[killed worker] in flight at the kill: {in_flight}, requeued:"
              f" {survivor.stat('newsbot/cluster/requeued')}, pages fetched twice: {len(twice)}")
    # no article lost: the victim's written lines, the survivor's feed and the next run's
    # (an item the victim had not written yet is fetched again next run: at least once)
    check_expected_items(own_snapshot, feed_lines(tmp_path / "victim" / "feed.jsonl") + survivor.items + second.items)


# --- workers must crawl alike; bad settings fail fast ---------------------------------------
def test_worker_with_other_arguments_stops(own_snapshot, redis_db, redis_url, tmp_path):
    redis_db.set("newsbot-mirror:cluster:maghress:seeded",
                 json.dumps({"worker": "elsewhere:1:abcdef", "arguments": "CrawlArguments(editions=('ar',))"}))
    redis_db.zadd("newsbot-mirror:cluster:maghress:workers", {"elsewhere:1:abcdef": 9e9})  # alive "forever"
    server = ReplicaServer(own_snapshot).start()
    try:
        result = run_crawl("maghress", tmp_path, mirror=server.url, args={"editions": "fr"},
                           settings={"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS})
        hits = server.hits()
    finally:
        server.stop()
    assert result.stat("finish_reason", None) == "cluster_arguments_mismatch"
    assert "run every worker with the same -a options" in result.log
    assert result.items == [] and not [k for k in hits if not k.endswith("/robots.txt")]
    assert redis_db.exists("newsbot-mirror:cluster:maghress:seeded")  # the running crawl is untouched

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "newsbot.cluster", *args], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)

    status = cli("status", redis_url, "--namespace", "newsbot-mirror")
    assert status.returncode == 0 and json.loads(status.stdout)["seeded_by"] == "elsewhere:1:abcdef"
    refused = cli("reset", redis_url, "maghress", "--namespace", "newsbot-mirror")
    assert refused.returncode == 1 and "stop them first or use --force" in refused.stderr
    forced = cli("reset", redis_url, "maghress", "--force", "--namespace", "newsbot-mirror")
    assert forced.returncode == 0 and list(redis_db.scan_iter("newsbot-mirror:cluster:*")) == []


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("NEWSBOT_CLUSTER", "127.0.0.1:6379", "is not a Redis URL: write redis://HOST:PORT/DB"),
        ("MAX_IDLE_TIME_BEFORE_CLOSE", "2", "0 (workers never close by themselves) or at least 5"),
        ("SCHEDULER_FLUSH_ON_START", "True", "would wipe the queue of workers that are already running"),
        ("NEWSBOT_CLUSTER_WORKER_TIMEOUT", "2", "must be a number of 6 or more (seconds, three heartbeats at least)"),
        ("NEWSBOT_CLUSTER_PREFETCH", "0", "must be a whole number of 1 or more (requests)"),
        ("NEWSBOT_CLUSTER_CRAWL", "maghress:fr", "use letters, digits, '.', '_' and '-' only"),
    ],
)
def test_bad_cluster_settings_fail_fast(setting, value, message, redis_url, tmp_path):
    settings = {"NEWSBOT_CLUSTER": redis_url, setting: value}
    result = run_crawl("maghress", tmp_path, mirror="http://127.0.0.1:9", settings=settings)
    assert result.returncode != 0
    assert message in result.log
    assert "Spider opened" not in result.log
