"""Every spider over the project's own edge-case snapshot (``tests/snapshots/cases``).

Real crawls: ``scrapy crawl SPIDER -O feed`` in a subprocess, every request sent by
``NEWSBOT_MIRROR`` to a :class:`~newsbot.demo.replica.ReplicaServer` on 127.0.0.1. The feed
is compared with the gold exactly; the replica's hit counts say what was fetched.

Left to the pipelines (issue 3), so these assertions hold with or without them: for a
gold article with ``duplicates`` either page may come out (both may, for now), and
the body of the ``banner_in_body`` article is not compared.
"""

from __future__ import annotations

import json
import re
from collections import Counter
import subprocess
import sys
import unicodedata
from dataclasses import dataclass

import pytest

from newsbot.items import PUBLIC_FIELDS
from tests.cases_snapshot import CASES, COPY_REASONS, CRAWLED_AT, GOLD, ORIGINAL_OF, REJECTS, gold_of, hit
from tests.crawling import ROOT, CrawlResult
from tests.gold import COMPARED_FIELDS, mismatches

SPIDERS = ("djazairess", "maghress", "masress", "sauress", "sudaress", "turess")
NEWSBOT_FIELDS = ("article_id", "body_source", "extractor", "extraction_confidence", "revision", "warc_record_id")
"""Fields the gold holds as newsbot writes them (beside the maintainers' fields)."""
MA, DZ = "www.maghress.com", "www.djazairess.com"


@dataclass
class CasesCrawl:
    results: dict[str, CrawlResult]
    hits: dict[str, dict[str, int]]  # per spider: "host path" -> requests answered

    def items(self) -> list[dict]:
        return [item for result in self.results.values() for item in result.items]


@pytest.fixture(scope="module")
def crawl(snapshot_crawls) -> CasesCrawl:
    """The session's crawl of the cases snapshot by every spider (``snapshot_crawls``: each
    on a replica of its own, so hits are per spider)."""
    done = snapshot_crawls(CASES)
    assert sorted(done.results) == sorted(SPIDERS)
    return CasesCrawl(done.results, done.hits)


def test_every_spider_finishes_cleanly(crawl):
    for spider, result in crawl.results.items():
        assert result.returncode == 0, (spider, result.log[-3000:])
        assert result.stat("finish_reason", None) == "finished", spider
        assert "Traceback" not in result.log, spider
        assert not re.search(r"\] (ERROR|CRITICAL):", result.log), (spider, result.log[-3000:])
        assert "Deprecat" not in result.log, spider


def test_each_spider_yields_only_its_own_sites_articles(crawl):
    for spider, result in crawl.results.items():
        gold = {g["url"] for g in GOLD if g["site"] == spider}
        dups = {d for d, original in ORIGINAL_OF.items() if original in gold}
        urls = [item["url"] for item in result.items]
        assert len(urls) == len(set(urls)), f"{spider}: a URL came out twice"
        assert set(urls) <= gold | dups, set(urls) - gold - dups
        assert {ORIGINAL_OF.get(u, u) for u in urls} == gold, spider


def test_every_gold_article_comes_out_equal(crawl):
    by_url = {item["url"]: item for item in crawl.items()}
    problems = {}
    for gold in GOLD:
        found = [by_url[u] for u in (gold["url"], *gold.get("duplicates", [])) if u in by_url]
        if not found:
            problems[gold["url"]] = "missing"
            continue
        for item in found:  # either page of a duplicate pair, judged against its own record
            want = gold_of(item["url"])
            fields = COMPARED_FIELDS if item["url"] != gold["url"] else (*COMPARED_FIELDS, *NEWSBOT_FIELDS)
            diff = mismatches(item, want, fields)
            if want.get("body_source") == "outlet":
                # the outlet page's text, read by whichever outlet extractor candidate won
                diff.pop("extractor", None)
                diff.pop("extraction_confidence", None)
                assert not item["extractor"].startswith("newsbot-ress "), item["extractor"]
                assert 0 <= item["extraction_confidence"] <= 1
            if "banner_in_body" in gold["cases"]:
                diff.pop("body", None)  # the ticker pasted into the body: the pipeline tests own it
            if diff:
                problems[item["url"]] = diff
    assert problems == {}


def test_no_reject_yields_an_item(crawl):
    urls = {item["url"] for item in crawl.items()}
    for reject in REJECTS:
        if reject["reason"] in COPY_REASONS:
            continue  # dropped by the dedupe pipeline (issue 3); gold lets either page through
        assert reject["url"] not in urls, reject


