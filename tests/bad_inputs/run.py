"""One crawl of the whole bad-input corpus, and what it says about each case.

``crawl_corpus(workdir)`` writes the corpus snapshot, serves it on 127.0.0.1 and runs
``scrapy crawl maghress`` over it once (:func:`tests.crawling.run_crawl`). From the command line,
``python -m tests.bad_inputs.run`` does the same and prints the counts by reason (what the issue's
closing note quotes); ``--write-gold`` rewrites ``gold.jsonl`` from the feed (review the diff).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsbot.demo.replica import ReplicaServer
from tests.bad_inputs.cases import GOLD, HOST, SETTINGS, Case, build, corpus
from tests.crawling import CrawlResult, run_crawl

_LEVEL = re.compile(r"\] (INFO|WARNING|ERROR|CRITICAL): ")
QUIET_LOGGERS = ("[newsbot.middlewares.charset]", "This message won't be shown in further requests")
"""Lines that name a URL without saying it was lost: a charset repaired, and Scrapy's
once-per-crawl hint about ``DOWNLOAD_FAIL_ON_DATALOSS`` at the first data loss."""


@dataclass
class CorpusCrawl:
    cases: list[Case]
    skipped: list[str]  # cases left out, with the reason
    result: CrawlResult
    hits: dict[str, int]  # "host path" -> requests the replica answered

    def hit(self, url: str) -> int:
        """Requests the replica answered for ``url`` (on any host it serves)."""
        parts = urlsplit(url)
        return self.hits.get(f"{parts.hostname} {parts.path}{'?' + parts.query if parts.query else ''}", 0)

    def lines_about(self, url: str) -> list[str]:
        """Log lines at INFO or above that name ``url`` (as crawled, or as the mirror fetched it)."""
        path = re.escape(url.removeprefix(f"https://{HOST}"))
        named = re.compile(rf"(?:https://{re.escape(HOST)}|http://127\.0\.0\.1:\d+){path}(?![\w/])")
        return [line for line in self.result.log.splitlines()
                if _LEVEL.search(line) and named.search(line) and not any(q in line for q in QUIET_LOGGERS)]

    def counts(self) -> dict[str, int]:
        """``newsbot/rejected/*`` and ``newsbot/dropped/*`` counters of the crawl, by reason."""
        return {key.removeprefix("newsbot/"): n for key, n in sorted(self.result.stats.items())
                if key.startswith(("newsbot/rejected/", "newsbot/dropped/"))}


def crawl_corpus(workdir: Path) -> CorpusCrawl:
    cases, skipped = corpus()
    snapshot = build(workdir / "snapshot", cases)
    server = ReplicaServer(snapshot).start()
    try:
        result = run_crawl("maghress", workdir / "crawl", mirror=server.url, settings=SETTINGS, timeout=120)
        hits = server.hits()
    finally:
        server.stop()
    return CorpusCrawl(cases, skipped, result, hits)


def expected_counts(cases: list[Case]) -> dict[str, int]:
    """The ``rejected/*`` and ``dropped/*`` counts the cases expect: their outcomes, and what
    their ``stats`` add (NB-14's second arrival)."""
    expected = Counter(c.expect for c in cases if c.reason)
    for case in cases:
        expected.update({k.removeprefix("newsbot/"): n for k, n in case.stats.items()
                         if k.startswith(("newsbot/rejected/", "newsbot/dropped/"))})
    return dict(sorted(expected.items()))


def public(item: dict[str, Any]) -> dict[str, Any]:
    """A feed record as ``gold.jsonl`` holds it: every field but ``crawled_at``."""
    return {k: v for k, v in item.items() if k != "crawled_at"}


def readme_table(cases: list[Case]) -> str:
    """The "Cases" table of the README, one row per case."""
    rows = ["| case | URL | expected | log line says | notes |", "|---|---|---|---|---|"]
    for case in cases:
        extra = ", ".join(f"`{k}` +{v}" for k, v in case.stats.items())
        shared = f"../shared/cases/{case.shared}" if case.shared and case.shared not in case.note else ""
        note = "; ".join(x for x in (case.note, extra, shared) if x).replace("|", "/")
        says = f"`{case.says}`" if case.says else ""
        rows.append(f"| `{case.name}` | `{case.url.removeprefix('https://' + HOST)}` | `{case.expect}` | {says} | {note} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bad_inputs.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-gold", action="store_true", help="rewrite gold.jsonl from this crawl's feed")
    parser.add_argument("--table", action="store_true", help="print the README's table of cases and exit")
    args = parser.parse_args(argv)
    if args.table:
        print(readme_table(corpus()[0]), end="")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        crawl = crawl_corpus(Path(tmp))
    expected = Counter(c.expect for c in crawl.cases)
    counts, wanted_counts = crawl.counts(), expected_counts(crawl.cases)
    print(f"{len(crawl.cases)} cases ({sum(n for e, n in expected.items() if e != 'item')} bad inputs,"
          f" {expected['item']} giving an item); crawl exit {crawl.result.returncode}")
    for reason in sorted({*counts, *wanted_counts}):
        print(f"  {reason}: {counts.get(reason, 0)} (expected {wanted_counts.get(reason, 0)})")
    print(f"  robotstxt/forbidden: {crawl.result.stat('robotstxt/forbidden')} (expected {expected['forbidden']})")
    print(f"  items: {len(crawl.result.items)} (expected {expected['item']})")
    for reason in crawl.skipped:
        print(f"  skipped {reason}")
    if args.write_gold:
        wanted = {c.url for c in crawl.cases if c.expect == "item"}
        lines = sorted((public(i) for i in crawl.result.items if i["url"] in wanted), key=lambda i: i["url"])
        old = {r["url"]: r for r in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines())} if GOLD.exists() else {}
        old.update({r["url"]: r for r in lines})
        GOLD.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sorted(old.values(), key=lambda r: r["url"])),
                        encoding="utf-8")
        print(f"wrote {GOLD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
