"""Monitors, report and exit status (issue 8, section 1), on real crawls of the reference
replica: a healthy crawl passes every monitor and exits 0; a template that drifted (served
changed, at serve time, from the same snapshot) fails its monitor on the first run, naming
site, edition, field and rate, and the crawl exits 1; so does a crawl whose mirror is down.

Rendering is off in these crawls: the JavaScript listing of the snapshot is then one
listing without entries, the same with or without a browser on the machine.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsbot.demo.replica import ReplicaServer, Snapshot
from tests.crawling import CrawlResult, run_crawl, shared

MONITORS = [
    "Pages downloaded: some page was downloaded",
    "Items written: some item was written, or nothing new since the last run",
    "Finish reason: the crawl finished",
    "Field coverage: fields are filled",
    "Article pages: article pages are read",
    "Listing pages: listings have entries",
    "Errors and retries: error rate",
    "Errors and retries: retry rate",
    "Item validation: items match the schema",
]
FULL_COVERAGE = {"title": 1.0, "outlet": 1.0, "published": 1.0, "body": 1.0}
NO_RENDERING = {"NEWSBOT_RENDER_ENABLED": False}

Drift = Callable[[dict[str, Any], bytes], bytes]


class DriftedSnapshot(Snapshot):
    """A snapshot whose answers pass through ``drift(entry, body)``: the site's template as
    it would look the day after a change, without a second copy of the snapshot."""

    def __init__(self, root: Path, drift: Drift) -> None:
        super().__init__(root)
        self.drift = drift

    def answer(self, entry: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = super().answer(entry)
        return status, headers, self.drift(entry, body)


def crawl_drifted(spider: str, workdir: Path, drift: Drift) -> CrawlResult:
    server = ReplicaServer(DriftedSnapshot(shared("sites", "reference"), drift)).start()
    try:
        return run_crawl(spider, workdir, mirror=server.url, settings=NO_RENDERING)
    finally:
        server.stop()


def report_of(result: CrawlResult) -> dict[str, Any]:
    return json.loads(result.feed.with_suffix(".report.json").read_text(encoding="utf-8"))


def verdict_lines(result: CrawlResult) -> list[str]:
    return [line.split("] ", 1)[1] for line in result.log.splitlines() if "newsbot verdict:" in line]


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {m["monitor"]: m["status"] for m in report["monitors"]}


def test_a_healthy_crawl_passes_every_monitor_and_exits_0(tmp_path):
    result = crawl_drifted("maghress", tmp_path, lambda entry, body: body)
    assert result.returncode == 0, result.log[-3000:]
    report = report_of(result)
    assert verdict_lines(result) == [f"INFO: newsbot verdict: OK, 9 of 9 monitors passed (report: {tmp_path}/feed.report.json)"]
    assert report["verdict"] == "OK" and report["exit_status"] == 0 and report["failed"] == []
    assert list(statuses(report)) == MONITORS and set(statuses(report).values()) == {"OK"}
    assert report["finish_reason"] == "finished" and report["feeds"] == [str(result.feed)]
    assert report["counts"] == {  # the teaser's source page and its host's robots.txt included
        "requests": 85, "responses": 85, "items_written": 28, "items_dropped": 2, "items_invalid": 0,
        "failed_downloads": 0, "http_errors": 0, "http_not_found": 0, "retries": 0, "skipped_as_done": 0,
    }
    assert report["editions"] == {
        "maghress/ar": {"items": 14, "coverage": FULL_COVERAGE, "article_pages_rejected": {}, "rejected_share": 0.0,
                        "listing_pages": 14, "listing_pages_empty": 0, "listing_pages_untemplated": 0},
        "maghress/fr": {"items": 16, "coverage": FULL_COVERAGE, "article_pages_rejected": {"missing_title": 1},
                        "rejected_share": 0.0588, "listing_pages": 12, "listing_pages_empty": 1,
                        "listing_pages_untemplated": 0},
    }
    assert result.stats["newsbot/monitors/passed"] == 9 and result.stats["newsbot/monitors/failed"] == 0


def _rename_dateline(entry: dict[str, Any], body: bytes) -> bytes:
    """maghress's French article template renames its dateline span."""
    if entry.get("kind") == "article" and entry["host"] == "www.maghress.com" and entry["path"].startswith("/fr/"):
        return body.replace(b'class="articlenewspaper"', b'class="articledateline"')
    return body


def test_a_renamed_dateline_fails_field_coverage_naming_site_edition_field_and_rate(tmp_path):
    result = crawl_drifted("maghress", tmp_path, _rename_dateline)
    assert result.returncode == 1
    problem = ("maghress fr: outlet in 0% of items (0 of 16), below 98%;"
               " maghress fr: published in 0% of items (0 of 16), below 98%")
    assert verdict_lines(result) == [
        f"ERROR: newsbot verdict: FAILED, 1 of 9 monitors failed (report: {tmp_path}/feed.report.json):"
        f" Field coverage: fields are filled: {problem}"
    ]
    report = report_of(result)
    assert report["verdict"] == "FAILED" and report["exit_status"] == 1
    assert report["failed"] == [f"Field coverage: fields are filled: {problem}"]
    assert {m: s for m, s in statuses(report).items() if s != "OK"} == {"Field coverage: fields are filled": "FAIL"}
    assert report["editions"]["maghress/fr"]["coverage"] == {"title": 1.0, "outlet": 0.0, "published": 0.0, "body": 1.0}
    assert report["editions"]["maghress/ar"]["coverage"] == FULL_COVERAGE  # the Arabic template did not change
    assert len(result.items) == 28  # the articles are still written, with null outlet and published


