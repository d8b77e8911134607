"""Python's garbage collector kept off what lives for the whole crawl.

A crawl's process holds a few hundred thousand objects from its start to its end: modules, the
date parser's tables, compiled patterns, the spider, the crawler's components. Every full
collection of Python's garbage collector walks them all again, for nothing: on a plain crawl of
the bench replica (2,131 pages), 7 full collections of about 80 ms each, the dips in the
request rate every few seconds, and 6 % of the crawl's CPU with the younger generations. Once
the engine has started, :func:`gc.freeze` moves every object alive then into a permanent
generation that collections skip; what the crawl creates afterwards is collected as before.
At the engine's stop they are handed back (:func:`gc.unfreeze`), so a process that runs
crawls one after another (``CrawlerProcess``, tests) can collect a finished crawl.

Setting: ``NEWSBOT_GC_FREEZE`` (True). Stat: ``newsbot/gc/frozen`` (objects frozen).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsbot.config import bool_setting

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class GcFreezeExtension:
    """Freezes the objects alive when the engine starts (module docstring)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcFreezeExtension:
        if not bool_setting(crawler.settings, "NEWSBOT_GC_FREEZE"):
            raise NotConfigured("NEWSBOT_GC_FREEZE is False")
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        gc.collect()  # start-up's garbage first: frozen, it would stay for good
        gc.freeze()
        self.stats.set_value("newsbot/gc/frozen", gc.get_freeze_count())

    def engine_stopped(self) -> None:
        gc.unfreeze()
