"""The project's own edge-case snapshot (``tests/snapshots/cases``, made by
``scripts/build_replicas.py``): its gold files and what tests derive from them.

What later issues own is kept apart here, so every test treats it the same way:
for a gold article with ``duplicates`` either page may be the one kept (dedupe
pipeline), and a ``banner_in_body`` body is the pipelines' to clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from newsbot.demo.replica import ReplicaServer
from tests.crawling import SNAPSHOTS, CrawlResult, run_crawl
from tests.gold import load_jsonl

CASES = SNAPSHOTS / "cases"
GOLD: list[dict[str, Any]] = load_jsonl(CASES / "gold" / "articles.jsonl")
REJECTS: list[dict[str, Any]] = load_jsonl(CASES / "gold" / "rejects.jsonl")
COPY_REASONS = ("duplicate_of", "near_duplicate")  # the dedupe pipeline's job (issue 3)
MONITOR_SETTINGS: dict[str, Any] = {"NEWSBOT_MONITOR_MIN_COVERAGE": 0.5}
"""What every crawl of this snapshot runs with: its French edition is made of edge cases,
and a fifth of its articles have no dateline (or one with no date) by design, which the
coverage monitor would fail at its default (98%)."""
CRAWLED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

ORIGINAL_OF: dict[str, str] = {dup: g["url"] for g in GOLD for dup in g.get("duplicates", [])}
"""URL of a duplicate page -> URL of the gold article it copies."""


def gold_of(url: str) -> dict[str, Any]:
    """The gold record an item of ``url`` is judged against (a kept duplicate: its own copy)."""
    for gold in GOLD:
        if gold["url"] == url:
            return gold
    original = next(g for g in GOLD if g["url"] == ORIGINAL_OF[url])
    copy = next(r for r in REJECTS if r["url"] == url)
    return {**original, **{k: copy[k] for k in ("url", "title", "outlet", "outlet_slug", "published", "body", "source_url")}}


def expected_urls(keep: Callable[[dict[str, Any]], bool] = lambda g: True) -> set[str]:
    """Gold article URLs whose record passes ``keep``."""
    return {g["url"] for g in GOLD if keep(g)}


def folded_urls(items: Iterable[dict[str, Any]]) -> set[str]:
    """Item URLs with a duplicate page counted as the article it copies."""
    return {ORIGINAL_OF.get(item["url"], item["url"]) for item in items}


def hit(hits: dict[str, int], host: str, path: str) -> int:
    """Requests the replica answered for ``host path`` (0 when never asked)."""
    return hits.get(f"{host} {path}", 0)


def crawl_cases(spider: str, workdir: Path, **options: Any) -> tuple[CrawlResult, dict[str, int]]:
    """``run_crawl`` over the cases snapshot, served by a replica of its own (so its hit
    counts are this crawl's alone); returns the result and the hits."""
    server = ReplicaServer(CASES).start()
    try:
        settings = {**MONITOR_SETTINGS, **options.pop("settings", {})}
        return run_crawl(spider, workdir, mirror=server.url, settings=settings, **options), server.hits()
    finally:
        server.stop()


def crawl_all(jobs: dict[str, tuple[str, Path, dict[str, Any]]], workers: int = 3) -> dict[str, tuple[CrawlResult, dict[str, int]]]:
    """Run ``{name: (spider, workdir, options)}`` crawls, a few at a time (each crawl spends
    most of its time starting Python and waiting on the network, not on the CPU)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(crawl_cases, spider, workdir, **opts) for name, (spider, workdir, opts) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
