"""Crawl the maintainers' replica snapshots (../shared/sites) and compare with their gold.

Skipped when ../shared is not beside the checkout. What later work owns is left out
of the comparison, as the issue says: JavaScript-only articles, and for a gold
article with ``duplicates`` either page may be the kept one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.text.teaser import AGGREGATOR_EXTRACTOR
from tests.crawling import ROOT, CrawlResult, shared
from tests.gold import load_jsonl, mismatches

SITES_OF = {"reference": ("maghress", "djazairess", "masress"), "reference-en": ("masress",)}


@pytest.fixture(scope="module", params=sorted(SITES_OF))
def reference_crawl(request, snapshot_crawls) -> tuple[Path, list[CrawlResult], dict[str, int]]:
    """The session's crawl of the snapshot (``snapshot_crawls``): results and replica hits."""
    snapshot = shared("sites", request.param)
    crawl = snapshot_crawls(snapshot)
    assert sorted(crawl.results) == sorted(SITES_OF[request.param])
    return snapshot, [crawl.results[spider] for spider in SITES_OF[request.param]], crawl.all_hits()


def _items(results: list[CrawlResult]) -> list[dict]:
    return [item for result in results for item in result.items]


def test_every_gold_article_comes_out_equal(reference_crawl):
    snapshot, results, _ = reference_crawl
    for result in results:
        assert result.returncode == 0, result.log[-3000:]
    items = _items(results)
    by_url = {item["url"]: item for item in items}
    problems = {}
    for gold in load_jsonl(snapshot / "gold" / "articles.jsonl"):
        if gold.get("needs_js"):
            continue
        candidates = [gold["url"], *gold.get("duplicates", [])]
        found = [by_url[u] for u in candidates if u in by_url]
        if not found:
            problems[gold["url"]] = "missing"
            continue
        if found[0]["url"] != gold["url"]:
            continue  # a duplicate page was kept instead: allowed
        diff = mismatches(found[0], gold)
        if "teaser_only" in gold.get("cases", []):
            # the gold body is the outlet page's full text: followed to the source
            assert found[0]["body_source"] == "outlet"
            assert not found[0]["extractor"].startswith("newsbot-ress ")
        else:
            assert (found[0]["body_source"], found[0]["extractor"]) == ("aggregator", AGGREGATOR_EXTRACTOR)
        if "banner_in_body" in gold.get("cases", []):
            diff.pop("body", None)  # the pipelines' job; checked in test_pipelines_reference
        if diff:
            problems[gold["url"]] = diff
    assert problems == {}


def test_no_reject_yields_an_item(reference_crawl):
    snapshot, results, _ = reference_crawl
    urls = {item["url"] for item in _items(results)}
    for reject in load_jsonl(snapshot / "gold" / "rejects.jsonl"):
        if reject["reason"] in ("duplicate_of", "near_duplicate"):
            continue  # the dedupe pipeline's job
        assert reject["url"] not in urls, reject


def test_robots_disallowed_pages_are_never_fetched(reference_crawl):
    snapshot, _, hits = reference_crawl
    for reject in load_jsonl(snapshot / "gold" / "rejects.jsonl"):
        if reject["reason"] == "robots_disallowed":
            path = "/" + reject["url"].split("/", 3)[3]
            assert not any(key.endswith(" " + path) for key in hits), reject["url"]


def test_every_item_is_well_formed(reference_crawl):
    _, results, _ = reference_crawl
    for item in _items(results):
        site, edition, slug, number = item["article_id"].split(":")
        assert (site, edition, slug) == (item["site"], item["edition"], item["outlet_slug"])
        assert item["url"].endswith(f"/{slug}/{number}")
        assert item["crawled_at"].endswith("Z")
        assert "\u00a0" not in item["body"] and "\u200f" not in item["body"]


def test_the_maintainers_check_passes_with_the_teaser_case(reference_crawl):
    """``../shared/tools/compare_feed.py`` on each spider's feed, the ``teaser_only`` case included
    (its gold body is the outlet page's text); the JavaScript-only articles are the rendering tests'."""
    snapshot, results, _ = reference_crawl
    tool = snapshot.parent.parent / "tools" / "compare_feed.py"
    for spider, result in zip(SITES_OF[snapshot.name], results):
        proc = subprocess.run([sys.executable, str(tool), str(result.feed), str(snapshot / "gold"), "--sites", spider,
                               "--skip-js"], capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert proc.returncode == 0 and proc.stdout.splitlines()[-1].startswith("OK"), proc.stdout + proc.stderr
