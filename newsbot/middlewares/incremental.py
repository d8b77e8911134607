"""Incremental runs: article pages already done in an earlier run are not fetched again.

A spider middleware: article requests (those carrying ``meta["newsbot_article_id"]``, from
``start()`` or from a callback) whose ``article_id`` the state records as ``item`` or
``dropped:<reason>`` are removed before they are scheduled (no errback runs, nothing is
downloaded). Listings, feeds and home pages are always fetched. Pages that failed (HTTP
errors, timeouts) or that the spider rejected are never recorded, so they are tried again.
``-a fresh=1`` turns skipping off for one run; the state is still updated.

Settings: ``NEWSBOT_INCREMENTAL_ENABLED`` (default True). Stats:
``newsbot/incremental/skipped`` (article pages not fetched; an article linked again later is
counted once as long as it is among the last :data:`RECENT_SKIPS` skipped, which keeps the
memory bounded on backfills of millions of articles).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsbot.config import bool_setting
from newsbot.family.urls import META_ARTICLE_ID
from newsbot.state import crawl_state, fresh_run, is_final

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

RECENT_SKIPS = 10_000
"""Skipped article ids remembered, so that one linked again is not counted twice."""



class IncrementalMiddleware(BaseSpiderMiddleware):
    """Skips article requests the state records as done (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        if not bool_setting(crawler.settings, "NEWSBOT_INCREMENTAL_ENABLED"):
            raise NotConfigured("NEWSBOT_INCREMENTAL_ENABLED is False")
        super().__init__(crawler)
        self.state = crawl_state(crawler)
        self.fresh = False
        self.skipped: OrderedDict[str, None] = OrderedDict()
        self.skipped_count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.fresh = fresh_run(spider)
        if self.fresh:
            logger.info("fresh=1: article pages done in earlier runs are fetched again (the state is still updated)")

    def spider_closed(self, spider: Spider) -> None:
        if self.skipped_count:
            logger.info(
                "Incremental run: %d article pages not fetched, done in an earlier run (-a fresh=1 fetches them)",
                self.skipped_count,
            )

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        article_id = request.meta.get(META_ARTICLE_ID)
        if not article_id or self.fresh:
            return request
        status = self.state.store.article_statuses([article_id]).get(article_id)
        if not is_final(status):
            return request
        if article_id in self.skipped:  # listings link an article many times: count it once
            self.skipped.move_to_end(article_id)
        else:
            self.skipped[article_id] = None
            if len(self.skipped) > RECENT_SKIPS:
                self.skipped.popitem(last=False)
            self.skipped_count += 1
            self.crawler.stats.inc_value("newsbot/incremental/skipped")
            logger.debug("Not fetching %s: %s in an earlier run", request.url, status)
        return None
