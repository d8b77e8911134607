"""``NEWSBOT_ARCHIVE=DIR``: the responses behind the records, kept in WARC files.

:class:`ArchiveMiddleware`, a downloader middleware next to the download handler (order 950:
it sees the request with every header Scrapy sends and the response before any middleware
inflates, re-decodes or follows it), writes a ``request`` + ``response`` record pair
(:class:`~newsbot.archive.writer.WarcFiles`) for

* every aggregator article page (request meta ``newsbot_kind`` ``article``) answering 2xx or 3xx
  (a redirect hop is archived too, so that re-extraction follows it the same way);
* every request marked ``meta["newsbot_archive"] = True``, whatever its answer:
  :class:`FedRequestsMiddleware` marks each request an article page's callback yields (the
  outlet page fetched for a teaser), and the requests such a page leads to (its redirects).

Listings, feeds, home pages and robots.txt are not archived. The WARC-Record-ID and WARC-Date
of the response record go to the request meta (:data:`META_RECORD_ID`, :data:`META_RECORD_DATE`),
where the spider reads them for the item's ``warc_record_id`` and ``crawled_at``
(:func:`newsbot.archive.provenance`). A page is archived when it is downloaded, before it is read:
an article page the spider rejects (no title...) is in the archive too.

Files are flushed after each pair, synced to the disk at each state checkpoint (signal
:data:`newsbot.signals.checkpoint`, sent before the feeds are synced and the articles recorded
as done: an article recorded as done has its pages on disk) and closed at ``spider_closed``.
A write that fails (disk full) is logged once at ERROR and counted, the crawl goes on, and the
item of that page has ``warc_record_id`` null.

Settings: ``NEWSBOT_ARCHIVE`` (directory; unset: off), ``NEWSBOT_ARCHIVE_MAX_SIZE`` (bytes per
file). Stats: ``newsbot/archive/responses``, ``newsbot/archive/bytes`` (payload bytes),
``newsbot/archive/files``, ``newsbot/archive/failed``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsbot.archive.meta import META_ARCHIVE, META_RECORD_DATE, META_RECORD_ID, archive_setting
from newsbot.archive.writer import WarcFiles
from newsbot.config import int_setting
from newsbot.family.urls import META_KIND, PageKind
from newsbot.signals import checkpoint

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def archived(request: Request, response: Response) -> bool:
    """Whether the pair goes to the archive (module docstring): an article page answering
    below 400, or a request marked :data:`META_ARCHIVE`."""
    meta = request.meta
    return bool(meta.get(META_ARCHIVE)) or (meta.get(META_KIND) == PageKind.ARTICLE and response.status < 400)


class ArchiveMiddleware:
    """Downloader middleware writing the WARC archive (module docstring)."""

    def __init__(self, crawler: Crawler, directory: Path) -> None:
        self.crawler = crawler
        self.directory = directory
        self.max_size = int_setting(crawler.settings, "NEWSBOT_ARCHIVE_MAX_SIZE")
        self.files: WarcFiles | None = None
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        directory = archive_setting(crawler.settings)
        if directory is None:
            raise NotConfigured  # off by default: no message, or Scrapy logs a WARNING on every crawl
        middleware = cls(crawler, directory)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.sync, signal=checkpoint)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        info = {
            "isPartOf": spider.name,
            "http-header-user-agent": str(settings.get("USER_AGENT") or ""),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "description": "newsbot crawl: aggregator article pages and the outlet pages fetched for their records",
        }
        self.files = WarcFiles(self.directory, spider.name, self.max_size, info)
        logger.info("Archiving article pages as WARC files in %s (NEWSBOT_ARCHIVE)", self.directory)

    def process_request(self, request: Request) -> None:
        # A redirect copies the meta of the hop before: its record is not this request's.
        request.meta.pop(META_RECORD_ID, None)
        request.meta.pop(META_RECORD_DATE, None)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.files is None or not archived(request, response):
            return response
        try:
            done = self.files.write(request, response)
        except OSError as error:
            self.crawler.stats.inc_value("newsbot/archive/failed")
            if not self.failed:
                self.failed = True
                logger.error("Cannot write the WARC archive in %s (%s): pages not archived from now on"
                             " have warc_record_id null; the crawl goes on", self.directory, error)
            return response
        stats = self.crawler.stats
        stats.inc_value("newsbot/archive/responses")
        stats.inc_value("newsbot/archive/bytes", len(response.body))
        stats.set_value("newsbot/archive/files", self.files.files_written)
        request.meta[META_RECORD_ID] = done.record_id
        request.meta[META_RECORD_DATE] = done.date
        return response

    def sync(self) -> None:
        """Make what was written survive a power cut (signal :data:`~newsbot.signals.checkpoint`)."""
        if self.files is not None:
            try:
                self.files.sync()
            except OSError as error:
                logger.error("Cannot sync the WARC archive in %s: %s", self.directory, error)

    def spider_closed(self, spider: Spider) -> None:
        if self.files is not None:
            try:
                self.files.close()
            except OSError as error:
                logger.error("Cannot close the WARC archive in %s: %s", self.directory, error)


class FedRequestsMiddleware(BaseSpiderMiddleware):
    """Spider middleware: a request yielded while reading an archived page (an article page, or
    a page already marked) is marked ``meta["newsbot_archive"]``, so its responses are archived
    whatever they are (the outlet page fetched for a teaser, its 404). Only with ``NEWSBOT_ARCHIVE``."""

    def __init__(self, crawler: Crawler) -> None:
        if archive_setting(crawler.settings) is None:
            raise NotConfigured  # off by default: no message, or Scrapy logs a WARNING on every crawl
        super().__init__(crawler)

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if response is not None and (response.meta.get(META_KIND) == PageKind.ARTICLE or response.meta.get(META_ARCHIVE)):
            request.meta.setdefault(META_ARCHIVE, True)
        return request

