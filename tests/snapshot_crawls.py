"""One crawl of a whole snapshot by every aggregator spider, shared by the tests that assert
on that same crawl (``snapshot_crawls`` fixture in ``tests/conftest.py``).

Several modules check the same crawl of the same snapshot from different sides: the gold
(``test_crawl_reference``, ``test_crawl_cases``), the pipelines and the rejects feed
(``test_pipeline_reference``), the state it leaves for a second run (``test_incremental``).
Each spider crawls once per test session with the settings all of them need (the rejects
feed on, everything else the project's defaults), on a replica server of its own so that its
hit counts are its own. The results are read-only for the tests: a test that crawls again
on the state copies the workdir first (:meth:`SnapshotCrawl.copy_state`).
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbot.demo.replica import ReplicaServer
from tests.cases_snapshot import CASES, MONITOR_SETTINGS
from tests.crawling import CrawlResult, run_crawl
from tests.gold import load_jsonl


def aggregator_spiders(snapshot: Path) -> list[str]:
    """The spiders of a snapshot: its sites of kind ``aggregator``, sorted."""
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    return sorted(s["site"].split(".")[0] for s in manifest["sites"] if s.get("kind") == "aggregator")


@dataclass
class SnapshotCrawl:
    """Every aggregator spider's crawl of one snapshot."""

    snapshot: Path
    results: dict[str, CrawlResult]  # per spider
    hits: dict[str, dict[str, int]]  # per spider: "host path" -> requests its replica answered
    rejects: dict[str, list[dict[str, Any]]]  # per spider: the rejects feed's records
    workdirs: dict[str, Path]  # per spider: NEWSBOT_DATA_DIR of the crawl (its state under .newsbot/)

    def items(self) -> list[dict[str, Any]]:
        return [item for result in self.results.values() for item in result.items]

    def all_hits(self) -> dict[str, int]:
        """Hit counts of every spider's replica added up."""
        total: dict[str, int] = {}
        for hits in self.hits.values():
            for key, count in hits.items():
                total[key] = total.get(key, 0) + count
        return total

    def copy_state(self, spider: str, workdir: Path) -> None:
        """Put the state ``spider``'s crawl left (``.newsbot/``) into ``workdir``, so that a
        crawl there is that crawl's second run."""
        shutil.copytree(self.workdirs[spider] / ".newsbot", workdir / ".newsbot", dirs_exist_ok=True)


def _crawl_one(spider: str, snapshot: Path, workdir: Path) -> tuple[CrawlResult, dict[str, int], list[dict[str, Any]]]:
    rejects = workdir / "rejects.jsonl"
    server = ReplicaServer(snapshot).start()
    try:
        settings = {**(MONITOR_SETTINGS if snapshot == CASES else {}), "NEWSBOT_REJECTS_FEED": str(rejects)}
        result = run_crawl(spider, workdir, mirror=server.url, settings=settings)
        hits = server.hits()
    finally:
        server.stop()
    return result, hits, load_jsonl(rejects) if rejects.exists() else []


def crawl_every_spider(snapshot: Path, workdir: Path, workers: int = 3) -> SnapshotCrawl:
    """Crawl ``snapshot`` with each of its aggregator spiders, a few at a time (a crawl spends
    much of its time starting Python and waiting on its replica)."""
    spiders = aggregator_spiders(snapshot)
    workdirs = {spider: workdir / spider for spider in spiders}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {spider: pool.submit(_crawl_one, spider, snapshot, workdirs[spider]) for spider in spiders}
        done = {spider: future.result() for spider, future in futures.items()}
    return SnapshotCrawl(
        snapshot,
        results={spider: result for spider, (result, _, _) in done.items()},
        hits={spider: hits for spider, (_, hits, _) in done.items()},
        rejects={spider: rejects for spider, (_, _, rejects) in done.items()},
        workdirs=workdirs,
    )
