"""Say so when a crawl reached nothing: a run that downloaded no page is not a quiet success.

Scrapy ends a crawl whose every request failed (site down, wrong ``NEWSBOT_MIRROR``, no
network) with ``finish_reason: finished`` and exit code 0, like a good run that found
nothing new. A cron job or a Scrapyd user cannot tell the two apart, so this extension
logs one ERROR line at the end, with the number of failed downloads and the first error,
and counts ``newsbot/crawl/no_response``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CrawlHealthExtension:
    """Logs an ERROR when a crawl ends without a single response (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlHealthExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason != "finished" or self.stats.get_value("response_received_count", 0):
            return
        errors = self.stats.get_value("downloader/exception_count", 0)
        kinds = sorted(
            key.rsplit("/", 1)[-1] for key in self.stats.get_stats() if key.startswith("downloader/exception_type_count/")
        )
        self.stats.inc_value("newsbot/crawl/no_response")
        logger.error(
            "The crawl downloaded no page at all (%d failed downloads: %s): check the network, the site, or NEWSBOT_MIRROR",
            errors, ", ".join(kinds) or "no request was made",
        )
