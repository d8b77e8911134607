"""Issue 3's checks through real crawls of whole snapshots with the pipelines on:

* the maintainers' replicas ``../shared/sites/reference`` and ``reference-en`` (skipped when
  ``../shared`` is absent);
* the project's own ``tests/snapshots/cases`` (issue 2's edge cases, invented texts).

Of every gold article with ``duplicates`` exactly one page is in the feed; every other gold
article is kept and equal to the gold; no body holds a ticker or "most read" headline of the
snapshot's pages (unless its gold body quotes it in a sentence) nor a template sentence; the
``banner_in_body`` article equals the gold; the rejects feed lists the dropped pages with the
right reasons and names the kept page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parsel import Selector

from newsbot.family.wording import LANGUAGES
from newsbot.pages.furniture import furniture_headlines
from tests.crawling import SNAPSHOTS, shared
from tests.gold import load_jsonl, mismatches

DEDUPE_REASONS = ("duplicate_of", "near_duplicate")


def snapshot_dir(name: str) -> Path:
    if name == "cases":
        path = SNAPSHOTS / "cases"
        if not (path / "gold" / "articles.jsonl").exists():
            pytest.skip("tests/snapshots/cases has no gold yet (scripts/build_replicas.py writes it)")
        return path
    return shared("sites", name)


@pytest.fixture(scope="module", params=["reference", "reference-en", "cases"])
def crawled(request, snapshot_crawls):
    """The session's crawl of the snapshot by every aggregator spider, rejects feed on
    (``snapshot_crawls``); each result's ``rejects`` holds its rejects feed's records."""
    snapshot = snapshot_dir(request.param)
    crawl = snapshot_crawls(snapshot)
    for spider, result in crawl.results.items():
        result.rejects = crawl.rejects[spider]
    return snapshot, crawl.results


def _items(results) -> list[dict]:
    return [item for result in results.values() for item in result.items]


def _rejects(results) -> list[dict]:
    return [record for result in results.values() for record in result.rejects]


def _gold(snapshot: Path) -> list[dict]:
    return [g for g in load_jsonl(snapshot / "gold" / "articles.jsonl") if not g.get("needs_js")]


def test_crawls_finish(crawled):
    _, results = crawled
    for spider, result in results.items():
        assert result.returncode == 0, (spider, result.log[-3000:])
        assert result.stats["finish_reason"] == "finished"
        assert "Traceback" not in result.log, spider


def test_one_page_of_each_duplicate_group_and_every_other_article_kept(crawled):
    snapshot, results = crawled
    urls = [item["url"] for item in _items(results)]
    assert len(urls) == len(set(urls))
    sites = {spider for spider in results}
    for gold in _gold(snapshot):
        if gold["site"] not in sites:
            continue
        group = [gold["url"], *gold.get("duplicates", [])]
        assert len([u for u in group if u in urls]) == 1, group


def test_kept_articles_equal_the_gold(crawled):
    snapshot, results = crawled
    by_url = {item["url"]: item for item in _items(results)}
    problems = {}
    for gold in _gold(snapshot):
        if gold["url"] not in by_url:
            continue  # a duplicate page was kept instead (checked above) or another site
        diff = mismatches(by_url[gold["url"]], gold)  # a teaser's body too: its outlet page's text
        if diff:
            problems[gold["url"]] = diff
    assert problems == {}


def test_banner_in_body_article_equals_the_gold(crawled):
    snapshot, results = crawled
    by_url = {item["url"]: item for item in _items(results)}
    cases = [g for g in _gold(snapshot) if "banner_in_body" in g.get("cases", [])]
    assert cases
    for gold in cases:
        assert by_url[gold["url"]]["body"] == gold["body"]


def _page_headlines(snapshot: Path) -> set[str]:
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    headlines: set[str] = set()
    for entry in manifest["entries"]:
        content_type = entry.get("headers", {}).get("Content-Type", "")
        if "html" in content_type and entry.get("status") == 200:
            charset = content_type.partition("charset=")[2] or "utf-8"
            text = (snapshot / entry["file"]).read_bytes().decode(charset, errors="replace")
            headlines.update(furniture_headlines(Selector(text=text)))
    return headlines


def test_no_body_holds_a_ticker_headline_or_a_template_sentence(crawled):
    snapshot, results = crawled
    headlines = _page_headlines(snapshot)
    assert len(headlines) > 10
    templates = {line.casefold().rstrip(".!") for lang in LANGUAGES.values() for line in lang.template_lines}
    gold_bodies = {g["url"]: g["body"] for g in _gold(snapshot)}
    for item in _items(results):
        body = item["body"]
        # a sentence that quotes a headline keeps it: only what the gold body does not hold is a leak
        assert not [h for h in headlines if h in body and h not in gold_bodies.get(item["url"], "")], item["url"]
        assert not [t for t in templates if t in body.casefold()], item["url"]


def test_rejects_feed_lists_the_dropped_pages_with_the_right_reasons(crawled):
    snapshot, results = crawled
    rejects = _rejects(results)
    got = {(r["url"], r["reason"]): r for r in rejects}
    assert len(got) == len(rejects)
    expected = set()
    for reject in load_jsonl(snapshot / "gold" / "rejects.jsonl"):
        if reject["reason"] == "missing_title":
            expected.add((reject["url"], "missing_title"))
        elif reject["reason"] in DEDUPE_REASONS:
            pair = (reject["url"], reject["duplicate_of"])
            dropped = pair[0] if (pair[0], reject["reason"]) in got else pair[1]  # either may be kept
            expected.add((dropped, reject["reason"]))
            kept = pair[1] if dropped == pair[0] else pair[0]
            assert got.get((dropped, reject["reason"]), {}).get("duplicate_of") == kept, reject
            if reject["reason"] == "near_duplicate":
                assert got[(dropped, "near_duplicate")]["similarity"] >= 0.8
    assert set(got) == expected