def test_stats_count_what_was_left_out(crawl):
    stats = {spider: result.stats for spider, result in crawl.results.items()}
    maghress = stats["maghress"]
    assert maghress.get("newsbot/rejected/missing_title") == 1
    assert maghress.get("newsbot/published/unknown") == 1  # the page without dateline
    assert maghress.get("newsbot/published/future") == 1  # the dateline in 2099
    assert maghress.get("newsbot/charset/repaired") == 1  # windows-1256 under a utf-8 header
    # /fr/archives, linked from /fr/; and a teaser's source page that the outlet's robots.txt disallows
    assert maghress.get("robotstxt/forbidden") == 1 + sum(g.get("source_reason") == "robots" for g in GOLD)
    # teasers: the source page followed; each one that gives nothing counted by its reason
    teasers = [g for g in GOLD if "teaser_only" in g["cases"]]
    reasons = Counter(g["source_reason"] for g in teasers if "source_reason" in g)
    assert len(reasons) >= 5  # 404, home page, another article, robots.txt, a redirect off the host
    assert {k: v for k, v in maghress.items() if k.startswith("newsbot/source/")} == {
        "newsbot/source/requested": len(teasers),
        "newsbot/source/used": sum(g["body_source"] == "outlet" for g in teasers),
        **{f"newsbot/source/{reason}": n for reason, n in reasons.items()},
    }
    # a source page is no page of the site: never a reject, nor in the monitors' counters
    assert not any(k.startswith("newsbot/rejected/http_") for k in maghress)
    assert maghress.get("newsbot/monitor/maghress/fr/items") == sum(g["site"] == "maghress" and g["edition"] == "fr"
                                                                    for g in GOLD) + 1  # + the near-duplicate, dropped later
    assert not any("/?/" in k or "lobservateur.info" in k for k in maghress if k.startswith("newsbot/monitor/"))
    djazairess = stats["djazairess"]
    assert djazairess.get("retry/count") == 1  # the 503
    assert djazairess.get("downloader/response_status_count/503") == 1
    for spider in ("djazairess", "masress", "turess", "sauress", "sudaress"):
        for key in ("newsbot/rejected/missing_title", "newsbot/published/unknown",
                    "newsbot/published/future", "newsbot/charset/repaired"):
            assert key not in stats[spider], (spider, key)


def test_replica_hits_show_what_was_fetched(crawl):
    ma, dz = crawl.hits["maghress"], crawl.hits["djazairess"]
    assert hit(dz, DZ, "/aps/385090") == 2  # 503, then 200
    assert hit(dz, DZ, "/aps/385040") == 1  # 404: asked once, not retried
    assert hit(dz, DZ, "/aps?page=2") == 1  # the listing's second page
    assert hit(ma, MA, "/fr/admin/") == 0 and hit(ma, MA, "/fr/archives") == 0  # robots.txt
    assert hit(ma, MA, "/fr/le360/2042510/") == 0  # the redirecting URL is never needed ...
    assert hit(ma, MA, "/fr/le360/2042510") == 1  # ... its canonical form is fetched directly
    assert hit(ma, MA, "/fr/h24info/1165381") == 1  # five spellings of one URL, one request
    assert hit(ma, MA, "/hespress/75869") == 1
    outlet = "lobservateur.info"
    assert hit(ma, outlet, "/ampArticle/103930") == 1  # a teaser's source page, asked once
    assert hit(ma, outlet, "/robots.txt") == 1  # its robots.txt is obeyed ...
    assert hit(ma, outlet, "/prive/103900") == 0  # ... so the page it disallows is never fetched
    assert hit(ma, outlet, "/go/103890") == 1  # a redirect to another host ...
    assert not [k for k in ma if k.startswith("www.autre-site.example ")]  # ... is not followed
    for spider, hits in crawl.hits.items():  # nothing is fetched twice, but the 503
        assert {k: n for k, n in hits.items() if n > 1 and k != f"{DZ} /aps/385090"} == {}, spider


def test_every_record_has_every_field_in_order(crawl):
    """Shared case NB-12: unknown values are null, never missing keys."""
    for result in crawl.results.values():
        for line in result.feed.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert tuple(record) == PUBLIC_FIELDS
            assert CRAWLED_AT.fullmatch(record["crawled_at"]), record["crawled_at"]
            site, edition, slug, number = record["article_id"].split(":")
            assert (site, edition, slug) == (record["site"], record["edition"], record["outlet_slug"])
            assert record["url"].endswith(f"/{slug}/{number}")
    no_dateline = next(i for i in crawl.items() if i["url"] == "https://www.maghress.com/fr/lesiteinfo/1485440")
    assert (no_dateline["outlet"], no_dateline["published"], no_dateline["source_url"]) == (None, None, None)


def test_text_fields_are_clean(crawl):
    invisible = re.compile("[\u00a0\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\ufffd]")
    for item in crawl.items():
        for field in ("title", "outlet", "body"):
            value = item[field] or ""
            assert not invisible.search(value), (item["url"], field)
            assert value == unicodedata.normalize("NFC", value), (item["url"], field)
        assert not re.search(r"(?m)^(Lire aussi|À lire aussi|A lire aussi|Read also|اقرأ|إقرأ)", item["body"])
        assert "  " not in item["body"] and "\n\n\n" not in item["body"]


def test_feed_is_utf8_arabic_without_escapes(crawl):
    """Shared case NB-18: Arabic written as Arabic in the feed's bytes."""
    raw = crawl.results["djazairess"].feed.read_bytes()
    assert "وكالة الأنباء الجزائرية".encode() in raw
    assert b"\\u06" not in raw


def test_snapshots_are_what_the_generator_makes():
    """``tests/snapshots/cases`` and ``newsbot/demo/site`` are generated, never hand-edited."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_replicas.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
