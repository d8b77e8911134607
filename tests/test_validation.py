"""Item validation against the shipped JSON Schema, and the monitor suite judging a crawl's
stats without a crawl (cases a replica crawl cannot make cheaply: invalid items, an
incremental run that found nothing new)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.settings import Settings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler
from spidermon.runners import MonitorRunner

from newsbot.items import PUBLIC_FIELDS, ArticleItem
from newsbot.monitoring.suite import CrawlMonitorSuite
from newsbot.pipelines.drops import PipelineDrop
from newsbot.pipelines.validation import ValidationPipeline, article_schema

GOOD = dict(
    article_id="maghress:fr:h24info:1165387", url="https://www.maghress.com/fr/h24info/1165387", site="maghress",
    edition="fr", language="fr", outlet="H24 Info", outlet_slug="h24info", title="Un titre", published="2021-10-20",
    body="Un paragraphe.", body_source="aggregator", extractor="newsbot-ress 1.0.0", extraction_confidence=0.6,
    source_url="https://www.h24info.ma/x", crawled_at="2026-11-29T15:04:05Z",
)


def test_the_schema_describes_exactly_the_exported_fields():
    schema = article_schema()
    assert schema["required"] == list(PUBLIC_FIELDS) and list(schema["properties"]) == list(PUBLIC_FIELDS)
    assert schema["additionalProperties"] is False


@pytest.fixture
def pipeline() -> tuple[ValidationPipeline, Any]:
    crawler = get_crawler(settings_dict={"SPIDERMON_ENABLED": True})
    crawler.stats = StatsCollector(crawler)
    return ValidationPipeline.from_crawler(crawler), crawler.stats


def test_a_valid_item_goes_on(pipeline):
    validation, stats = pipeline
    item = ArticleItem(**GOOD, body_parts=None)
    assert validation.process_item(item) is item
    assert stats.get_value("spidermon/validation/items") == 1 and stats.get_value("spidermon/validation/items/errors") is None


def test_an_invalid_item_is_dropped_as_invalid_naming_its_fields(pipeline):
    validation, stats = pipeline
    with pytest.raises(PipelineDrop) as drop:
        validation.process_item(ArticleItem(**{**GOOD, "published": "2021-13-45", "title": ""}))
    assert drop.value.reason == "invalid"
    assert str(drop.value) == "invalid: published: '2021-13-45' is not a 'date'; title: should be non-empty"
    assert {k: v for k, v in stats.get_stats().items() if k.startswith("spidermon/validation/")} == {
        "spidermon/validation/validators": 1, "spidermon/validation/validators/articleitem/jsonschema": True,
        "spidermon/validation/items": 1, "spidermon/validation/fields": len(PUBLIC_FIELDS),
        "spidermon/validation/fields/errors": 2,
        "spidermon/validation/fields/errors/value_is_not_a_date": 1,
        "spidermon/validation/fields/errors/value_is_not_a_date/published": 1,
        "spidermon/validation/fields/errors/should_be_non_empty": 1,
        "spidermon/validation/fields/errors/should_be_non_empty/title": 1,
        "spidermon/validation/items/errors": 1, "spidermon/validation/items/dropped": 1,
    }


def test_validation_can_be_turned_off():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        ValidationPipeline.from_crawler(get_crawler(settings_dict={"NEWSBOT_VALIDATION_ENABLED": "False"}))


# --- the suite on given stats -------------------------------------------------------------------------
HEALTHY = {
    "finish_reason": "finished", "downloader/request_count": 40, "response_received_count": 40,
    "item_scraped_count": 10, "newsbot/monitor/maghress/fr/items": 10,
    **{f"newsbot/monitor/maghress/fr/items/{f}": 10 for f in ("title", "outlet", "published", "body")},
    "newsbot/monitor/maghress/fr/listings": 5,
}


def judge(stats: dict[str, Any], tmp_path, **settings: Any) -> dict[str, Any]:
    """Run the suite on ``stats``; the report it writes."""
    collector = SimpleNamespace(values=dict(stats))
    collector.get_stats = lambda: collector.values
    collector.set_value = collector.values.__setitem__
    report = tmp_path / "report.json"
    crawler = SimpleNamespace(settings=Settings({"NEWSBOT_REPORT_FILE": str(report), **settings}), stats=collector,
                              extensions=None)
    MonitorRunner().run(CrawlMonitorSuite(crawler=crawler), stats=dict(stats), crawler=crawler)
    return json.loads(report.read_text(encoding="utf-8"))


def test_healthy_stats_pass(tmp_path):
    assert judge(HEALTHY, tmp_path)["verdict"] == "OK"


def test_an_incremental_run_that_found_nothing_new_passes(tmp_path):
    stats = {k: v for k, v in HEALTHY.items() if "/items" not in k and k != "item_scraped_count"}
    report = judge({**stats, "newsbot/incremental/skipped": 12}, tmp_path)
    assert report["verdict"] == "OK" and report["counts"]["items_written"] == 0


def test_no_item_and_nothing_skipped_fails(tmp_path):
    stats = {k: v for k, v in HEALTHY.items() if "/items" not in k and k != "item_scraped_count"}
    assert judge({**stats, "newsbot/dropped/empty_body": 2}, tmp_path)["failed"] == [
        "Items written: some item was written, or nothing new since the last run: no item written (2 dropped: empty_body 2; 0 article pages skipped"
        " as done in earlier runs; 5 listing pages with entries)"]


def test_invalid_items_fail_the_validation_monitor(tmp_path):
    stats = {**HEALTHY, "spidermon/validation/items": 10, "spidermon/validation/items/errors": 3,
             "spidermon/validation/fields/errors/value_is_not_a_date/published": 3}
    assert judge(stats, tmp_path)["failed"] == [
        "Item validation: items match the schema: 3 of 10 items did not match the record's schema and were dropped"
        " (value_is_not_a_date/published 3)"]


def test_thresholds_are_settings(tmp_path):
    stats = {**HEALTHY, "newsbot/monitor/maghress/fr/items/published": 9, "retry/count": 6,
             "newsbot/monitor/maghress/fr/articles/rejected/missing_title": 2, "finish_reason": "shutdown"}
    assert judge(stats, tmp_path, NEWSBOT_MONITOR_MAX_RETRY_RATE=0.1)["failed"] == [
        "Finish reason: the crawl finished: finish reason 'shutdown', not one of finished, closespider_itemcount,"
        " closespider_pagecount, closespider_timeout",
        "Field coverage: fields are filled: maghress fr: published in 90% of items (9 of 10), below 98%",
        "Errors and retries: retry rate: 6 retries in 40 requests (15%), above 10%",
    ]
    relaxed = judge(stats, tmp_path, NEWSBOT_MONITOR_MIN_COVERAGE=0.9, NEWSBOT_MONITOR_MAX_REJECTED=0.1,
                    NEWSBOT_MONITOR_FINISH_REASONS="finished,shutdown")
    assert relaxed["failed"] == [
        "Article pages: article pages are read: maghress fr: 2 of 12 article pages rejected (16.7%: missing_title 2),"
        " above 10%"]
