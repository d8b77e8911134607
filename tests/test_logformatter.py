"""A dropped item is logged in one line, URL and reason; the item itself at DEBUG (issue 8)."""

from __future__ import annotations

import logging
import re

from scrapy.utils.test import get_crawler

from newsbot.items import ArticleItem
from newsbot.logformatter import NewsbotLogFormatter
from newsbot.pipelines.drops import PipelineDrop
from newsbot.spiders.sites import MaghressSpider
from tests.crawling import run_crawl

URL = "https://www.maghress.com/fr/le360/2042690"


def test_the_drop_line_names_url_and_reason_only(caplog):
    crawler = get_crawler(MaghressSpider)
    spider = MaghressSpider.from_crawler(crawler)
    item = ArticleItem(url=URL, title="Un titre", body="Un corps " * 300)
    drop = PipelineDrop("duplicate_url", f"{URL} was already kept in this run", duplicate_of=URL)
    with caplog.at_level(logging.DEBUG, logger="newsbot.logformatter"):
        entry = NewsbotLogFormatter().dropped(item, drop, None, spider)
    assert entry["level"] == logging.WARNING  # Scrapy's DEFAULT_DROPITEM_LOG_LEVEL
    assert entry["msg"] % entry["args"] == f"Dropped {URL}: duplicate_url: {URL} was already kept in this run"
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert caplog.records[0].getMessage().startswith(f"Dropped item {URL}: ArticleItem(article_id=None, url='{URL}'")
    assert "title='Un titre'" in caplog.records[0].getMessage()
    plain = NewsbotLogFormatter().dropped({"title": "x"}, PipelineDrop("empty_body"), None, spider)
    assert plain["msg"] % plain["args"] == "Dropped an item without url: empty_body"


def test_a_crawl_logs_each_drop_in_one_line(tmp_path):
    settings = {"NEWSBOT_STATE": f"sqlite:///{tmp_path}/state.db", "NEWSBOT_RENDER_ENABLED": False}
    first = run_crawl("maghress", tmp_path / "first", mirror="demo", settings=settings)
    assert first.returncode == 0 and len(first.items) == 13
    # every article page fetched again (no incremental skip): each item is a duplicate_url drop
    again = run_crawl("maghress", tmp_path / "again", mirror="demo",
                      settings={**settings, "NEWSBOT_INCREMENTAL_ENABLED": False})
    assert again.returncode == 0 and again.items == []
    lines = again.log.splitlines()
    drops = [i for i, line in enumerate(lines) if "] WARNING: Dropped " in line]
    assert len(drops) == 13
    for i in drops:
        assert re.fullmatch(r".* WARNING: Dropped https://www\.maghress\.com/\S+: duplicate_url: https://\S+ yielded"
                            r" an item in an earlier run", lines[i]), lines[i]
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", lines[i + 1]), lines[i + 1]  # the next line is a record
    assert "body_folded" not in again.log and "ArticleItem(" not in again.log
