"""The boilerplate pipeline: banners and template text out of ``body`` (issue 3, part 1).

Settings: ``NEWSBOT_BOILERPLATE_ENABLED`` (default True), ``NEWSBOT_BOILERPLATE_MIN_REPEATS``
(5), ``NEWSBOT_BOILERPLATE_WARMUP`` (50), ``NEWSBOT_BOILERPLATE_FORGET_DAYS`` (30).
Drops: ``empty_body`` (nothing left after cleaning), ``missing_title`` (the title was only
a template sentence). Stats under ``newsbot/boilerplate/``: ``lines/<kind>`` (lines removed
per kind: ticker, read_also, template, headlines, learned), ``items_cleaned``,
``titles_cleaned``, ``learned`` (paragraphs learned this run), ``late`` (items already
emitted with a paragraph learned afterwards), ``held``, ``headlines`` (ticker and "most
read" headlines collected).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse

from newsbot.boilerplate import HeadlineIndex
from newsbot.config import bool_setting, float_setting, int_setting
from newsbot.pages.furniture import furniture_headlines
from newsbot.pipelines.cleaning import REMOVED_KINDS, clean_body, clean_title, paragraph_key
from newsbot.pipelines.drops import PipelineDrop
from newsbot.pipelines.learning import BoilerplateLearner
from newsbot.pipelines.warmup import WarmupGate
from newsbot.sites import site_for_url
from newsbot.state import crawl_state
from newsbot.text import join_paragraphs, split_paragraphs

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class BoilerplatePipeline:
    """Removes ticker banners, template sentences, "read also" lines and learned
    boilerplate from an item's body, rebuilt from its raw ``body_lines``.

    The headlines of each site's ticker and "most read" lists are collected from every HTML
    page of the crawl (``response_received``). Items of a site are held until
    ``NEWSBOT_BOILERPLATE_WARMUP`` items of that site have been seen (counting earlier runs:
    the count is in the state store) or the crawl can bring nothing new
    (:mod:`newsbot.pipelines.warmup`); after that they go on at once with what is known.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not bool_setting(settings, "NEWSBOT_BOILERPLATE_ENABLED"):
            raise NotConfigured("NEWSBOT_BOILERPLATE_ENABLED is False")
        self.crawler = crawler
        self.stats = crawler.stats
        self.warmup = int_setting(settings, "NEWSBOT_BOILERPLATE_WARMUP")
        self.forget_days = float_setting(settings, "NEWSBOT_BOILERPLATE_FORGET_DAYS")
        self.state = crawl_state(crawler)
        self.learner = BoilerplateLearner(self.state.store, int_setting(settings, "NEWSBOT_BOILERPLATE_MIN_REPEATS"))
        self.headlines: dict[str, HeadlineIndex] = {}
        self.gate = WarmupGate(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    # --- signals ----------------------------------------------------------------------------
    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        """Collect the ticker and "most read" headlines of an HTML page of a site."""
        if not isinstance(response, HtmlResponse):
            return
        site = site_for_url(response.url)
        if site is None:
            return
        index = self.headlines.setdefault(site.name, HeadlineIndex())
        before = len(index)
        for headline in furniture_headlines(response):
            index.add(headline)
        self.stats.inc_value("newsbot/boilerplate/headlines", len(index) - before)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.gate.release(None, "closed")  # nothing should be left; never strand an item
        forgotten = self.state.store.forget_candidates(time.time() - self.forget_days * 86400)
        if forgotten:
            logger.info("Forgot %d boilerplate candidates older than %g days", forgotten, self.forget_days)

    # --- items ----------------------------------------------------------------------------------
    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        site = adapter.get("site") or "unknown"
        raw_lines = list(adapter.get("body_lines") or []) or split_paragraphs(adapter.get("body"))
        title = adapter.get("title")
        seen = self.learner.see_item(site)
        first = clean_body(raw_lines, self.headlines.get(site))
        for learned in self.learner.observe(site, title, first.paragraphs):
            self.stats.inc_value("newsbot/boilerplate/learned")
            late = learned.earlier - self.gate.held_with(site, learned.key)
            if late > 0:
                self.stats.inc_value("newsbot/boilerplate/late", late)
        if seen < self.warmup:
            self.stats.inc_value("newsbot/boilerplate/held")
            await self.gate.hold(site, {paragraph_key(p) for p in first.paragraphs})
        else:
            self.gate.release(site, "warm-up done")
        return self._clean(item, adapter, site, raw_lines, title)

    def _clean(self, item: Any, adapter: ItemAdapter, site: str, raw_lines: list[str], title: str | None) -> Any:
        body = clean_body(raw_lines, self.headlines.get(site), self.learner.learned(site))
        for kind in REMOVED_KINDS:
            if body.removed[kind]:
                self.stats.inc_value(f"newsbot/boilerplate/lines/{kind}", body.removed[kind])
        if sum(body.removed.values()):
            self.stats.inc_value("newsbot/boilerplate/items_cleaned")
        cleaned_title = clean_title(title)
        if cleaned_title != title:
            self.stats.inc_value("newsbot/boilerplate/titles_cleaned")
            if cleaned_title is None:
                raise PipelineDrop("missing_title", f"the title of {adapter.get('url')} is only template text")
            adapter["title"] = cleaned_title
        if not body.paragraphs:
            raise PipelineDrop("empty_body", f"nothing is left of the body of {adapter.get('url')} after cleaning")
        adapter["body"] = join_paragraphs(body.paragraphs)
        if "body_lines" in adapter:
            adapter["body_lines"] = body.lines
        return item