def _challenge_listings(entry: dict[str, Any], body: bytes) -> bytes:
    """masress answers its home and listing pages with a challenge page: no entries."""
    if entry.get("kind") in ("home", "listing") and entry["host"] == "www.masress.com":
        return b"<html><head><title>Just a moment...</title></head><body><p>Checking your browser</p></body></html>"
    return body


def test_listings_without_entries_fail_the_listing_monitor(tmp_path):
    result = crawl_drifted("masress", tmp_path, _challenge_listings)
    assert result.returncode == 1
    report = report_of(result)
    assert report["failed"] == [
        "Listing pages: listings have entries: masress ar: 1 of 1 listing pages have no entries (100%), above 50%"
    ]
    assert len(result.items) == 13  # the RSS feeds still lead to the articles


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_crawl_whose_mirror_is_down_exits_1(tmp_path):
    """Every download fails: the crawl says so in its verdict and exits 1 (Scrapy alone ends it
    "finished" with exit status 0), and logs the real site's URLs, never the mirror's."""
    mirror = f"http://127.0.0.1:{_closed_port()}"
    result = run_crawl("turess", tmp_path, mirror=mirror, settings={"RETRY_TIMES": 0})
    assert result.returncode == 1 and result.items == [] and result.stats["finish_reason"] == "finished"
    report = report_of(result)
    assert report["failed"] == [
        "Pages downloaded: some page was downloaded: the crawl downloaded no page at all (3 failed downloads:"
        " DownloadConnectionRefusedError): check the network, the site, or NEWSBOT_MIRROR",
        "Items written: some item was written, or nothing new since the last run: no item written (0 dropped; 0 article pages skipped as done in"
        " earlier runs; 0 listing pages with entries)",
        "Errors and retries: error rate: 3 errors in 3 requests (100%: failed downloads 3), above 20%",
    ]
    assert len(verdict_lines(result)) == 1 and verdict_lines(result)[0].startswith(
        "ERROR: newsbot verdict: FAILED, 3 of 9 monitors failed")
    failures = [line for line in result.log.splitlines() if ": connection_failed (" in line]
    assert failures and all("No page from https://www.turess.com/" in line and mirror not in line for line in failures)
    assert "[scrapy.core.scraper] ERROR: Error downloading" not in result.log  # one line per page lost


def test_no_page_downloaded_exits_1_even_with_the_monitors_off(tmp_path):
    result = run_crawl("turess", tmp_path, mirror=f"http://127.0.0.1:{_closed_port()}",
                       settings={"RETRY_TIMES": 0, "SPIDERMON_ENABLED": False})
    assert result.returncode == 1 and not result.feed.with_suffix(".report.json").exists()
    assert "newsbot/monitors/failed" not in result.stats


@pytest.mark.parametrize(("setting", "value", "message"), [
    ("NEWSBOT_MONITOR_MIN_COVERAGE", "98", "NEWSBOT_MONITOR_MIN_COVERAGE='98' must be a number of 0 or more and at most 1"
                                          " (share of items), e.g. -s NEWSBOT_MONITOR_MIN_COVERAGE=0.98"),
    ("NEWSBOT_MONITOR_COVERAGE_FIELDS", "title,date", "NEWSBOT_MONITOR_COVERAGE_FIELDS='title,date': 'date' is not one of"),
    ("NEWSBOT_MONITOR_FINISH_REASONS", "finished,closespider itemcount", "'closespider itemcount' is not a name"),
])
def test_a_bad_monitor_setting_stops_the_crawl_before_it_starts(tmp_path, setting, value, message):
    result = run_crawl("turess", tmp_path, mirror=f"http://127.0.0.1:{_closed_port()}", settings={setting: value})
    assert result.returncode == 1 and "Error downloading" not in result.log
    errors = [line for line in result.log.splitlines() if re.search(r"\] ERROR: bad setting, nothing crawled", line)]
    assert len(errors) == 1 and message in errors[0], result.log[-2000:]


def test_an_ids_backfill_run_again_when_all_is_done_exits_0(tmp_path):
    """Started again, a finished ``ids`` backfill has nothing to fetch: no download, no listing,
    no item, and that is no failure."""
    settings = {**NO_RENDERING, "NEWSBOT_STATE": f"sqlite:///{tmp_path}/state.db"}
    args = {"ids": "fr/h24info:1165520-1165520"}
    first = run_crawl("maghress", tmp_path / "first", mirror="demo", args=args, settings=settings)
    assert first.returncode == 0 and len(first.items) == 1, first.log[-3000:]
    again = run_crawl("maghress", tmp_path / "again", mirror="demo", args=args, settings=settings)
    assert again.returncode == 0, again.log[-3000:]
    assert again.items == [] and again.stat("newsbot/incremental/skipped") == 1
    assert again.stat("downloader/request_count") == 0
    assert verdict_lines(again)[-1].endswith("OK, 9 of 9 monitors passed (report: " + str(again.feed.with_suffix(".report.json")) + ")")


def test_an_unknown_spider_is_a_usage_error_with_the_spiders_names(tmp_path):
    import os
    import subprocess
    import sys

    from tests.crawling import ROOT

    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "maghres"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert ("no spider named 'maghres': did you mean maghress? the spiders are djazairess, maghress, masress,"
            " sauress, sudaress, turess (scrapy list)") in proc.stderr
