"""Malformed pages never stop a crawl: log the URL and the reason, count, go on.

The count (``newsbot/malformed/<Error>``) is part of the error rate the monitors judge
(:class:`newsbot.monitoring.monitors.ErrorRatesMonitor`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.spidermiddlewares.httperror import HttpError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class PageErrorMiddleware:
    """Spider middleware: an exception raised while reading a page is logged with the
    page URL and the error, counted as ``newsbot/malformed/<ExceptionName>``, and the
    crawl continues; the page's other output already yielded is kept."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> list[Any] | None:
        if isinstance(exception, HttpError):
            return None  # HttpErrorMiddleware logs and counts these
        name = type(exception).__name__
        self.stats.inc_value(f"newsbot/malformed/{name}")
        logger.error("Malformed page %s: %s: %s", response.url, name, exception, exc_info=exception)
        return []
