"""What the cluster test modules share: the workers' settings, starting workers together,
and the checks on their results (``tests/test_cluster_*.py``).

Each cluster module owns a Redis database of the tests' own server (its ``REDIS_DB``, see
:data:`tests.redis_server.DATABASES`), flushed before and after each of its tests by the
``cluster_db`` fixture of ``tests/conftest.py``: the modules run on either xdist worker, at
the same time as each other.
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.cluster_snapshot import build_snapshot
from tests.crawling import CrawlResult, run_crawl
from tests.gold import load_jsonl, mismatches

# Low concurrency, and a short delay so that the crawl lasts long enough for both workers
# to take part: an idle Scrapy engine looks at its scheduler every 5 s only.
WORKER_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS": 2,
    "DOWNLOAD_DELAY": 0.2,
    "AUTOTHROTTLE_START_DELAY": 1.0,  # the project's default (tests.crawling starts other crawls at 0)
    "MAX_IDLE_TIME_BEFORE_CLOSE": 5,  # the least a cluster accepts (the project's default: 30 s)
    "NEWSBOT_RENDER_ENABLED": False,  # JavaScript-only pages are section 2's test
}
ALONE: dict[str, Any] = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0}
"""Over :data:`WORKER_SETTINGS` for a worker that crawls alone: no share to keep for another,
so no delay."""


def run_workers(count: int, spider: str, workdir: Path, *, mirror: str, redis_url: str,
                settings: dict[str, Any] | None = None, args: dict[str, str] | None = None) -> list[CrawlResult]:
    """``count`` workers of one cluster crawl on ``redis_url``, started together, each in
    ``workdir/workerN``, with :data:`WORKER_SETTINGS` under ``settings`` (and an idle check every
    second, :mod:`tests.quick_idle`); their results in order."""
    all_settings = {"NEWSBOT_CLUSTER": redis_url, **WORKER_SETTINGS, **(settings or {})}
    with ThreadPoolExecutor(count) as pool:
        futures = [
            pool.submit(run_crawl, spider, workdir / f"worker{i + 1}", mirror=mirror, args=args, settings=all_settings,
                        quick_idle=True)
            for i in range(count)
        ]
        return [future.result() for future in futures]


def split_of(results: list[CrawlResult]) -> list[dict[str, int]]:
    """Items written and pages fetched by each worker, in order (for messages and the docs)."""
    return [{"items": len(r.items), "pages": r.stat("downloader/response_count")} for r in results]


def check_clean_finish(results: list[CrawlResult], errors_expected: bool = False) -> None:
    """Every worker exited 0 with finish reason ``finished``, no deprecation warning and (unless
    ``errors_expected``) no ERROR line in its log."""
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
    assert over == {}, over
    crawled_hosts = {key.split(" ", 1)[0] for key in hits}
    retried = [k for k, e in kinds.items() if e.get("sequence") and e["host"] in crawled_hosts]
    assert all(hits.get(k) == kinds[k]["sequence"].index(200) + 1 for k in retried), {k: hits.get(k) for k in retried}


def check_split(results: list[CrawlResult], redis_db: Any) -> None:
    """Each worker wrote items, the crawl was seeded once, the last worker out found it
    complete, and Redis holds nothing of it but its workers' counts (expiring)."""
    assert all(result.items for result in results), split_of(results)
    assert sum(r.stat("newsbot/cluster/seeded") for r in results) == 1  # seeded once per crawl
    assert sorted(r.stat("newsbot/cluster/outcome", None) for r in results) == ["complete"] + ["others"] * (len(results) - 1)
    left = [k for k in redis_db.scan_iter("newsbot-mirror:cluster:*")]
    # the finished crawl left nothing but its workers' counts (python -m newsbot.cluster status), expiring
    assert [k for k in left if not k.endswith(b":progress")] == [] and all(redis_db.ttl(k) > 0 for k in left)


@pytest.fixture(scope="module")
def own_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """newsbot's own snapshot (:mod:`tests.cluster_snapshot`) with eight stories copied under a
    second id: the workers must keep exactly one of each (a module fixture of the cluster tests
    that import it)."""
    return build_snapshot(tmp_path_factory.mktemp("cluster-snapshot"), copies=8)
