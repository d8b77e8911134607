"""Cluster mode (issue 4, section 3): a cluster crawl that goes wrong loses nothing.

A crawl stopped early is resumed by the next workers, a worker killed with SIGKILL gives its
requests back to the queue, and a request that failed stays eligible for a later run (shared
case NB-26). Real worker processes on the tests' own Redis (the ``cluster_db`` fixture: this
module's database, flushed before and after each test), the replica of
:mod:`tests.cluster_snapshot` on 127.0.0.1 counting requests; skipped when ``redis-server`` is
not installed.
"""

from __future__ import annotations

import re

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from newsbot.demo.replica import ReplicaServer
from tests.cluster_checks import (  # noqa: F401 - own_snapshot: the module's fixture
    own_snapshot, ALONE, WORKER_SETTINGS, check_clean_finish, check_expected_items, check_no_article_twice, check_no_page_fetched_twice, run_workers,
)
from tests.cluster_snapshot import build_snapshot
from tests.crawling import ROOT, run_crawl
from tests.gold import load_jsonl

redis = pytest.importorskip("redis")

pytestmark = pytest.mark.redis

REDIS_DB = 11


# --- NB-26: a request that failed stays eligible for a later run ----------------------------
def test_failed_request_is_tried_again_next_run(tmp_path, cluster_db, cluster_url):
    """Shared case NB-26 with the case's settings (SCHEDULER_PERSIST=True, RETRY_TIMES=2):
    run 1 gets 503 three times for one article; run 2 fetches it once and yields its item,
    while the article fetched fine in run 1 stays seen (not fetched again)."""
    failing, fine = "/fr/rabatinfo/400030", "/fr/rabatinfo/400050"
    snapshot = build_snapshot(tmp_path / "snapshot", sequences={failing: [503, 503, 503, 200]})
    server = ReplicaServer(snapshot).start()
    settings = {"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS, **ALONE, "SCHEDULER_PERSIST": True, "RETRY_TIMES": 2}
    args = {"ids": "fr/rabatinfo:400030,fr/rabatinfo:400050"}
    try:
        first = run_crawl("maghress", tmp_path / "run1", mirror=server.url, args=args, settings=settings,
                          quick_idle=True)
        hits_after_first = server.hits()
        second = run_crawl("maghress", tmp_path / "run2", mirror=server.url, args=args, settings=settings,
                           quick_idle=True)
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
    assert cluster_db.scard("newsbot-mirror:cluster:maghress:dupefilter") == 2  # kept, as asked


# --- a crawl stopped early is resumed by the next workers ----------------------------------
def test_stopped_crawl_resumes(own_snapshot, cluster_db, cluster_url, tmp_path):
    server = ReplicaServer(own_snapshot).start()
    try:
        # No boilerplate warm-up in the stopped worker: items it holds keep their requests in
        # progress, and a CLOSESPIDER_* close waits for those (the warm-up's own issue).
        first = run_crawl("maghress", tmp_path / "first", mirror=server.url, timeout=90,
                          settings={"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS, "CLOSESPIDER_PAGECOUNT": 12,
                                    "NEWSBOT_BOILERPLATE_WARMUP": 0})
        queued = cluster_db.zcard("newsbot-mirror:cluster:maghress:requests")
        results = run_workers(2, "maghress", tmp_path / "resume", mirror=server.url, redis_url=cluster_url)
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
    # A page that failed in the stopped run is tried again when the crawl resumes ("failed
    # request(s) will be tried again next run"): once more each, no other page twice.
    failed = re.findall(r"No page from https?://(\S+?)/(\S+?): ", first.log)
    assert not failed or f"{len(failed)} failed request(s) will be tried again next run" in first.log
    for host, path in failed:
        hits[f"{host} /{path}"] -= 1
    check_no_page_fetched_twice(own_snapshot, hits, workers=3)


# --- a killed worker loses no page -----------------------------------------------------------
def start_worker(spider: str, workdir: Path, *, mirror: str, settings: dict[str, Any],
                 args: dict[str, str] | None = None) -> subprocess.Popen:
    """A ``scrapy crawl`` worker as a process we can kill (same command as ``run_crawl``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    all_settings = {"NEWSBOT_STATS_FILE": str(workdir / "feed.stats.json"), "NEWSBOT_DATA_DIR": str(workdir),
                    "NEWSBOT_MIRROR": mirror, **settings}
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(workdir / "feed.jsonl")]
    for name, value in (args or {}).items():
        cmd += ["-a", f"{name}={value}"]
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


def test_killed_worker_loses_no_page(own_snapshot, cluster_db, cluster_url, tmp_path, capsys):
    """SIGKILL one of two workers mid-crawl: once its heartbeat is NEWSBOT_CLUSTER_WORKER_TIMEOUT
    old, the requests it had taken go back to the queue and the other worker finishes the
    crawl; articles whose items died unwritten with the killed worker come in the next run."""
    server = ReplicaServer(own_snapshot).start()
    cluster = {"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS, "NEWSBOT_CLUSTER_WORKER_TIMEOUT": 6}
    try:
        # the victim downloads slowly, so it always has requests waiting in its downloader
        victim = start_worker("maghress", tmp_path / "victim", mirror=server.url,
                              settings={**cluster, "DOWNLOAD_DELAY": 1.0})
        with ThreadPoolExecutor(1) as pool:
            survivor_run = pool.submit(run_crawl, "maghress", tmp_path / "survivor", mirror=server.url, settings=cluster,
                                       quick_idle=True)
            deadline = time.monotonic() + 60
            victim_id = None
            # mid-crawl, the victim holding requests (the survivor, started from a warm fork
            # server, can reach 20 pages before the victim has joined)
            while time.monotonic() < deadline and not (
                    victim_id and sum(server.hits().values()) >= 20
                    and cluster_db.hlen(f"newsbot-mirror:cluster:maghress:inflight:{victim_id}")):
                statuses = {k.decode(): json.loads(v)
                            for k, v in cluster_db.hgetall("newsbot-mirror:cluster:maghress:status").items()}
                victim_id = next((wid for wid, st in statuses.items() if st.get("pid") == victim.pid), None)
                time.sleep(0.05)
            victim.send_signal(signal.SIGSTOP)  # frozen: its in-flight hash cannot change now
            in_flight = cluster_db.hlen(f"newsbot-mirror:cluster:maghress:inflight:{victim_id}")
            victim.kill()
            victim.wait(timeout=10)
            survivor = survivor_run.result()
        hits = server.hits()
        second = run_crawl("maghress", tmp_path / "second", mirror=server.url, settings={**cluster, **ALONE},
                           quick_idle=True)
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


def test_a_backfill_stopped_while_seeding_is_seeded_again_and_finished(own_snapshot, cluster_db, cluster_url, tmp_path):
    """A newcomer's case: the seeding worker of an ``ids`` backfill feeds the range into the queue
    as the crawl goes; stopped part-way (here ``CLOSESPIDER_PAGECOUNT``), the rest of the range
    was never queued, and the next workers found the queue empty, called the crawl complete and
    cleared it: the ids not queued were never fetched. Now the seed counts as done only once
    every start request is queued; the last worker out of an unseeded crawl deletes the seed lock
    but keeps queue and seen set, so the next run seeds again and fetches only what was not seen."""
    ids = "fr/rabatinfo:400000-400060"
    server = ReplicaServer(own_snapshot).start()
    try:
        first = run_crawl("maghress", tmp_path / "first", mirror=server.url, args={"ids": ids}, timeout=90,
                          settings={"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS, **ALONE, "CLOSESPIDER_PAGECOUNT": 10,
                                    "NEWSBOT_BOILERPLATE_WARMUP": 0})
        results = run_workers(2, "maghress", tmp_path / "rest", mirror=server.url, redis_url=cluster_url,
                              args={"ids": ids}, settings=ALONE)
        hits = server.hits()
    finally:
        server.stop()
    assert first.stat("finish_reason", None) == "closespider_pagecount"
    assert first.stat("newsbot/cluster/outcome", None) == "unseeded", first.log[-2000:]
    assert "the first seeds the crawl again" in first.log
    check_clean_finish(results)
    assert sum(r.stat("newsbot/cluster/seeded") for r in results) == 1  # seeded again, once
    assert "this worker (" in "".join(r.log for r in results) and "seeds it again" in "".join(r.log for r in results)
    # the snapshot's pages in the range (every tenth id; the others answer 404): each fetched, by
    # the first run or the rest (before: those after the first run's last queued id, never); a
    # download the stop cut short (at most CONCURRENT_REQUESTS, 2) is fetched again
    pages = [f"www.maghress.com /fr/rabatinfo/{n}" for n in range(400000, 400061, 10)]
    assert all(hits.get(page, 0) >= 1 for page in pages), hits
    assert sum(hits[page] - 1 for page in pages) <= 2, hits
    check_no_article_twice([item for result in (first, *results) for item in result.items])


def test_the_others_stop_when_the_seeding_worker_stopped_before_queuing_every_id(own_snapshot, cluster_db, cluster_url,
                                                                                   tmp_path):
    """The seeding worker of a long ``ids`` backfill stopped (SIGINT) while another worker runs:
    the other finishes what was queued, then closes with finish reason
    ``cluster_seed_unfinished`` rather than calling the crawl complete; as the last one out it
    deletes the seed lock and keeps the seen set, for the next run to seed the rest."""
    server = ReplicaServer(own_snapshot).start()
    cluster = {"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS, **ALONE}
    args = {"ids": "fr/rabatinfo:400000-420000"}
    seeder = None
    try:
        cmd_args = {**cluster, "NEWSBOT_CLUSTER_CRAWL": "backfill"}
        seeder = start_worker("maghress", tmp_path / "seeder", mirror=server.url, settings=cmd_args, args=args)
        deadline = time.monotonic() + 60
        while not cluster_db.get("newsbot-mirror:cluster:backfill:seeded") and time.monotonic() < deadline:
            time.sleep(0.1)
        with ThreadPoolExecutor(1) as pool:
            other_run = pool.submit(run_crawl, "maghress", tmp_path / "other", mirror=server.url, args=args,
                                    settings=cmd_args, quick_idle=True)
            # the other worker has taken a request (so it has found the seed taken: it does not
            # seed itself, as a worker started after the seeder stopped would)
            seeding = json.loads(cluster_db.get("newsbot-mirror:cluster:backfill:seeded"))["worker"]
            while time.monotonic() < deadline and not any(
                    not key.decode().endswith(f":{seeding}")
                    for key in cluster_db.scan_iter("newsbot-mirror:cluster:backfill:inflight:*")):
                time.sleep(0.02)
            seeder.send_signal(signal.SIGINT)  # Ctrl-C: the seeder leaves with most of the range never queued
            seeder.wait(timeout=60)
            other = other_run.result()
        other_args = run_crawl("maghress", tmp_path / "other-args", mirror=server.url, args={"ids": "fr/rabatinfo:400000"},
                               settings=cmd_args, quick_idle=True)
    finally:
        if seeder is not None and seeder.poll() is None:
            seeder.kill()
        server.stop()
    assert other.stat("finish_reason", None) == "cluster_seed_unfinished", other.log[-2000:]
    assert "its seeding worker stopped before it had queued every start request" in other.log
    assert other.stat("newsbot/cluster/outcome", None) == "unseeded"
    seed = json.loads(cluster_db.get("newsbot-mirror:cluster:backfill:seeded"))
    assert seed["arguments"] and not seed.get("done")  # kept: the next run with these arguments seeds again
    assert cluster_db.scard("newsbot-mirror:cluster:backfill:dupefilter") > 0  # ... skipping what was seen
    # and a crawl of that name with other arguments is refused, not mixed into the unfinished one
    assert other_args.stat("finish_reason", None) == "cluster_arguments_mismatch"
