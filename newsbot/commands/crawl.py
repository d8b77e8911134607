"""``scrapy crawl``, with an exit status that tells cron when the feed was lost.

Scrapy's own command, plus: the process exits 1 when a feed of the crawl could not be
written (stat ``newsbot/feed/store_failed``, :mod:`newsbot.feedstorage`). Scrapy's own
reasons for a non-zero status (a crawl that did not start) are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newsbot.feedstorage import STORE_FAILED

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler

FAILURE_STATS = (STORE_FAILED,)
"""Stats that make ``scrapy crawl`` exit 1 when they are non-zero at the end of the crawl."""


class Command(ScrapyCrawlCommand):
    """``scrapy crawl`` that exits 1 when a stat of :data:`FAILURE_STATS` is set."""

    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if self.crawler is not None and _failed(self.crawler):
            self.exitcode = 1


def _failed(crawler: Crawler) -> bool:
    """Whether a stat of :data:`FAILURE_STATS` is set (a crawl that never started has no stats)."""
    try:
        stats = crawler.stats
    except RuntimeError:  # "Crawler.stats is not set yet": the crawl did not start
        return False
    return stats is not None and any(stats.get_value(name) for name in FAILURE_STATS)
