"""Refuse a second crawl of a spider on the SQLite state store another crawl of it is using.

See :mod:`newsbot.state.lock`: the lock is taken when the crawler is set up, before any
request, and released when the engine stops (or the process ends). A refused crawl logs one
ERROR line (``state store busy, nothing crawled: another crawl of maghress (pid ...) is
using the state store ...``) and ``scrapy crawl`` exits 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals

from newsbot.errors import report_configuration_error
from newsbot.state import state_uri
from newsbot.state.lock import CrawlLock, StoreBusy

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class StoreLockExtension:
    """Holds this crawl's :class:`~newsbot.state.lock.CrawlLock` on its state store."""

    def __init__(self, lock: CrawlLock | None) -> None:
        self.lock = lock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreLockExtension:
        spider = getattr(crawler.spidercls, "name", None) or "crawl"
        try:
            lock = CrawlLock.take(state_uri(crawler.settings), spider)
        except StoreBusy as error:
            report_configuration_error("state store busy", error)
            raise
        extension = cls(lock)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        if self.lock is not None:
            self.lock.release()
